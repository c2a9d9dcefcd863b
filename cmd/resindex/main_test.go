package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/store"
)

// runCLI runs the command as the binary would and returns its outputs.
func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &env{stdout: &out, stderr: &errb})
	return out.String(), errb.String(), code
}

func mustRun(t *testing.T, args ...string) (string, string) {
	t.Helper()
	out, errs, code := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("resindex %s: exit %d\n%s", strings.Join(args, " "), code, errs)
	}
	return out, errs
}

// TestCommandsEndToEnd drives gen → link → eval → explain → train →
// link --model through the same entry point as the binary.
func TestCommandsEndToEnd(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "gen", "--persons", "800", "--seed", "5", "--out", dir, "--quiet")
	for _, p := range []string{"canonical/council_tax.ndjson", "native/council_tax.csv", "truth/records.csv", "truth/errors.csv", "truth/scenarios.json"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Fatalf("gen did not write %s", p)
		}
	}
	clusters := filepath.Join(dir, "clusters.csv")
	pairs := filepath.Join(dir, "pairs.csv")
	truth := filepath.Join(dir, "truth", "records.csv")
	_, errs := mustRun(t, "link", "--in", filepath.Join(dir, "canonical"), "--out", clusters, "--pairs", pairs, "--truth", truth, "--quiet")
	if !strings.Contains(errs, "blocking pair completeness") {
		t.Errorf("link stats lack pair completeness:\n%s", errs)
	}
	head := firstLine(t, clusters)
	if head != "source,id,person_id" {
		t.Errorf("clusters header = %q", head)
	}
	if h := firstLine(t, pairs); !strings.HasPrefix(h, "source_a,id_a,source_b,id_b,weight") {
		t.Errorf("pairs header = %q", h)
	}
	out, _ := mustRun(t, "eval", "--truth", truth, "--clusters", clusters)
	for _, want := range []string{"Pairwise precision", "B-cubed", "worst false merges", "worst false splits"} {
		if !strings.Contains(out, want) {
			t.Errorf("eval output lacks %q:\n%s", want, out)
		}
	}
	a, b := twoRecordsOfOnePerson(t, truth)
	out, _ = mustRun(t, "explain", "--in", filepath.Join(dir, "canonical"), a, b)
	for _, want := range []string{"given_name", "dob", "prior", "total", "decision"} {
		if !strings.Contains(out, want) {
			t.Errorf("explain output lacks %q:\n%s", want, out)
		}
	}
	model := filepath.Join(dir, "model.json")
	mustRun(t, "train", "--in", filepath.Join(dir, "canonical"), "--out", model, "--random-pairs", "20000", "--quiet")
	mustRun(t, "link", "--in", filepath.Join(dir, "canonical"), "--model", model, "--out", clusters, "--quiet")
}

func TestCommandErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.ndjson")
	os.WriteFile(bad, []byte("{\"source\":\"a\",\"id\":\"1\"}\nnot json\n{\"source\":\"a\",\"id\":\"2\",\"dob\":\"31/02/1980\"}\n"), 0o644)
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{}, 2, "usage"},
		{[]string{"frobnicate"}, 2, "unknown command"},
		{[]string{"link", "--in", bad}, 2, "--out is required"},
		{[]string{"link", "--in", filepath.Join(dir, "missing.ndjson"), "--out", filepath.Join(dir, "c.csv")}, 1, "no such file"},
		{[]string{"link", "--in", bad, "--model", bad, "--out", filepath.Join(dir, "c.csv")}, 1, "model"},
		{[]string{"explain", "--in", bad, "a/1"}, 2, "two records"},
		{[]string{"explain", "--in", bad, "a/1", "nosuch"}, 2, "SOURCE/ID"}, // a mistake in what was asked
		{[]string{"eval", "--truth", bad}, 2, "required"},
		{[]string{"link", "--out", filepath.Join(dir, "c.csv"), "--in", bad, bad}, 2, "unexpected argument"},
		{[]string{"gen", "--persons", "0", "--out", dir}, 1, "positive"},
	}
	for _, c := range cases {
		_, errs, code := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("resindex %v: exit %d, stderr %q; want exit %d mentioning %q", c.args, code, errs, c.code, c.want)
		}
	}
	// A malformed line is reported with its number and skipped; the run goes on.
	_, errs := mustRun(t, "link", "--in", bad, "--out", filepath.Join(dir, "c.csv"), "--quiet")
	if !strings.Contains(errs, "line 2") || !strings.Contains(errs, "dob") {
		t.Errorf("link did not report the bad line and the bad date:\n%s", errs)
	}
	if n := strings.Count(mustReadFile(t, filepath.Join(dir, "c.csv")), "\n"); n != 3 {
		t.Errorf("clusters has %d lines, want header + 2 records", n)
	}
}

