package ndjson_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/resindex/resindex/internal/ndjson"
)

func TestScanHeader(t *testing.T) {
	cases := []struct {
		in   string
		want ndjson.RecordHeader
		ok   bool
	}{
		{strings.ReplaceAll(fullRecord, "\n", ""), ndjson.RecordHeader{Source: "electoral_roll", ID: "ER-1", Version: "2026-05-01T00:00:00Z"}, true},
		{`{"id":"1","deleted":true,"source":"a"}`, ndjson.RecordHeader{Source: "a", ID: "1", Deleted: true}, true},
		{` { "source" : "a\u00e9" , "id" : "x\"y" , "n":[1,{"z":[]}], "k":-1.5e3 } `, ndjson.RecordHeader{Source: "aé", ID: `x"y`}, true},
		{`{"source":"a","id":"1"`, ndjson.RecordHeader{}, false},
		{`{"source":"a","id":"1"} x`, ndjson.RecordHeader{}, false},
		{`{"source":"a"}`, ndjson.RecordHeader{}, false},
		{`{"source":1,"id":"1"}`, ndjson.RecordHeader{}, false},
		{`{"source":"a","id":"1","deleted":"yes"}`, ndjson.RecordHeader{}, false},
		{`[]`, ndjson.RecordHeader{}, false},
		{`{"source":"a","id":"1","Version":"9"}`, ndjson.RecordHeader{}, false},
		{`{"source":"a","id":"1","verſion":"9"}`, ndjson.RecordHeader{}, false}, // ſ folds to s: 8 bytes, still "version"
		{`{"source":"a","id":"1","ſource":"b"}`, ndjson.RecordHeader{}, false},
		{`{"source":"a\x41","id":"1"}`, ndjson.RecordHeader{}, false},
		{``, ndjson.RecordHeader{}, false},
	}
	for _, c := range cases {
		got, ok := ndjson.ScanHeader([]byte(c.in))
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
	f.Add([]byte(`{"source":"a","id":"1","verſion":"9"}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, ok := ndjson.ScanHeader(b)
		r, err := ndjson.DecodeRecord(b)
		if !ok || err != nil {
			return
		}
		if h.Source != r.Source || h.ID != r.ID || h.Version != r.Version || h.Deleted != r.Deleted {
			t.Fatalf("scan %+v, decode %+v", h, r)
		}
	})
}

func TestReadHeadersFallsBackToFullDecode(t *testing.T) {
	in := strings.Join([]string{
		`{"source":"a","id":"1","version":"2"}`,
		`{"sourc\u0065":"a","id":"2"}`, // escaped member name: the scan declines, the decoder accepts
		`{"source":"a","id":3}`,        // wrong type: reported
		`not json`,                     // reported
		``,
	}, "\n")
	var got []string
	var bad []int
	n, err := ndjson.ReadHeaders(strings.NewReader(in), 2, func(hl ndjson.HeaderLine) {
		got = append(got, hl.Header.ID+"@"+strconv.Itoa(hl.No))
	}, func(le *ndjson.LineError) { bad = append(bad, le.Line) })
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	slices.Sort(bad)
	if n != 4 || !slices.Equal(got, []string{"1@1", "2@2"}) || !slices.Equal(bad, []int{3, 4}) {
		t.Fatalf("lines %d, headers %v, bad %v", n, got, bad)
	}
}
