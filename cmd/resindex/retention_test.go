package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
)

// mustRetentionStore writes a small store: for council tax and libraries,
// ten records each last active 0, 100, … 900 days before their source's
// newest version (yesterday for council tax, a year and a day ago for
// libraries, which stopped sending).
func mustRetentionStore(t *testing.T) string {
	t.Helper()
	data := filepath.Join(t.TempDir(), "store")
	db, err := store.Open(store.Options{Dir: data, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	eng, err := resolver.NewEngine(db, resolver.EngineOptions{Population: 100})
	if err != nil {
		t.Fatal(err)
	}
	today := time.Now().UTC().Truncate(24 * time.Hour)
	clocks := map[string]time.Time{resindex.SourceCouncilTax: today.AddDate(0, 0, -1), resindex.SourceLibraries: today.AddDate(-1, 0, -1)}
	n := 0
	for _, src := range []string{resindex.SourceCouncilTax, resindex.SourceLibraries} {
		for i := range 10 {
			n++
			r := resindex.Record{Source: src, ID: fmt.Sprintf("R%03d", n), Version: clocks[src].Format(time.RFC3339),
				LastActivity: clocks[src].AddDate(0, 0, -100*i).Format(time.DateOnly),
				Name:         resindex.Name{Given: fmt.Sprintf("Given%03d", n), Family: fmt.Sprintf("Family%03d", n)}}
			if _, err := eng.Apply(r, resindex.Position{Stream: "t", Offset: int64(n)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return data
}

// retentionConfig writes a configuration file with retention.sources.
func retentionConfig(t *testing.T, sources string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "resindex.yaml")
	if err := os.WriteFile(p, []byte("retention:\n  sources:\n"+sources), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// retention --dry-run lists exactly the records past their periods, by
// source and count, and the total; it removes nothing and is audited. A
// purge then removes them, and a second dry run finds none.
func TestRetentionDryRun(t *testing.T) {
	data := mustRetentionStore(t)
	for _, c := range []struct {
		name, sources string
		want          []string
	}{
		{"default two years", "", []string{"council_tax  2", "libraries    2", "total        4"}},
		{"libraries a year", "    libraries: 1y\n", []string{"council_tax  2", "libraries    6", "total        8"}},
		{"council tax 50 days", "    council_tax: 50d\n", []string{"council_tax  9", "libraries    2", "total        11"}},
		{"both long", "    council_tax: 10y\n    libraries: 1000d\n", []string{"total   0"}},
		{"in hours and weeks", "    council_tax: 4800h\n    libraries: 104w\n", []string{"council_tax  7", "libraries    2", "total        9"}},
	} {
		out, _ := mustRun(t, "retention", "--data", data, "--dry-run", "--config", retentionConfig(t, c.sources))
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != len(c.want)+1 || !strings.HasPrefix(lines[0], "source") || strings.Join(lines[1:], "|") != strings.Join(c.want, "|") {
			t.Errorf("%s: printed\n%s\nwant %q", c.name, out, c.want)
		}
	}
	audit, _ := mustRun(t, "audit", "list", "--data", data)
	if n := strings.Count(audit, `"action":"retention"`); n != 5 || !strings.Contains(audit, "dry-run council_tax=2 libraries=2 records=4") {
		t.Errorf("%d dry runs audited, want 5:\n%s", n, audit)
	}
	out, _ := mustRun(t, "retention", "--data", data, "--config", retentionConfig(t, "    libraries: 1y\n"))
	if !strings.Contains(out, "total        8") {
		t.Errorf("purge printed:\n%s", out)
	}
	out, _ = mustRun(t, "retention", "--data", data, "--dry-run", "--config", retentionConfig(t, "    libraries: 1y\n"))
	if !strings.Contains(out, "total   0") {
		t.Errorf("after the purge, a dry run lists:\n%s", out)
	}
}

// Malformed periods and unknown sources are refused, naming the option.
func TestRetentionRefused(t *testing.T) {
	data := mustRetentionStore(t)
	for _, c := range []struct{ sources, want string }{
		{"    libraries: forever\n", "retention.sources.libraries"},
		{"    libraries: 0d\n", "retention.sources.libraries"},
		{"    librarys: 2y\n", "retention.sources.librarys: no such source"},
	} {
		_, errs, code := runCLI(t, "retention", "--data", data, "--dry-run", "--config", retentionConfig(t, c.sources))
		if code == 0 || !strings.Contains(errs, c.want) {
			t.Errorf("%q: exit %d, %s; want refused naming %s", c.sources, code, errs, c.want)
		}
	}
	if _, _, code := runCLI(t, "retention", "--dry-run"); code != 2 {
		t.Errorf("no --data: exit %d, want 2", code)
	}
}
