package main

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
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
	dir := t.TempDir()
	others := []string{"notes.txt", "resindex-manual.backup", "resindex-20200101T000000Z.backup.tmp"}
	for _, n := range others {
		os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o600)
	}
	reg := prometheus.NewRegistry()
	var logs bytes.Buffer
	at := time.Date(2026, 12, 7, 1, 2, 3, 0, time.UTC)
	b := &backupScheduler{db: m.DB, cfg: config.Backup{Dir: dir, Every: time.Hour, Keep: 2}, metrics: newBackupMetrics(reg),
		log: slog.New(slog.NewTextHandler(&logs, nil)), now: func() time.Time { return at }}
	for range 3 {
		b.once()
		at = at.Add(time.Hour)
	}
	var names []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := append([]string{"resindex-20261207T020203Z.backup", "resindex-20261207T030203Z.backup"}, others...)
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Errorf("backup.dir holds %v\nwant %v", names, want)
	}
	restored := filepath.Join(t.TempDir(), "restored")
	f, err := os.Open(filepath.Join(dir, "resindex-20261207T030203Z.backup"))
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
	b.once()
	os.Remove(dir)
	os.Mkdir(dir, 0o700)
	b.once()
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
	if len(entries) != 2 || !backupPattern.MatchString(entries[0].Name()) {
		t.Fatalf("backup.dir holds %v, want the 2 newest backups", entries)
	}
	mustRun(t, "restore", "--data", filepath.Join(dir, "restored"), "--in", filepath.Join(backups, entries[1].Name()))
	if out, _ := mustRun(t, "audit", "verify", "--data", filepath.Join(dir, "restored")); !strings.Contains(out, "intact") {
		t.Errorf("audit verify of a scheduled backup: %q", out)
	}
}
