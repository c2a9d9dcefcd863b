package main

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/resindex/resindex/internal/config"
	"github.com/resindex/resindex/store"
	"github.com/resindex/resindex/web"
)

// TestBackupScheduler: each run writes a named backup that restores;
// the oldest beyond keep go, files of other names stay; a failure is
// logged and counted, and the next run succeeds.
func TestBackupScheduler(t *testing.T) {
	m := &Main{Config: config.Config{Data: filepath.Join(t.TempDir(), "store")}, Create: true}
	if err := m.OpenStore(); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	tok, err := web.CreateToken(m.DB, web.TokenInfo{Name: "svc", Role: "frontline", Created: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	id, err := m.DB.ID()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// Another store's backups (older, and more than keep) stay too.
	others := []string{"notes.txt", "resindex-manual.backup", "resindex-20200101T000000Z.backup",
		"resindex-" + id + "-20200101T000000Z.backup.tmp",
		"resindex-00112233aabbccdd-20200101T000000Z.backup", "resindex-00112233aabbccdd-20200102T000000Z.backup",
		"resindex-00112233aabbccdd-20200103T000000Z.backup"}
	for _, n := range others {
		os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o600)
	}
	reg := prometheus.NewRegistry()
	var logs bytes.Buffer
	at := time.Date(2026, 12, 7, 1, 2, 3, 0, time.UTC)
	b := &backupScheduler{db: m.DB, files: newBackupFiles(dir, id), cfg: config.Backup{Dir: dir, Every: time.Hour, Keep: 2}, metrics: newBackupMetrics(reg),
		log: slog.New(slog.NewTextHandler(&logs, nil)), now: func() time.Time { return at }}
	for range 3 {
		b.once(context.Background())
		at = at.Add(time.Hour)
	}
	var names []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := append([]string{"resindex-" + id + "-20261207T020203Z.backup", "resindex-" + id + "-20261207T030203Z.backup"}, others...)
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("backup.dir holds %v\nwant %v", names, want)
	}
	restored := filepath.Join(t.TempDir(), "restored")
	f, err := os.Open(filepath.Join(dir, "resindex-"+id+"-20261207T030203Z.backup"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := store.Restore(store.Options{Dir: restored}, f); err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(store.Options{Dir: restored})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Token(web.HashToken(tok)); err != nil {
		t.Errorf("the restored backup lacks the token: %v", err)
	}
	db.Close()

	os.RemoveAll(dir) // the backup disk is gone: logged, counted, not fatal
	os.WriteFile(dir, nil, 0o600)
	b.once(context.Background())
	os.Remove(dir)
	os.Mkdir(dir, 0o700)
	b.once(context.Background())
	if s, f := testutil.ToFloat64(b.metrics.runs.WithLabelValues("success")), testutil.ToFloat64(b.metrics.runs.WithLabelValues("failure")); s != 4 || f != 1 {
		t.Errorf("resindex_backups_total: %v successes, %v failures; want 4 and 1", s, f)
	}
	if got := testutil.ToFloat64(b.metrics.lastSuccess); got != float64(at.Unix()) {
		t.Errorf("resindex_backup_last_success_timestamp_seconds = %v, want %v", got, at.Unix())
	}
	if !strings.Contains(logs.String(), "scheduled backup failed") || !strings.Contains(logs.String(), "level=INFO msg=\"scheduled backup written\"") {
		t.Errorf("log:\n%s", logs.String())
	}
}

// TestServeScheduledBackups: serve, configured with backup.*, takes a
// backup every tick and keeps the newest backup.keep.
func TestServeScheduledBackups(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "gen", "--persons", "100", "--seed", "3", "--out", dir, "--quiet", "--no-events")
	data := filepath.Join(dir, "store")
	mustRun(t, "ingest", "--canonical", filepath.Join(dir, "canonical"), "--data", data, "--quiet")
	backups := filepath.Join(dir, "backups")
	cfg := writeConfig(t, "data: "+data+"\nbackup:\n  dir: "+backups+"\n  every: 1s\n  keep: 2\n")
	_, errb, stop := startCommand(t, "serve", "--config", cfg, "--http-addr", freeAddr(t))
	for i := 0; strings.Count(errb.String(), "scheduled backup written") < 3; i++ {
		if i > 300 {
			t.Fatalf("serve took no 3 backups in 30 s:\n%s", errb.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	if code := stop(); code != 0 {
		t.Fatalf("serve: exit %d\n%s", code, errb.String())
	}
	entries, _ := os.ReadDir(backups)
	named := regexp.MustCompile(`^resindex-[0-9a-f]{16}-(\d{8}T\d{6}Z)\.backup$`)
	if len(entries) != 2 || !named.MatchString(entries[0].Name()) {
		t.Fatalf("backup.dir holds %v, want the 2 newest backups", entries)
	}
	// Restarted with a longer interval, serve schedules its first backup
	// from the newest it took, not from the start.
	cfg = writeConfig(t, "data: "+data+"\nbackup:\n  dir: "+backups+"\n  every: 1h\n")
	_, errb, stop = startCommand(t, "serve", "--config", cfg, "--http-addr", freeAddr(t))
	for i := 0; !strings.Contains(errb.String(), "msg=\"scheduled backups\""); i++ {
		if i > 300 {
			t.Fatalf("serve did not start its backups in 30 s:\n%s", errb.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	stop()
	first := regexp.MustCompile(`first=(\S+)`).FindStringSubmatch(errb.String())
	newest, _ := time.Parse("20060102T150405Z", named.FindStringSubmatch(entries[1].Name())[1])
	if first == nil || first[1] != newest.Add(time.Hour).Format(time.RFC3339) {
		t.Errorf("restarted serve's first backup: %v, want %s", first, newest.Add(time.Hour).Format(time.RFC3339))
	}
	mustRun(t, "restore", "--data", filepath.Join(dir, "restored"), "--in", filepath.Join(backups, entries[1].Name()))
	if out, _ := mustRun(t, "audit", "verify", "--data", filepath.Join(dir, "restored")); !strings.Contains(out, "intact") {
		t.Errorf("audit verify of a scheduled backup: %q", out)
	}
}

// TestBackupFirstAt: the first backup comes backup.every after the newest
// of this store's backups, but not before the start's delay; other
// stores' backups do not count.
func TestBackupFirstAt(t *testing.T) {
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	const id = "0123456789abcdef"
	for _, tc := range []struct {
		name  string
		files []string
		every time.Duration
		want  time.Time
	}{
		{"no backups", nil, 24 * time.Hour, now.Add(backupFirstDelay)},
		{"newest older than every", []string{backupName(id, now.Add(-30*time.Hour)), backupName(id, now.Add(-25*time.Hour))}, 24 * time.Hour, now.Add(backupFirstDelay)},
		{"newest recent", []string{backupName(id, now.Add(-30*time.Hour)), backupName(id, now.Add(-2*time.Hour))}, 24 * time.Hour, now.Add(22 * time.Hour)},
		{"newest just due", []string{backupName(id, now.Add(-24*time.Hour+10*time.Second))}, 24 * time.Hour, now.Add(backupFirstDelay)},
		{"only another store's recent", []string{backupName("fedcba9876543210", now.Add(-time.Hour))}, 24 * time.Hour, now.Add(backupFirstDelay)},
		{"every shorter than the delay", nil, 5 * time.Second, now.Add(5 * time.Second)},
		{"a name that is not a time", []string{"resindex-" + id + "-20261399T999999Z.backup"}, time.Hour, now.Add(backupFirstDelay)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range tc.files {
				os.WriteFile(filepath.Join(dir, f), nil, 0o600)
			}
			b := &backupScheduler{files: newBackupFiles(dir, id), cfg: config.Backup{Dir: dir, Every: tc.every}, now: func() time.Time { return now }}
			if got := b.firstAt(); !got.Equal(tc.want) {
				t.Errorf("first backup at %s, want %s", got, tc.want)
			}
		})
	}
}

// TestScheduledBackupCancelled: a scheduled backup stopped by the
// server's shutdown ends at once, leaves no file (not even a temporary
// one) and is not counted as a failure.
func TestScheduledBackupCancelled(t *testing.T) {
	m := &Main{Config: config.Config{Data: filepath.Join(t.TempDir(), "store")}, Create: true}
	if err := m.OpenStore(); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	dir := t.TempDir()
	reg := prometheus.NewRegistry()
	b := &backupScheduler{db: m.DB, files: newBackupFiles(dir, "0123456789abcdef"), cfg: config.Backup{Dir: dir, Every: time.Hour, Keep: 2},
		metrics: newBackupMetrics(reg), log: slog.New(slog.DiscardHandler), now: time.Now}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	b.once(ctx)
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("a cancelled backup took %s", d)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("a cancelled backup left %v", entries)
	}
	if f := testutil.ToFloat64(b.metrics.runs.WithLabelValues("failure")); f != 0 {
		t.Fatalf("a cancelled backup counted as %v failures", f)
	}
}
