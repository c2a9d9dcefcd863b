package resolver_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/evaluate"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/synth"
)

// MustBorough generates a synthetic borough and returns its live records
// and truth.
func MustBorough(tb testing.TB, persons int, seed uint64) ([]resindex.Record, []resindex.Assignment) {
	tb.Helper()
	_, all, truth := MustTimeline(tb, persons, seed)
	return resolver.Latest(all), truth
}

// MustTimeline generates a synthetic borough and returns it, every version
// of every record, and the truth.
func MustTimeline(tb testing.TB, persons int, seed uint64) (*synth.Borough, []resindex.Record, []resindex.Assignment) {
	tb.Helper()
	cfg := synth.DefaultConfig()
	cfg.Persons, cfg.Seed = persons, seed
	b, err := synth.Generate(cfg, nil)
	if err != nil {
		tb.Fatal(err)
	}
	var all []resindex.Record
	for _, src := range resindex.Sources {
		all = append(all, b.Records[src]...)
	}
	truth := make([]resindex.Assignment, len(b.Truth))
	for i, t := range b.Truth {
		truth[i] = resindex.Assignment{Key: resindex.RecordKey{Source: t.Source, ID: t.ID}, PersonID: t.PersonID}
	}
	return b, all, truth
}

// TestLinkSyntheticBorough links a small borough (seed 3: seeds 1 and 2
// are kept for the reported benchmark) and checks the accuracy floor.
func TestLinkSyntheticBorough(t *testing.T) {
	recs, truth := MustBorough(t, 3000, 3)
	res := MustLink(t, recs, resolver.LinkOptions{})
	m := evaluate.Compare(truth, assignments(res))
	t.Logf("borough 3000 persons seed 3: records %d precision %.4f recall %.4f F1 %.4f", m.Records, m.Precision, m.Recall, m.F1)
	if m.MissingFromPrediction+m.MissingFromTruth != 0 {
		t.Errorf("link and truth disagree on which records are live: %d/%d missing", m.MissingFromPrediction, m.MissingFromTruth)
	}
	if m.F1 < 0.95 || m.Precision < 0.97 {
		t.Errorf("accuracy below the floor: precision %.4f F1 %.4f", m.Precision, m.F1)
	}
}

// TestScoreIsSymmetric: a pair scores the same whichever record comes
// first, so explain A B, explain B A and link all agree.
func TestScoreIsSymmetric(t *testing.T) {
	recs, _ := MustBorough(t, 1000, 4)
	res := MustLink(t, recs, resolver.LinkOptions{})
	ps, sc := res.Profiles, res.Scorer
	for _, e := range res.Edges {
		ab, ba := sc.Score(&ps[e.A], &ps[e.B]), sc.Score(&ps[e.B], &ps[e.A])
		if ab.Weight != ba.Weight || ab.Vector != ba.Vector {
			var buf strings.Builder
			sc.Explain(&ps[e.A], &ps[e.B]).Format(&buf)
			sc.Explain(&ps[e.B], &ps[e.A]).Format(&buf)
			t.Fatalf("%s vs %s scores %.3f one way, %.3f the other\n%s", res.Keys[e.A], res.Keys[e.B], ab.Weight, ba.Weight, buf.String())
		}
	}
}

// TestScoreWithOneSideUnannotated: scoring a pair with one record's term
// frequencies cleared never lowers the weight — the engine relies on it to
// screen candidates without annotating them and miss no link.
func TestScoreWithOneSideUnannotated(t *testing.T) {
	recs, _ := MustBorough(t, 1000, 4)
	res := MustLink(t, recs, resolver.LinkOptions{})
	ps, sc := res.Profiles, res.Scorer
	checked := 0
	for _, e := range res.Edges {
		for _, pair := range [][2]int32{{e.A, e.B}, {e.B, e.A}} {
			a, b := ps[pair[0]], ps[pair[1]]
			full := sc.Score(&a, &b).Weight
			b.Addresses = slices.Clone(b.Addresses)
			b.ClearFrequencies()
			if screened := sc.Score(&a, &b).Weight; screened < full-1e-9 {
				t.Fatalf("%s vs %s: %.3f with both annotated, %.3f with one cleared", res.Keys[pair[0]], res.Keys[pair[1]], full, screened)
			}
			checked++
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d pairs checked", checked)
	}
}
