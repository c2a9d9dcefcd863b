package resindex_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/resindex/resindex"
)

func TestParseRecordKey(t *testing.T) {
	cases := []struct {
		in   string
		want resindex.RecordKey
		bad  bool
	}{
		{"electoral_roll/ER-1", resindex.RecordKey{Source: "electoral_roll", ID: "ER-1"}, false},
		{"housing/T/2/a", resindex.RecordKey{Source: "housing", ID: "T/2/a"}, false}, // an id may hold slashes
		{"housing", resindex.RecordKey{}, true},
		{"/ER-1", resindex.RecordKey{}, true},
		{"housing/", resindex.RecordKey{}, true},
		{"", resindex.RecordKey{}, true},
	}
	for _, tc := range cases {
		got, err := resindex.ParseRecordKey(tc.in)
		if tc.bad != (err != nil) || got != tc.want {
			t.Errorf("%q: %v %v", tc.in, got, err)
		}
		if err != nil && !errors.Is(err, resindex.ErrInvalid) {
			t.Errorf("%q: error of no kind: %v", tc.in, err)
		}
	}
}

func FuzzParseRecordKey(f *testing.F) {
	f.Add("electoral_roll/ER-1")
	f.Add("a/")
	f.Fuzz(func(t *testing.T, s string) {
		k, err := resindex.ParseRecordKey(s)
		if err == nil && k.String() != s {
			t.Fatalf("%q parsed as %v, which prints as %q", s, k, k.String())
		}
	})
}

func TestRecordKeyCheck(t *testing.T) {
	cases := []struct {
		k   resindex.RecordKey
		bad bool
	}{
		{resindex.RecordKey{Source: "housing", ID: "T-1"}, false},
		{resindex.RecordKey{Source: "housing", ID: "T 1/a"}, false},
		{resindex.RecordKey{Source: "", ID: "T-1"}, true},
		{resindex.RecordKey{Source: "housing", ID: ""}, true},
		{resindex.RecordKey{Source: "housing", ID: "T-1\x00"}, true},
		{resindex.RecordKey{Source: "hou\x01sing", ID: "T-1"}, true},
	}
	for _, tc := range cases {
		err := tc.k.Check()
		if tc.bad != (err != nil) || (err != nil && !errors.Is(err, resindex.ErrInvalid)) {
			t.Errorf("%q: %v", tc.k, err)
		}
		if err != nil && strings.Contains(err.Error(), "T-1") {
			t.Errorf("%q: the error quotes the value: %v", tc.k, err)
		}
	}
}
