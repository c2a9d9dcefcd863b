package matcher

import (
	"slices"
	"testing"

	"github.com/resindex/resindex"
)

func TestFirstSharedProducesEachPairOnce(t *testing.T) {
	a := rec("Ann", "Lee", "1980-01-02", "10 High Street", "NW1 4AB")
	b := rec("Ann", "Lee", "1980-01-02", "10 High Street", "NW1 4AB")
	pa, pb := prof(a), prof(b)
	ka, kb := NewBlockingKeys(pa), NewBlockingKeys(pb)
	produced := 0
	for r := Rule(0); r < NumRules; r++ {
		for _, h := range ka.Rule(r) {
			if containsKey(kb.Rule(r), h) && FirstShared(&ka, &kb, r, h, nil) {
				produced++
			}
		}
	}
	if produced != 1 {
		t.Fatalf("pair produced %d times, want once", produced)
	}
}

func TestBlockingKeysSurviveOneWrongField(t *testing.T) {
	base := rec("Margaret", "Okafor", "1975-06-30", "4 Mill Lane", "N7 8QT")
	variants := map[string]resindex.Record{
		"moved":        rec("Margaret", "Okafor", "1975-06-30", "99 Other Road", "E1 6AN"),
		"dob typo":     rec("Margaret", "Okafor", "1975-06-03", "4 Mill Lane", "N7 8QT"),
		"married":      rec("Margaret", "Adeyemi", "1975-06-30", "99 Other Road", "E1 6AN"),
		"nickname":     rec("Peggy", "Okafor", "1975-06-30", "99 Other Road", "E1 6AN"),
		"no dob":       rec("Margaret", "Okafor", "", "99 Other Road", "E1 6AN"),
		"names swaped": rec("Okafor", "Margaret", "1975-06-30", "99 Other Road", "E1 6AN"),
	}
	kb := NewBlockingKeys(prof(base))
	for name, v := range variants {
		kv := NewBlockingKeys(prof(v))
		shared := false
		for r := Rule(0); r < NumRules; r++ {
			shared = shared || sharesAny(kb.Rule(r), kv.Rule(r))
		}
		if !shared {
			t.Errorf("%s: no blocking key shared", name)
		}
	}
}

func sharesAny(a, b []uint64) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// TestFirstSharedMaskedAgrees: given a's earlier mask, the answer is
// FirstShared's for every key of every rule, skipped rules or not.
func TestFirstSharedMaskedAgrees(t *testing.T) {
	recs := []resindex.Record{
		rec("Ann", "Lee", "1980-01-02", "10 High Street", "NW1 4AB"),
		rec("Ann", "Lee", "1980-01-02", "12 High Street", "NW1 4AB"),
		rec("Anne", "Lee", "1980-02-01", "10 High Street", "NW1 4AB"),
		rec("Bob", "Lee", "1980-01-02", "1 Mill Lane", "E1 6AN"),
	}
	var skip [NumRules]bool
	skip[RuleDOBGiven] = true
	seen := 0
	for _, x := range recs {
		for _, y := range recs {
			ka, kb := NewBlockingKeys(prof(x)), NewBlockingKeys(prof(y))
			for r := Rule(0); r < NumRules; r++ {
				ma := ka.EarlierMask(r)
				for _, h := range ka.Rule(r) {
					for _, s := range []*[NumRules]bool{nil, &skip} {
						if FirstSharedMasked(&ka, &ma, &kb, r, h, s) != FirstShared(&ka, &kb, r, h, s) {
							t.Fatalf("rule %v: masked and plain disagree", r)
						}
						seen++
					}
				}
			}
		}
	}
	if seen == 0 {
		t.Fatal("no keys")
	}
}

func BenchmarkFirstSharedMasked(b *testing.B) {
	x, y := benchPair()
	ka, kb := NewBlockingKeys(prof(x)), NewBlockingKeys(prof(y))
	r := RuleNames
	ma := ka.EarlierMask(r)
	h := uint64(1) << 63
	for b.Loop() {
		FirstSharedMasked(&ka, &ma, &kb, r, h, nil)
	}
}
