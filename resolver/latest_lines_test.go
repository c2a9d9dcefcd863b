package resolver_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/internal/ndjson"
	"github.com/resindex/resindex/resolver"
)

// TestLatestLinesAgreesWithLatest: picking winners by header and decoding
// only those gives the same records as decoding every version.
func TestLatestLinesAgreesWithLatest(t *testing.T) {
	in := strings.Join([]string{
		`{"source":"a","id":"1","version":"2024","name":{"family":"Old"}}`,
		`{"source":"a","id":"1","version":"2025","name":{"family":"New"}}`,
		`{"source":"a","id":"2","version":"2025"}`,
		`{"source":"a","id":"2","version":"2026","deleted":true}`,
		`{"source":"a","id":"3","version":"2025","name":{"family":"Zed"}}`,
		`{"source":"a","id":"3","version":"2025","name":{"family":"Abe"}}`,
		`{"source":"b","id":"1","version":"2025","dob":7}`,
		`{"source":"b","id":"1","version":"2024"}`,
	}, "\n")
	name := filepath.Join(t.TempDir(), "in.ndjson")
	if err := os.WriteFile(name, []byte(in), 0o600); err != nil {
		t.Fatal(err)
	}
	var ll resolver.LatestLines
	var all []resindex.Record
	var bad []int
	ndjson.ReadHeaderBatches(strings.NewReader(in), 2, func(hls []ndjson.HeaderLine) { ll.AddAll(hls, 0) }, func(*ndjson.LineError) {})
	ndjson.ReadRecords(strings.NewReader(in), 2, func(r resindex.Record) { all = append(all, r) }, func(*ndjson.LineError) {})
	got, failed, err := ll.Records([]string{name}, 2, func(_ string, le *ndjson.LineError) { bad = append(bad, le.Line) })
	if err != nil {
		t.Fatal(err)
	}
	// b/1's newest version is malformed: it is reported, and the fallback
	// reading finds the older version, as decoding every version would.
	if !failed[resindex.RecordKey{Source: "b", ID: "1"}] || len(failed) != 1 {
		t.Fatalf("failed keys = %v", failed)
	}
	got, err = resolver.Fallback(got, failed, func(add func(resindex.Record)) error {
		_, err := ndjson.ReadRecords(strings.NewReader(in), 2, add, func(*ndjson.LineError) {})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := resolver.Latest(all)
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i].Key() != want[i].Key() || got[i].Name != want[i].Name {
			t.Errorf("record %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	if !slices.Equal(bad, []int{7}) {
		t.Errorf("bad lines %v, want [7]", bad)
	}
}

// TestLatestLinesNoticesAChangedFile: the winning lines are found again by
// number; a file rewritten between the two readings (lines swapped, cut
// short, or a line now another version of its record) is an error, never
// another line taken for the winner or a record silently lost.
func TestLatestLinesNoticesAChangedFile(t *testing.T) {
	line := func(id, version string) string {
		return `{"source":"a","id":"` + id + `","version":"` + version + `"}` + "\n"
	}
	first := line("1", "2024") + line("2", "2024")
	for name, second := range map[string]string{
		"swapped":       line("2", "2024") + line("1", "2024"),
		"cut short":     line("1", "2024"),
		"other version": line("1", "2024") + line("2", "2020"),
	} {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "in.ndjson")
			if err := os.WriteFile(file, []byte(second), 0o600); err != nil {
				t.Fatal(err)
			}
			var ll resolver.LatestLines
			ndjson.ReadHeaderBatches(strings.NewReader(first), 1, func(hls []ndjson.HeaderLine) { ll.AddAll(hls, 0) }, func(*ndjson.LineError) {})
			if _, _, err := ll.Records([]string{file}, 1, func(string, *ndjson.LineError) {}); err == nil || !strings.Contains(err.Error(), "changed") {
				t.Fatalf("err = %v, want the input named as changed", err)
			}
		})
	}
}
