package resolver_test

import (
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
	var ll resolver.LatestLines
	var all []resindex.Record
	var bad []int
	ndjson.ReadHeaders(strings.NewReader(in), 2, ll.Add, func(*ndjson.LineError) {})
	ndjson.ReadRecords(strings.NewReader(in), 2, func(r resindex.Record) { all = append(all, r) }, func(*ndjson.LineError) {})
	got, failed := ll.Records(2, func(_ string, le *ndjson.LineError) { bad = append(bad, le.Line) })
	// b/1's newest version is malformed: it is reported, and the fallback
	// reading finds the older version, as decoding every version would.
	if !failed[resindex.RecordKey{Source: "b", ID: "1"}] || len(failed) != 1 {
		t.Fatalf("failed keys = %v", failed)
	}
	got, err := resolver.Fallback(got, failed, func(add func(resindex.Record)) error {
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
