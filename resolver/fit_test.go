package resolver_test

import (
	"bytes"
	"slices"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/evaluate"
	"github.com/resindex/resindex/matcher"
	"github.com/resindex/resindex/resolver"
)

// TestFittedModelRoundTrips: a model fitted to a borough, written to its
// file and read back, is the same model and scores every pair the same.
func TestFittedModelRoundTrips(t *testing.T) {
	recs, _ := MustBorough(t, 400, 31)
	fitted := MustTrain(t, recs)
	data, err := fitted.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	back, err := matcher.ParseModel(data)
	if err != nil {
		t.Fatalf("the fitted model does not read back: %v", err)
	}
	again, err := back.MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, again) {
		t.Fatal("the fitted model changed on its way through its file")
	}
	ps := resolver.Profiles(recs, fitted, 2, func(int, int) {})
	a, b := matcher.NewScorer(fitted, len(ps)), matcher.NewScorer(back, len(ps))
	for i := 1; i < len(ps); i++ {
		if x, y := a.Score(&ps[i-1], &ps[i]), b.Score(&ps[i-1], &ps[i]); x != y {
			t.Fatalf("pair %d scores %v fitted, %v read back", i, x, y)
		}
	}
}

// TestFitIsRepeatable: the same records and seed give the same model,
// whatever the order of the records and the number of workers.
func TestFitIsRepeatable(t *testing.T) {
	recs, _ := MustBorough(t, 300, 32)
	first := MustTrain(t, recs)
	shuffled := slices.Clone(recs)
	slices.Reverse(shuffled)
	m, _, err := resolver.Train(shuffled, resolver.TrainOptions{
		LinkOptions: resolver.LinkOptions{Workers: 1},
		FitOptions:  resolver.FitOptions{RandomPairs: 500_000, Seed: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	x, _ := first.MarshalIndent()
	y, _ := m.MarshalIndent()
	if !bytes.Equal(x, y) {
		t.Error("the fitted model depends on the order of the records or the number of workers")
	}
}

// TestBlockingAdaptsToAbsentFields: with every date of birth removed, or
// every name, the rules that need neither still bring the true pairs
// together, and the rules that need them give nothing.
func TestBlockingAdaptsToAbsentFields(t *testing.T) {
	recs, truth := MustBorough(t, 600, 33)
	tm := map[resindex.RecordKey]string{}
	for _, a := range truth {
		tm[a.Key] = a.PersonID
	}
	cases := []struct {
		name   string
		strip  func(r *resindex.Record)
		absent []matcher.Rule // rules that must give no pair
		floor  float64        // pair completeness at least
	}{
		{"no date of birth", func(r *resindex.Record) { r.DOB = "" },
			[]matcher.Rule{matcher.RuleDOBGiven, matcher.RuleDOBFamily, matcher.RuleFamilyYear, matcher.RuleDOBPlace, matcher.RuleGivenYear}, 0.95},
		{"no names", func(r *resindex.Record) { r.Name = resindex.Name{}; r.OtherNames = nil },
			[]matcher.Rule{matcher.RuleDOBGiven, matcher.RuleFamilyYear, matcher.RuleNames, matcher.RuleFamilyInit, matcher.RuleGivenYear}, 0.90},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stripped := slices.Clone(recs)
			for i := range stripped {
				c.strip(&stripped[i])
			}
			res := MustLink(t, stripped, resolver.LinkOptions{Truth: tm, Fit: &resolver.FitOptions{Seed: 1}})
			for _, r := range c.absent {
				if n := res.Stats.CandidatesByRule[r]; n != 0 {
					t.Errorf("rule %s gave %d pairs from a field no record has", r, n)
				}
			}
			if pc := res.Stats.PairCompleteness(); pc < c.floor {
				t.Errorf("pair completeness %.4f, want at least %.2f from the rules that need no such field", pc, c.floor)
			}
			m := evaluate.Compare(truth, assignments(res))
			t.Logf("%s: pair completeness %.4f, precision %.4f recall %.4f F1 %.4f", c.name, res.Stats.PairCompleteness(), m.Precision, m.Recall, m.F1)
		})
	}
}

// TestFitWithoutHouseholds: on FEBRL-shaped data (no two people at one
// address), fitting finds no households and says addresses are personal;
// on the borough it finds households.
func TestFitFindsHouseholds(t *testing.T) {
	recs, _ := MustBorough(t, 800, 34)
	_, rep, err := resolver.Train(recs, resolver.TrainOptions{FitOptions: resolver.FitOptions{Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Households {
		t.Errorf("the borough has households, fitting found none (same-property match share %.2f)", rep.Household.MatchShare)
	}
	one := slices.Clone(recs)
	for i := range one { // give every record an address of its own
		one[i].Addresses = []resindex.Address{{Lines: []string{one[i].ID + " Own Road"}, Postcode: "NW1 1AA", Current: true}}
	}
	m, rep, err := resolver.Train(one, resolver.TrainOptions{FitOptions: resolver.FitOptions{Seed: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Households || !m.PersonalAddresses {
		t.Errorf("every record at its own address, yet fitting found households: %v, personal addresses %v", rep.Households, m.PersonalAddresses)
	}
}

// TestFitOnEmptyAndTinyInput: fitting never fails for want of data, and
// below MinFitRecords it keeps the starting model whole: a store's first
// bulk load of ten records must not keep a model fitted to ten records.
func TestFitOnEmptyAndTinyInput(t *testing.T) {
	few, _ := MustBorough(t, 40, 35)
	few = few[:min(len(few), resolver.MinFitRecords-1)]
	one := []resindex.Record{{Source: "s", ID: "1", Name: resindex.Name{Given: "Ann", Family: "Lee"}}}
	want, _ := matcher.DefaultModel().MarshalIndent()
	for _, recs := range [][]resindex.Record{nil, one, few} {
		m, rep, err := resolver.Train(recs, resolver.TrainOptions{FitOptions: resolver.FitOptions{Seed: 1}})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := m.MarshalIndent(); !bytes.Equal(got, want) {
			t.Errorf("%d records: the model changed with too little to learn from (%s)", len(recs), rep.Prior.Rule)
		}
	}
}
