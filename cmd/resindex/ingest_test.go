package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIngestExtract: a source's extract goes in through its mapping; the
// same file again changes nothing; a full extract deletes the records it
// lacks, unless a row was rejected (its record would look deleted).
func TestIngestExtract(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "gen", "--persons", "300", "--seed", "4", "--out", dir, "--quiet", "--no-events")
	data := filepath.Join(dir, "store")
	native := filepath.Join(dir, "native", "council_tax.csv")
	_, errs := mustRun(t, "ingest", "--source", "council_tax", "--file", native, "--data", data)
	all := strings.Count(mustReadFile(t, native), "\n") - 1
	if !strings.Contains(errs, fmt.Sprintf("%d rows, %d changed the index", all, all)) {
		t.Fatalf("first load:\n%s", errs)
	}
	_, errs = mustRun(t, "ingest", "--source", "council_tax", "--file", native, "--data", data, "--full")
	if !strings.Contains(errs, "0 changed the index") || !strings.Contains(errs, "0 records deleted") {
		t.Fatalf("the same extract again:\n%s", errs)
	}
	lines := strings.SplitAfter(mustReadFile(t, native), "\n")
	bad := filepath.Join(dir, "bad.csv")
	// The header, two rows, and a row with a date no calendar has.
	badRow := strings.Replace(lines[3], ","+dobOf(t, lines[0], lines[3])+",", ",31/02/1990,", 1)
	mustWriteFile(t, bad, lines[0]+lines[1]+lines[2]+badRow)
	_, errs, code := runCLI(t, "ingest", "--source", "council_tax", "--file", bad, "--data", data, "--full")
	if code == 0 || !strings.Contains(errs, "bad.csv: line 4") || !strings.Contains(errs, "DATE_OF_BIRTH") || !strings.Contains(errs, "not deleting") {
		t.Fatalf("extract with a bad row: exit %d\n%s", code, errs)
	}
	empty := filepath.Join(dir, "empty.csv")
	mustWriteFile(t, empty, lines[0])
	if _, errs, code := runCLI(t, "ingest", "--source", "council_tax", "--file", empty, "--data", data, "--full"); code == 0 || !strings.Contains(errs, "has no rows") {
		t.Fatalf("empty full extract: exit %d\n%s", code, errs)
	}
	small := filepath.Join(dir, "small.csv")
	mustWriteFile(t, small, lines[0]+lines[1]+lines[2])
	if _, errs, code := runCLI(t, "ingest", "--source", "council_tax", "--file", small, "--data", data, "--full"); code == 0 || !strings.Contains(errs, "more than --max-delete-share") {
		t.Fatalf("a full extract lacking most records: exit %d\n%s", code, errs)
	}
	// As of a time before every record's version, nothing is deleted.
	_, errs = mustRun(t, "ingest", "--source", "council_tax", "--file", small, "--data", data, "--full", "--max-delete-share", "1", "--as-of", "1900-01-01T00:00:00Z")
	if !strings.Contains(errs, "0 records deleted") {
		t.Fatalf("full extract older than the records:\n%s", errs)
	}
	_, errs = mustRun(t, "ingest", "--source", "council_tax", "--file", small, "--data", data, "--full", "--max-delete-share", "1")
	if !strings.Contains(errs, fmt.Sprintf("%d records deleted", all-2)) {
		t.Fatalf("full extract of two rows:\n%s", errs)
	}
	if _, errs, code := runCLI(t, "ingest", "--source", "pensions", "--file", small, "--data", data); code == 0 || !strings.Contains(errs, "no mapping for source") {
		t.Fatalf("unknown source: exit %d\n%s", code, errs)
	}
}

func dobOf(t *testing.T, header, row string) string {
	t.Helper()
	cols, vals := strings.Split(strings.TrimSpace(header), ","), strings.Split(strings.TrimSpace(row), ",")
	for i, c := range cols {
		if c == "DATE_OF_BIRTH" && i < len(vals) && vals[i] != "" {
			return vals[i]
		}
	}
	t.Skip("row has no date of birth")
	return ""
}

func mustWriteFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestIngestTimeBounds: a bound that is neither a date nor a time is
// refused, naming the flag.
func TestIngestTimeBounds(t *testing.T) {
	for _, bad := range []ingestConfig{{since: "June"}, {before: "2026-13-01"}} {
		if _, err := bad.selection(); err == nil || !errors.Is(err, errUsage) || !strings.Contains(err.Error(), "--") {
			t.Errorf("%+v: err = %v", bad, err)
		}
	}
}
