package resindex_test

import (
	"strings"
	"testing"

	"github.com/resindex/resindex"
)

func TestScanHeader(t *testing.T) {
	cases := []struct {
		in   string
		want resindex.RecordHeader
		ok   bool
	}{
		{strings.ReplaceAll(fullRecord, "\n", ""), resindex.RecordHeader{Source: "electoral_roll", ID: "ER-1", Version: "2026-05-01T00:00:00Z"}, true},
		{`{"id":"1","deleted":true,"source":"a"}`, resindex.RecordHeader{Source: "a", ID: "1", Deleted: true}, true},
		{` { "source" : "a\u00e9" , "id" : "x\"y" , "n":[1,{"z":[]}], "k":-1.5e3 } `, resindex.RecordHeader{Source: "aé", ID: `x"y`}, true},
		{`{"source":"a","id":"1"`, resindex.RecordHeader{}, false},
		{`{"source":"a","id":"1"} x`, resindex.RecordHeader{}, false},
		{`{"source":"a"}`, resindex.RecordHeader{}, false},
		{`{"source":1,"id":"1"}`, resindex.RecordHeader{}, false},
		{`{"source":"a","id":"1","deleted":"yes"}`, resindex.RecordHeader{}, false},
		{`[]`, resindex.RecordHeader{}, false},
		{``, resindex.RecordHeader{}, false},
	}
	for _, c := range cases {
		got, ok := resindex.ScanHeader([]byte(c.in))
		if ok != c.ok || ok && got != c.want {
			t.Errorf("ScanHeader(%q) = %+v, %v; want %+v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// FuzzScanHeader: whenever the fast scan accepts a line that the full
// decoder also accepts, both must agree on the header.
func FuzzScanHeader(f *testing.F) {
	f.Add([]byte(fullRecord))
	f.Add([]byte(`{"source":"a","id":"1","deleted":true}`))
	f.Add([]byte(`{"source":"a\u0041","id":"\\"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, ok := resindex.ScanHeader(b)
		r, err := resindex.DecodeRecord(b)
		if !ok || err != nil {
			return
		}
		if h.Source != r.Source || h.ID != r.ID || h.Version != r.Version || h.Deleted != r.Deleted {
			t.Fatalf("scan %+v, decode %+v", h, r)
		}
	})
}