func firstLine(t *testing.T, path string) string {
	line, _, _ := strings.Cut(mustReadFile(t, path), "\n")
	return line
}

func mustReadFile(t *testing.T, path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// twoRecordsOfOnePerson picks two records the truth says are one person.
func twoRecordsOfOnePerson(t *testing.T, truth string) (string, string) {
	seen := map[string]string{}
	for _, line := range strings.Split(mustReadFile(t, truth), "\n")[1:] {
		f := strings.Split(line, ",")
		if len(f) != 3 {
			continue
		}
		if prev, ok := seen[f[2]]; ok {
			return prev, f[0] + "/" + f[1]
		}
		seen[f[2]] = f[0] + "/" + f[1]
	}
	t.Fatal("no person with two records")
	return "", ""
}

// TestBackupRestoreCommands: a store written through the store package is
// backed up and restored by the binary's commands, with encryption.
func TestBackupRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key")
	os.WriteFile(keyFile, []byte(strings.Repeat("ab", 32)+"\n"), 0o600)
	opts, err := storeOptions(filepath.Join(dir, "data"), keyFile)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	db.Update(func(tx resindex.Txn) error { return tx.Set([]byte("r/a\x001"), []byte("record")) })
	db.Close()
	backup := filepath.Join(dir, "backup.bak")
	mustRun(t, "backup", "--data", opts.Dir, "--key-file", keyFile, "--out", backup)
	restored := filepath.Join(dir, "restored")
	mustRun(t, "restore", "--data", restored, "--key-file", keyFile, "--in", backup)
	opts.Dir = restored
	db, err = store.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(tx resindex.Txn) error {
		v, err := tx.Get([]byte("r/a\x001"))
		if err == nil && string(v) != "record" {
			t.Errorf("restored value %q", v)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, errs, code := runCLI(t, "restore", "--data", restored, "--in", backup); code == 0 {
		t.Errorf("restore over a live store succeeded: %s", errs)
	}
	if _, errs, code := runCLI(t, "backup", "--data", opts.Dir, "--key-file", filepath.Join(dir, "nokey"), "--out", backup); code == 0 || !strings.Contains(errs, "key file") {
		t.Errorf("missing key file: exit %d %s", code, errs)
	}
}

// TestIngestExport replays a borough's timeline into a store, exports the
// persons, and checks that a second replay changes nothing.
func TestIngestExport(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "gen", "--persons", "300", "--seed", "9", "--out", dir, "--quiet")
	data := filepath.Join(dir, "store")
	canonical := filepath.Join(dir, "canonical")
	mustRun(t, "ingest", "--canonical", canonical, "--data", data, "--quiet")
	out := filepath.Join(dir, "inc.csv")
	mustRun(t, "export", "clusters", "--data", data, "--out", out)
	truth := mustReadFile(t, filepath.Join(dir, "truth", "records.csv"))
	if got, want := strings.Count(mustReadFile(t, out), "\n"), strings.Count(truth, "\n"); got != want {
		t.Errorf("export has %d lines, truth %d", got, want)
	}
	evalOut, _ := mustRun(t, "eval", "--truth", filepath.Join(dir, "truth", "records.csv"), "--clusters", out, "--worst", "0")
	if !strings.Contains(evalOut, "Pairwise F1") {
		t.Errorf("eval of the export: %s", evalOut)
	}
	_, errs, code := runCLI(t, "ingest", "--canonical", canonical, "--data", data)
	if code != 0 || !strings.Contains(errs, ", 0 took effect") {
		t.Errorf("second ingest: exit %d, want 0 changes to take effect:\n%s", code, errs)
	}
}

func TestOverrideCommand(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "gen", "--persons", "200", "--seed", "4", "--out", dir, "--quiet")
	data := filepath.Join(dir, "store")
	mustRun(t, "ingest", "--canonical", filepath.Join(dir, "canonical"), "--data", data, "--quiet")
	out := filepath.Join(dir, "c.csv")
	mustRun(t, "export", "clusters", "--data", data, "--out", out)
	rows := strings.Split(strings.TrimSpace(mustReadFile(t, out)), "\n")[1:]
	a, b := strings.Split(rows[0], ","), strings.Split(rows[len(rows)-1], ",")
	ka, kb := a[0]+"/"+a[1], b[0]+"/"+b[1]
	if _, errs, code := runCLI(t, "override", "link", ka, kb, "--data", data); code != 2 || !strings.Contains(errs, "reason") {
		t.Errorf("override without a reason: exit %d %s", code, errs)
	}
	mustRun(t, "override", "link", ka, kb, "--reason", "checked with the resident", "--data", data)
	mustRun(t, "export", "clusters", "--data", data, "--out", out)
	persons := map[string]string{}
	for _, row := range strings.Split(strings.TrimSpace(mustReadFile(t, out)), "\n")[1:] {
		f := strings.Split(row, ",")
		persons[f[0]+"/"+f[1]] = f[2]
	}
	if persons[ka] != persons[kb] {
		t.Errorf("after override link, %s is %s and %s is %s", ka, persons[ka], kb, persons[kb])
	}
}

