package synth_test

import (
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/matcher"
)

// Identifiers and postcodes are cross-checked with the matcher's own
// validators: what the generator calls valid, the matcher must accept, and
// what errors.csv calls an invalid identifier, it must refuse.

func TestIdentifiersValidUnlessRecordedInvalid(t *testing.T) {
	b := mustGenerate(t)
	kinds := errorKinds(b)
	invalid := 0
	for k, r := range live(b) {
		bad := badIdentifiers(r)
		want := contains(kinds[k], "invalid_identifier")
		switch {
		case want && len(bad) == 0:
			t.Errorf("%s: invalid_identifier recorded but every identifier is valid", k)
		case !want && len(bad) > 0:
			t.Errorf("%s: identifiers %v invalid but no invalid_identifier recorded", k, bad)
		}
		if want {
			invalid++
		}
	}
	if invalid == 0 {
		t.Error("no invalid identifiers at all")
	}
}

// badIdentifiers lists the kinds of r's identifiers the matcher refuses.
func badIdentifiers(r *resindex.Record) []string {
	var bad []string
	check := map[string]func(string) (string, bool){
		resindex.IDNHS: matcher.ValidNHS, resindex.IDNINO: matcher.ValidNINO, resindex.IDUPN: matcher.ValidUPN,
	}
	for _, kind := range []string{resindex.IDNHS, resindex.IDNINO, resindex.IDUPN} {
		if v, ok := r.Identifiers[kind]; ok {
			if _, valid := check[kind](v); !valid {
				bad = append(bad, kind)
			}
		}
	}
	for _, a := range r.Addresses {
		if _, valid := matcher.ValidUPRN(a.UPRN); a.UPRN != "" && !valid {
			bad = append(bad, resindex.IDUPRN)
		}
	}
	return bad
}

func TestPostcodesValid(t *testing.T) {
	b := mustGenerate(t)
	n := 0
	for _, s := range resindex.Sources {
		for _, r := range b.Records[s] {
			for _, a := range r.Addresses {
				if a.Postcode == "" {
					continue
				}
				n++
				if !matcher.ValidUKPostcode(matcher.NormalisePostcode(a.Postcode)) {
					t.Fatalf("%s/%s: postcode %q is not valid", s, r.ID, a.Postcode)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no postcodes at all")
	}
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
