package file_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/connectors/file"
	"github.com/resindex/resindex/connectors/mapping"
	"github.com/resindex/resindex/synth"
)

// TestSyntheticExtracts reads every native extract of a synthetic borough
// through its source's shipped mapping: no row fails, and the records
// are exactly the live records of the canonical timeline, field for
// field (flags compared as sets).
func TestSyntheticExtracts(t *testing.T) {
	b, err := synth.Generate(synth.Config{Persons: 1500, Seed: 5, NoEvents: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := b.Write(dir); err != nil {
		t.Fatal(err)
	}
	set, err := mapping.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	paths := nativeExtracts(t, filepath.Join(dir, "native"))
	for _, source := range resindex.Sources {
		t.Run(source, func(t *testing.T) {
			m, err := set.Get(source)
			if err != nil {
				t.Fatal(err)
			}
			got := readSource(t, paths[source], m)
			want := b.Live(source)
			if len(want) == 0 || len(got) != len(want) {
				t.Fatalf("%d records, want %d", len(got), len(want))
			}
			compareRecords(t, got, want)
		})
	}
}

// nativeExtracts finds each source's extract by its file name, e.g.
// council_tax.csv.
func nativeExtracts(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		source, ext, _ := strings.Cut(e.Name(), ".")
		if ext != "md" {
			out[source] = filepath.Join(dir, e.Name())
		}
	}
	if len(out) != len(resindex.Sources) {
		t.Fatalf("native extracts %v, want one per source", out)
	}
	return out
}

// readSource reads one extract, failing on any error; positions must
// rise with each row.
func readSource(t *testing.T, path string, m *mapping.Mapping) map[string]resindex.Record {
	t.Helper()
	r, err := file.Open(path, m)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	out := map[string]resindex.Record{}
	last := 0
	for {
		rec, pos, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if pos <= last {
			t.Fatalf("record %s at position %d, after %d", rec.ID, pos, last)
		}
		if _, dup := out[rec.ID]; dup {
			t.Fatalf("record %s twice", rec.ID)
		}
		last, out[rec.ID] = pos, rec
	}
	if r.Size() == 0 || r.BytesRead() != r.Size() {
		t.Fatalf("read %d bytes of %d", r.BytesRead(), r.Size())
	}
	return out
}

// compareRecords fails on the first few records that differ, comparing
// flags as sets.
func compareRecords(t *testing.T, got, want map[string]resindex.Record) {
	t.Helper()
	diffs := 0
	for id, w := range want {
		g, ok := got[id]
		if !ok {
			t.Errorf("record %s missing", id)
			diffs++
		}
		slices.Sort(g.Flags)
		slices.Sort(w.Flags)
		if ok && !reflect.DeepEqual(g, w) {
			t.Errorf("record %s:\n got  %+v\n want %+v", id, g, w)
			diffs++
		}
		if diffs >= 5 {
			t.Fatal("more records differ")
		}
	}
}
