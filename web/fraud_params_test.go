package web

import (
	"errors"
	"math"
	"net/url"
	"testing"

	"github.com/resindex/resindex/access"
)

// TestFindingsFilter: the findings filter's parameters as given; a score
// that is not a finite number is refused naming min_score (its range,
// and the signal and status, are access's to check).
func TestFindingsFilter(t *testing.T) {
	for _, tc := range []struct {
		query string
		want  access.FindingsFilter
		field string
	}{
		{"", access.FindingsFilter{}, ""},
		{"min_score=0.75&signal=electoral_register&status=reviewed", access.FindingsFilter{Signal: "electoral_register", Status: "reviewed", MinScore: 0.75, HasMin: true}, ""},
		{"min_score=0", access.FindingsFilter{HasMin: true}, ""},
		{"min_score=7", access.FindingsFilter{MinScore: 7, HasMin: true}, ""},
		{"min_score=high", access.FindingsFilter{}, "min_score"},
		{"min_score=NaN", access.FindingsFilter{}, "min_score"},
		{"min_score=-Inf", access.FindingsFilter{}, "min_score"},
		{"min_score=0x1p-1", access.FindingsFilter{MinScore: 0.5, HasMin: true}, ""},
		{"min_score=1e400", access.FindingsFilter{}, "min_score"},
	} {
		v, _ := url.ParseQuery(tc.query)
		got, err := findingsFilter(v)
		var in *access.InputError
		switch {
		case tc.field != "" && (!errors.As(err, &in) || in.Field != tc.field):
			t.Errorf("%q: %v, want an input error naming %s", tc.query, err, tc.field)
		case tc.field == "" && (err != nil || got != tc.want):
			t.Errorf("%q: %+v, %v; want %+v", tc.query, got, err, tc.want)
		}
	}
}

// FuzzFindingsFilter: any query gives a filter with a finite score, or
// an input error naming min_score; never a panic.
func FuzzFindingsFilter(f *testing.F) {
	for _, s := range []string{"min_score=0.5", "min_score=NaN", "signal=x&status=y", "min_score=1e309", "min_score=%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		v, err := url.ParseQuery(q)
		if err != nil {
			return
		}
		got, err := findingsFilter(v)
		var in *access.InputError
		switch {
		case err != nil && (!errors.As(err, &in) || in.Field != "min_score"):
			t.Fatalf("%q: %v, want an input error naming min_score", q, err)
		case err == nil && (math.IsNaN(got.MinScore) || math.IsInf(got.MinScore, 0) || got.HasMin != (v.Get("min_score") != "")):
			t.Fatalf("%q: %+v", q, got)
		}
	})
}
