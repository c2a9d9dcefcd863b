package resindex_test

import (
	"slices"
	"strconv"
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
		{`{"source":"a","id":"1","Version":"9"}`, resindex.RecordHeader{}, false},
		{`{"source":"a","id":"1","verſion":"9"}`, resindex.RecordHeader{}, false}, // ſ folds to s: 8 bytes, still "version"
		{`{"source":"a","id":"1","ſource":"b"}`, resindex.RecordHeader{}, false},
		{`{"source":"a\x41","id":"1"}`, resindex.RecordHeader{}, false},
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
	f.Add([]byte(`{"source":"a","id":"1","verſion":"9"}`))
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
	n, err := resindex.ReadHeaders(strings.NewReader(in), 2, func(hl resindex.HeaderLine) {
		got = append(got, hl.Header.ID+"@"+strconv.Itoa(hl.No))
	}, func(le *resindex.LineError) { bad = append(bad, le.Line) })
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	slices.Sort(bad)
	if n != 4 || !slices.Equal(got, []string{"1@1", "2@2"}) || !slices.Equal(bad, []int{3, 4}) {
		t.Fatalf("lines %d, headers %v, bad %v", n, got, bad)
	}
}
