package web

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/resindex/resindex/access"
)

// TestSARRequest: the report's parameters as given: the path's person
// first, then each other one once (blank ones and the path's dropped);
// the header's reason over the parameter's; third_parties only true or
// false; too many persons refused naming also.
func TestSARRequest(t *testing.T) {
	for _, tc := range []struct {
		query, header string
		want          access.SARRequest
		field         string
	}{
		{"", "", access.SARRequest{Refs: []string{"R1"}}, ""},
		{"also=R2&also=+&also=R1&also=R3", "", access.SARRequest{Refs: []string{"R1", "R2", "R3"}}, ""},
		{"reason=letter", "", access.SARRequest{Refs: []string{"R1"}, Reason: "letter"}, ""},
		{"reason=letter", "header", access.SARRequest{Refs: []string{"R1"}, Reason: "header"}, ""},
		{"third_parties=true&third_party_reason=+consent+", "", access.SARRequest{Refs: []string{"R1"}, ThirdParties: true, ThirdPartyReason: "consent"}, ""},
		{"third_parties=false", "", access.SARRequest{Refs: []string{"R1"}}, ""},
		{"third_parties=yes", "", access.SARRequest{Refs: []string{"R1"}, ThirdParties: true}, ""},
		{"third_parties=1", "", access.SARRequest{}, "third_parties"},
		{"third_parties=TRUE", "", access.SARRequest{}, "third_parties"},
		{strings.Repeat("also=x&", 10) + strings.Repeat("also=y&", 10) + "also=z", "", access.SARRequest{}, "also"},
	} {
		v, err := url.ParseQuery(tc.query)
		if err != nil {
			t.Fatal(err)
		}
		got, err := sarRequest("R1", v, tc.header)
		var rj *access.InputError
		switch {
		case tc.field != "" && (!errors.As(err, &rj) || rj.Field != tc.field):
			t.Errorf("%q: %v, want a rejection naming %s", tc.query, err, tc.field)
		case tc.field == "" && err != nil:
			t.Errorf("%q: %v", tc.query, err)
		case tc.field == "" && (!slices.Equal(got.Refs, tc.want.Refs) || got.Reason != tc.want.Reason ||
			got.ThirdParties != tc.want.ThirdParties || got.ThirdPartyReason != tc.want.ThirdPartyReason):
			t.Errorf("%q: %+v, want %+v", tc.query, got, tc.want)
		}
	}
}

// FuzzSARRequest reads arbitrary references and queries: never a panic;
// the path's person always first; at most access.MaxSARPersons persons,
// none blank; any refusal names a parameter.
func FuzzSARRequest(f *testing.F) {
	for _, q := range []string{"", "also=a&also=b", "third_parties=true&third_party_reason=x", "third_parties=%ff", "also=%00&reason=%e2%80"} {
		f.Add("R1", q, "")
	}
	f.Add("", "also=", "why")
	f.Fuzz(func(t *testing.T, ref, query, header string) {
		v, err := url.ParseQuery(query)
		if err != nil {
			return // the handler refuses it before (query())
		}
		got, err := sarRequest(ref, v, header)
		var rj *access.InputError
		if err != nil {
			if !errors.As(err, &rj) || rj.Field == "" {
				t.Fatalf("%q: %v, not a rejection naming a parameter", query, err)
			}
			return
		}
		if len(got.Refs) == 0 || got.Refs[0] != ref || len(got.Refs) > access.MaxSARPersons {
			t.Fatalf("%q: persons %q", query, got.Refs)
		}
		for _, r := range got.Refs[1:] {
			if strings.TrimSpace(r) == "" || r == ref {
				t.Fatalf("%q: a blank or repeated person in %q", query, got.Refs)
			}
		}
	})
}
