package resolver_test

import (
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/matcher"
	"github.com/resindex/resindex/resolver"
)

// TestScoreAtLeastIsScore: ScoreAtLeast keeps exactly the pairs whose
// full score reaches the weight without a hard conflict, with that score
// to the bit, for the shipped and a fitted model, on pairs of one person's
// records, pairs sharing a family name and pairs drawn at random, at each
// pair's own score and at the review weight. It must also rule pairs out
// before comparing names, or it saves the linker nothing.
func TestScoreAtLeastIsScore(t *testing.T) {
	recs, truth := MustBorough(t, 1500, 7)
	shipped := matcher.DefaultModel()
	ps := resolver.Profiles(recs, shipped, 2, func(int, int) {})
	personOf := map[resindex.RecordKey]string{}
	for _, a := range truth {
		personOf[a.Key] = a.PersonID
	}
	person := map[string][]int{}
	for i := range ps {
		id := personOf[ps[i].Key]
		person[id] = append(person[id], i)
	}
	fitted, _ := resolver.Fit(ps, shipped, resolver.FitOptions{Seed: 1}, 2, func(string, int, int) {})
	byFamily := map[string][]int{}
	for i := range ps {
		byFamily[ps[i].Family] = append(byFamily[ps[i].Family], i)
	}
	var pairs [][2]int
	for _, group := range []map[string][]int{person, byFamily} {
		for _, idx := range group {
			for x := 0; x < len(idx) && x < 12; x++ {
				for y := x + 1; y < len(idx) && y < 12; y++ {
					pairs = append(pairs, [2]int{idx[x], idx[y]})
				}
			}
		}
	}
	for i := 0; i < 20000; i++ {
		pairs = append(pairs, [2]int{(i * 7919) % len(ps), (i*104729 + 13) % len(ps)})
	}
	for _, model := range []*matcher.Model{shipped, fitted} {
		s := matcher.NewScorer(model, len(ps))
		early := 0
		for _, p := range pairs {
			a, b := &ps[p[0]], &ps[p[1]]
			if p[0] == p[1] {
				continue
			}
			want := s.Score(a, b)
			for _, min := range []float64{want.Weight, model.ReviewThreshold} {
				got, ok := s.ScoreAtLeast(a, b, min)
				if ok != (!want.Conflict && want.Weight >= min) || ok && got != want {
					t.Fatalf("%s: %s and %s at %.3f: got %+v %v, Score %+v", model.Version, a.Key, b.Key, min, got, ok, want)
				}
				if !ok && got.Vector[matcher.CmpGiven] == matcher.LevelNull && len(a.Given) > 0 && len(b.Given) > 0 {
					early++ // ruled out before the names were compared
				}
			}
		}
		if early < len(pairs)/4 {
			t.Errorf("%s: %d of %d pairs ruled out before comparing names; it saves the linker little", model.Version, early, len(pairs))
		}
	}
}
