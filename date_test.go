package resindex_test

import (
	"fmt"
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

// FuzzPartialDateString: the date is rendered as fmt renders it, whatever
// its parts.
func FuzzPartialDateString(f *testing.F) {
	f.Add(1980, 4, 7, uint8(3))
	f.Add(-1, 13, 100, uint8(2))
	f.Add(10000, 0, 0, uint8(1))
	f.Add(0, 0, 0, uint8(0))
	f.Fuzz(func(t *testing.T, y, m, d int, p uint8) {
		pd := resindex.PartialDate{Year: y, Month: m, Day: d, Precision: resindex.Precision(p % 5)}
		var want string
		switch pd.Precision {
		case resindex.PrecisionYear:
			want = fmt.Sprintf("%04d", y)
		case resindex.PrecisionMonth:
			want = fmt.Sprintf("%04d-%02d", y, m)
		case resindex.PrecisionDay:
			want = fmt.Sprintf("%04d-%02d-%02d", y, m, d)
		}
		if got := pd.String(); got != want {
			t.Fatalf("%+v: %q, want %q", pd, got, want)
		}
	})
}

func BenchmarkPartialDateString(b *testing.B) {
	d := resindex.PartialDate{Year: 1980, Month: 4, Day: 7, Precision: resindex.PrecisionDay}
	for b.Loop() {
		_ = d.String()
	}
}
