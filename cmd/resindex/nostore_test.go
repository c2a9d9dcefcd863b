package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoStoreNoCommand: every command that reads or changes a store,
// given a --data that names no store (a misspelt directory, or an empty
// one), fails with exit 1 naming the directory and creates nothing there
// (issue 17): an empty store made on the spot would let audit verify say
// "intact", a backup write nothing and a token be issued that no server
// honours. Only ingest, serve, restore and demo make stores.
func TestNoStoreNoCommand(t *testing.T) {
	base := t.TempDir()
	out := filepath.Join(base, "out")
	empty := filepath.Join(base, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{filepath.Join(base, "stroe"), empty} {
		for _, args := range [][]string{
			{"alerts", "list"},
			{"audit", "verify"},
			{"audit", "list"},
			{"backup", "--out", out},
			{"compact"},
			{"export", "clusters", "--out", out},
			{"export", "changes", "--out", out},
			{"fraud", "subletting", "--out", out},
			{"search", "--family", "Smith"},
			{"token", "create", "--name", "crm", "--role", "frontline"},
			{"token", "list"},
			{"token", "revoke", "--name", "crm"},
			{"override", "link", "council_tax/A1", "housing/B1", "--reason", "same"},
			{"erase", "--person", "P0000000001", "--reason", "request"},
			{"sar", "--person", "P0000000001", "--out", base},
			{"rights", "show", "--person", "P0000000001"},
			{"rectify", "--person", "P0000000001", "--field", "dob", "--dob", "1980-01-02", "--reason", "phoned"},
			{"notices", "--source", "council_tax", "--out", out},
			{"retention", "--dry-run"},
		} {
			args := append(append([]string{}, args...), "--data", dir)
			_, errs, code := runCLI(t, args...)
			if code != 1 || !strings.Contains(errs, dir) || !strings.Contains(errs, "no store") {
				t.Errorf("resindex %s: exit %d, %q; want exit 1 naming %s", strings.Join(args, " "), code, errs, dir)
			}
			if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 || dir != empty && err == nil {
				t.Fatalf("resindex %s made %s (%d entries)", strings.Join(args, " "), dir, len(entries))
			}
			if _, err := os.Stat(out); err == nil {
				t.Fatalf("resindex %s wrote %s", strings.Join(args, " "), out)
			}
		}
	}
}