func TestSearchCommand(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "gen", "--persons", "200", "--seed", "6", "--out", dir, "--quiet")
	data := filepath.Join(dir, "store")
	mustRun(t, "ingest", "--canonical", filepath.Join(dir, "canonical"), "--data", data, "--quiet")
	out, _ := mustRun(t, "search", "--data", data, "--postcode", "NW1 1AA", "--family", "Smith", "--limit", "3")
	if !strings.HasPrefix(out, "person") {
		t.Errorf("search output: %q", out)
	}
	if _, errs, code := runCLI(t, "search", "--data", data); code != 2 || !strings.Contains(errs, "search field") {
		t.Errorf("search with no field: exit %d %s", code, errs)
	}
	if _, _, code := runCLI(t, "search", "--data", data, "--id", "nino"); code != 2 {
		t.Errorf("malformed --id accepted")
	}
	bench, _ := mustRun(t, "bench", "search", "--data", data, "--queries", "50")
	// Every query is built from a stored record, so its person is found.
	if !strings.Contains(bench, "50 records drawn") || !regexp.MustCompile(`(?m)^all +\d+ .*p99.* 100\.0%$`).MatchString(bench) {
		t.Errorf("bench search output:\n%s", bench)
	}
}

// TestIngestBulk: a bulk load gives link's persons; the rest of the
// timeline then applies change by change; a second bulk load of the same
// input resumes (and has nothing left to do); a bulk load into a store
// that has records is refused.
func TestIngestBulk(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "gen", "--persons", "300", "--seed", "5", "--out", dir, "--quiet")
	canonical, truth := filepath.Join(dir, "canonical"), filepath.Join(dir, "truth", "records.csv")
	data := filepath.Join(dir, "store")
	mustRun(t, "ingest", "--canonical", canonical, "--data", data, "--bulk", "--before", "2026-06-01", "--quiet")
	mustRun(t, "ingest", "--canonical", canonical, "--data", data, "--bulk", "--before", "2026-06-01", "--quiet")
	mustRun(t, "ingest", "--canonical", canonical, "--data", data, "--since", "2026-06-01", "--quiet")
	out := filepath.Join(dir, "c.csv")
	mustRun(t, "export", "clusters", "--data", data, "--out", out)
	// The store's model was fitted at its bulk load: link with it.
	model := filepath.Join(dir, "model.json")
	mustRun(t, "export", "model", "--data", data, "--out", model)
	if m, err := os.ReadFile(model); err != nil || !strings.Contains(string(m), `"version": "fitted-`) {
		t.Errorf("the bulk load kept no fitted model: %v %.200s", err, m)
	}
	linked := filepath.Join(dir, "l.csv")
	mustRun(t, "link", "--in", canonical, "--model", model, "--out", linked, "--quiet")
	f1 := func(clusters string) float64 {
		res, _ := mustRun(t, "eval", "--truth", truth, "--clusters", clusters, "--worst", "0")
		m := regexp.MustCompile(`Pairwise F1 +([0-9.]+)%`).FindStringSubmatch(res)
		if m == nil {
			t.Fatalf("no F1 in %s", res)
		}
		v, _ := strconv.ParseFloat(m[1], 64)
		return v / 100
	}
	if inc, batch := f1(out), f1(linked); inc < batch-0.005 {
		t.Errorf("bulk then changes F1 %.4f, link %.4f", inc, batch)
	}
	other := filepath.Join(dir, "other")
	mustRun(t, "ingest", "--canonical", canonical, "--data", other, "--before", "2025-01-01", "--quiet")
	if _, errs, code := runCLI(t, "ingest", "--canonical", canonical, "--data", other, "--bulk"); code == 0 || !strings.Contains(errs, "empty store") {
		t.Errorf("bulk load into a store with records: exit %d %s", code, errs)
	}
}

