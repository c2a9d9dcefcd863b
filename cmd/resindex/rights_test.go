package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/fraud"
)

// rightsBorough is a bulk-loaded borough with a configuration naming a
// pseudonym key: its directory, store and configuration file.
func rightsBorough(t *testing.T) (dir, data, config string) {
	t.Helper()
	dir = t.TempDir()
	mustRun(t, "gen", "--persons", "3000", "--seed", "5", "--out", dir, "--quiet", "--no-events")
	data = filepath.Join(dir, "store")
	mustRun(t, "ingest", "--canonical", filepath.Join(dir, "canonical"), "--data", data, "--bulk", "--quiet")
	config = writeRightsConfig(t, dir, "key-a", strings.Repeat("ab", 32))
	return dir, data, config
}

// writeRightsConfig writes a key file and a configuration naming it.
func writeRightsConfig(t *testing.T, dir, name, key string) string {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(key+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	config := filepath.Join(dir, name+".yaml")
	if err := os.WriteFile(config, []byte("rights:\n  pseudonym_key_file: "+name+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return config
}

// spdPersons are the persons the single-person-discount check names, as
// subject or as evidence.
func spdPersons(t *testing.T, data string) map[string]bool {
	t.Helper()
	out, _ := mustRun(t, "fraud", "spd", "--data", data, "--format", "json", "--min-score", "0")
	var fs []fraud.Finding
	if err := json.Unmarshal([]byte(out), &fs); err != nil {
		t.Fatalf("fraud spd JSON: %v", err)
	}
	named := map[string]bool{}
	for _, f := range fs {
		named[f.Subject] = true
		for _, o := range f.Others {
			named[o] = true
		}
	}
	return named
}

// exportRows runs the pseudonymised export and reads it back.
func exportRows(t *testing.T, data, config, out string) ([][]string, string) {
	t.Helper()
	_, errs := mustRun(t, "export", "pseudonymised", "--data", data, "--config", config, "--out", out, "--as-of", "2026-11-01")
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) < 2 || !slices.Equal(rows[0], access.PseudonymColumns) {
		t.Fatalf("export: %v, header %v", err, rows[:min(1, len(rows))])
	}
	return rows[1:], errs
}

func hasPseudonym(rows [][]string, p string) bool {
	return slices.ContainsFunc(rows, func(r []string) bool { return r[0] == p })
}

// TestRightsLeaveOut: a restricted person, and an objecting one, are
// neither subject nor evidence of a fraud finding and have no row in the
// pseudonymised export; release and withdrawal put them back. Every
// change is audited.
func TestRightsLeaveOut(t *testing.T) {
	dir, data, config := rightsBorough(t)
	before := spdPersons(t, data)
	if len(before) == 0 {
		t.Fatal("no finding on a borough with injected fraud")
	}
	var pid string
	for p := range before {
		pid = max(pid, p)
	}
	key, _ := access.ParsePseudonymKey([]byte(strings.Repeat("ab", 32)))
	ps, _ := access.NewPseudonymiser(key)
	out := filepath.Join(dir, "pseudo.csv")
	rows, _ := exportRows(t, data, config, out)
	if !hasPseudonym(rows, ps.Person(pid)) {
		t.Fatalf("%s has no row in the export before any restriction", pid)
	}
	for _, step := range []struct {
		args []string
		in   bool
		left string
	}{
		{[]string{"restrict", "--reason", "accuracy contested"}, false, "left out 1 restricted and 0 objecting"},
		{[]string{"release", "--reason", "accuracy confirmed"}, true, "left out 0 restricted and 0 objecting"},
		{[]string{"object", "--reason", "objects to profiling"}, false, "left out 0 restricted and 1 objecting"},
		{[]string{"withdraw", "--reason", "objection withdrawn"}, true, "left out 0 restricted and 0 objecting"},
	} {
		args := append([]string{"rights", step.args[0], "--data", data, "--person", pid}, step.args[1:]...)
		mustRun(t, args...)
		if got := spdPersons(t, data)[pid]; got != step.in {
			t.Errorf("after %s: in the findings %v; want %v", step.args[0], got, step.in)
		}
		rows, errs := exportRows(t, data, config, out)
		if got := hasPseudonym(rows, ps.Person(pid)); got != step.in {
			t.Errorf("after %s: in the export %v; want %v", step.args[0], got, step.in)
		}
		if !strings.Contains(errs, step.left) {
			t.Errorf("after %s: stderr %q lacks %q", step.args[0], errs, step.left)
		}
	}
	show, _ := mustRun(t, "rights", "show", "--data", data, "--person", pid)
	if !strings.Contains(show, `"person": "`+pid+`"`) || strings.Contains(show, "restriction") {
		t.Errorf("rights show: %s", show)
	}
	audit, _ := mustRun(t, "audit", "list", "--data", data, "--person", pid)
	for _, action := range []string{"restrict", "release", "object", "withdraw_objection", "rights"} {
		if !strings.Contains(audit, `"action":"`+action+`"`) {
			t.Errorf("audit lacks %s", action)
		}
	}
	if all, _ := mustRun(t, "audit", "list", "--data", data); !strings.Contains(all, "pseudonymised") {
		t.Error("the export is not audited")
	}
}

// TestPseudonymisedExportHasNoIdentifiers scans the export for every
// name, date of birth, postcode, email, phone and identifier of the
// borough; pseudonyms are stable under one key and differ under another.
func TestPseudonymisedExportHasNoIdentifiers(t *testing.T) {
	dir, data, config := rightsBorough(t)
	a := filepath.Join(dir, "a.csv")
	rowsA, errsA := exportRows(t, data, config, a)
	// The borough's children record no consent: none has a row, and
	// they are counted (as are shielded persons).
	for i, r := range rowsA {
		if r[2] == "0-15" || r[2] == "16-17" {
			t.Errorf("row %d: a child's, age band %s", i, r[2])
		}
	}
	var children, shielded int
	_, counts, _ := strings.Cut(errsA, "objecting persons, ")
	if _, err := fmt.Sscanf(counts, "%d shielded persons and %d children", &shielded, &children); err != nil || children == 0 {
		t.Errorf("stderr %q: %d children left out, %v", errsA, children, err)
	}
	text, err := os.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range boroughValues(t, filepath.Join(dir, "canonical")) {
		if bytes.Contains(text, []byte(v)) {
			t.Errorf("the export holds %q", v)
		}
	}
	again := filepath.Join(dir, "again.csv")
	exportRows(t, data, config, again)
	if b, _ := os.ReadFile(again); !bytes.Equal(b, text) {
		t.Error("two exports with the same key differ")
	}
	other := writeRightsConfig(t, dir, "key-b", strings.Repeat("cd", 32))
	rowsB, _ := exportRows(t, data, other, filepath.Join(dir, "b.csv"))
	if len(rowsA) != len(rowsB) {
		t.Fatalf("%d rows under one key, %d under another", len(rowsA), len(rowsB))
	}
	underB := map[string]bool{}
	for _, r := range rowsB {
		underB[r[0]], underB[r[1]] = true, true
	}
	for i, r := range rowsA {
		if underB[r[0]] || r[1] != "" && underB[r[1]] {
			t.Fatalf("row %d: a pseudonym under one key is one under another too", i)
		}
	}
	for _, bad := range [][]string{
		{"export", "pseudonymised", "--data", data, "--out", filepath.Join(dir, "x.csv")}, // no key configured
		{"export", "pseudonymised", "--data", data, "--config", writeRightsConfig(t, dir, "short", "abcd"), "--out", filepath.Join(dir, "x.csv")},
		{"export", "pseudonymised", "--data", data, "--config", config, "--out", filepath.Join(dir, "x.csv"), "--as-of", "yesterday"},
		{"rights", "restrict", "--data", data, "--person", "P0000000001"},                      // no reason
		{"rights", "restrict", "--data", data, "--person", "P9999999999", "--reason", "asked"}, // nobody
		{"rights", "forget", "--data", data, "--person", "P0000000001"},
	} {
		if _, errs, code := runCLI(t, bad...); code != 2 || errs == "" || strings.Contains(errs, "abcd") {
			t.Errorf("%v: exit %d, %q", bad, code, errs)
		}
	}
	passphrase := writeRightsConfig(t, dir, "passphrase", "council-pseudonym-key-2024-camden")
	_, errs, code := runCLI(t, "export", "pseudonymised", "--data", data, "--config", passphrase, "--out", filepath.Join(dir, "x.csv"))
	if code != 2 || !strings.Contains(errs, "openssl rand -hex 32") || strings.Contains(errs, "camden") {
		t.Errorf("a passphrase key: exit %d, %q", code, errs)
	}
}

// boroughValues are the direct identifiers in a borough's canonical
// records: names, dates of birth, postcodes (with and without the space),
// emails, phones and identifiers long enough not to occur by chance in a
// hex pseudonym.
func boroughValues(t *testing.T, canonical string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(canonical, "*.ndjson"))
	if err != nil || len(files) == 0 {
		t.Fatalf("canonical files: %v", err)
	}
	seen := map[string]bool{}
	add := func(v string, minLen int) {
		if v = strings.TrimSpace(v); len(v) >= minLen {
			seen[v] = true
		}
	}
	for _, file := range files {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			var r resindex.Record
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
				t.Fatal(err)
			}
			add(r.Name.Given, 2)
			add(r.Name.Family, 2)
			add(r.DOB, 7)
			for _, a := range r.Addresses {
				add(a.Postcode, 5)
				add(strings.ReplaceAll(a.Postcode, " ", ""), 5)
				for _, l := range a.Lines {
					add(l, 4)
				}
			}
			for _, v := range append(r.Emails, r.Phones...) {
				add(v, 5)
			}
			for _, v := range r.Identifiers {
				add(v, 9)
			}
		}
		f.Close()
		if sc.Err() != nil {
			t.Fatal(sc.Err())
		}
	}
	return slices.Sorted(func(yield func(string) bool) {
		for v := range seen {
			if !yield(v) {
				return
			}
		}
	})
}
