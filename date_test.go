package resindex_test

import (
	"testing"

	"github.com/resindex/resindex"
)

func TestParsePartialDate(t *testing.T) {
	cases := []struct {
		in   string
		want string
		prec resindex.Precision
		ok   bool
	}{
		{"", "", resindex.PrecisionNone, true},
		{"1980-04-07", "1980-04-07", resindex.PrecisionDay, true},
		{"1980-04", "1980-04", resindex.PrecisionMonth, true},
		{"1980", "1980", resindex.PrecisionYear, true},
		{"2024-02-29", "2024-02-29", resindex.PrecisionDay, true},
		{"2023-02-29", "", 0, false},
		{"1980-13", "", 0, false},
		{"1980-00", "", 0, false},
		{"1980-+1", "", 0, false},
		{"19x0", "", 0, false},
		{"0000", "", 0, false},
		{"07/04/1980", "", 0, false},
		{"1980-4-7", "", 0, false},
		{"unknown", "", 0, false},
		{"1980-04-07T00:00:00Z", "", 0, false},
	}
	for _, c := range cases {
		d, err := resindex.ParsePartialDate(c.in)
		if (err == nil) != c.ok {
			t.Errorf("%q: err = %v, want ok=%v", c.in, err, c.ok)
			continue
		}
		if c.ok && (d.String() != c.want || d.Precision != c.prec) {
			t.Errorf("%q: got %q precision %d, want %q %d", c.in, d.String(), d.Precision, c.want, c.prec)
		}
	}
}

func FuzzParsePartialDate(f *testing.F) {
	for _, s := range []string{"1980-04-07", "1980-04", "1980", "", "2023-02-29", "abcd-ef"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := resindex.ParsePartialDate(s)
		if err != nil {
			return
		}
		if d.String() != s {
			t.Fatalf("%q parsed but renders as %q", s, d.String())
		}
	})
}