// TestTrainRefusesNegativeCounts: a negative --random-pairs is a usage
// error naming the flag, not a crash.
func TestTrainRefusesNegativeCounts(t *testing.T) {
	_, errs, code := runCLI(t, "train", "--in", t.TempDir(), "--out", filepath.Join(t.TempDir(), "m.json"), "--random-pairs", "-5", "--quiet")
	if code != 2 || !strings.Contains(errs, "--random-pairs") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
}

// TestBenchWhileIngesting: bench api measures searches while a timeline's
// changes are applied in the same process; the ingest it stops resumes
// with the same ingest command, and the store then holds what an ingest
// of the whole timeline gives.
func TestBenchWhileIngesting(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "gen", "--persons", "300", "--seed", "5", "--out", dir, "--quiet")
	canonical := filepath.Join(dir, "canonical")
	data := filepath.Join(dir, "store")
	mustRun(t, "ingest", "--canonical", canonical, "--data", data, "--bulk", "--before", "2026-06-01", "--quiet")
	out, _ := mustRun(t, "bench", "api", "--data", data, "--queries", "30", "--ingest-canonical", canonical, "--ingest-since", "2026-06-01")
	if !regexp.MustCompile(`ingesting \d+ changes from .* while searching: [1-9]\d* applied during the searches`).MatchString(out) ||
		!strings.Contains(out, "30 records drawn") {
		t.Errorf("bench api while ingesting:\n%s", out)
	}
	_, errs := mustRun(t, "ingest", "--canonical", canonical, "--data", data, "--since", "2026-06-01")
	if !strings.Contains(errs, "changes read") {
		t.Errorf("resumed ingest:\n%s", errs)
	}
	if _, errs, code := runCLI(t, "bench", "search", "--data", data, "--ingest-since", "2026-06-01"); code != 2 || !strings.Contains(errs, "--ingest-canonical") {
		t.Errorf("--ingest-since alone: exit %d %s", code, errs)
	}
}

// TestExitStatus: the one mapping of an error's kind to an exit status.
func TestExitStatus(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want int
	}{
		{"none", nil, 0},
		{"help", flag.ErrHelp, 2},
		{"usage", fmt.Errorf("--data is required: %w", errUsage), 2},
		{"invalid input", &access.InputError{Field: "dob", Msg: "want YYYY-MM-DD"}, 2},
		{"not found", fmt.Errorf("person: %w", resindex.ErrNotFound), 1},
		{"unavailable", store.ErrStopped, 1},
		{"other", errors.New("disk full"), 1},
	}
	for _, tc := range cases {
		if got := exitStatus(tc.err); got != tc.want {
			t.Errorf("%s: exit %d, want %d", tc.name, got, tc.want)
		}
	}
}
