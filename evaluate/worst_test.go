package evaluate

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/resindex/resindex"
)

// worstFixture: persons p1 {a1 a2 a3}, p2 {b1 b2}, p3 {c1}, p4 {d1 d2},
// p5 {e1 e2}; predicted X {a1 a2 b1}, Y {a3 b2 c1}, Z {d1 d2}, W {e1}, V {e2},
// and "extra" in X, which the truth does not know.
func worstFixture(t *testing.T) (truth, pred []resindex.Assignment) {
	truth = assign(t, "a1=p1 a2=p1 a3=p1 b1=p2 b2=p2 c1=p3 d1=p4 d2=p4 e1=p5 e2=p5")
	pred = assign(t, "a1=X a2=X b1=X extra=X a3=Y b2=Y c1=Y d1=Z d2=Z e1=W e2=V")
	return truth, pred
}

func keys(ids string) []resindex.RecordKey {
	var out []resindex.RecordKey
	for _, id := range strings.Fields(ids) {
		out = append(out, key(id))
	}
	return out
}

func TestWorstMerges(t *testing.T) {
	truth, pred := worstFixture(t)
	want := []FalseMerge{
		// Three persons of one record each: ties go to the smaller keys.
		{PredictedID: "Y", WrongPairs: 3, Records: keys("a3 b2 c1"), Example: [2]resindex.RecordKey{key("a3"), key("b2")}},
		// p1 has two records here, p2 one.
		{PredictedID: "X", WrongPairs: 2, Records: keys("a1 a2 b1"), Example: [2]resindex.RecordKey{key("a1"), key("b1")}},
	}
	if got := WorstMerges(truth, pred, 10); !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if got := WorstMerges(truth, pred, 1); !reflect.DeepEqual(got, want[:1]) {
		t.Errorf("n=1: got %+v", got)
	}
	if got := WorstMerges(truth, pred, 0); got != nil {
		t.Errorf("n=0: got %+v", got)
	}
	if got := WorstMerges(truth, truth, 10); got != nil {
		t.Errorf("perfect prediction: got %+v", got)
	}
}

func TestWorstSplits(t *testing.T) {
	truth, pred := worstFixture(t)
	want := []FalseSplit{
		{TrueID: "p1", MissedPairs: 2, Records: keys("a1 a2 a3"), Example: [2]resindex.RecordKey{key("a1"), key("a3")}},
		// p2 and p5 tie on one missed pair: ordered by id.
		{TrueID: "p2", MissedPairs: 1, Records: keys("b1 b2"), Example: [2]resindex.RecordKey{key("b1"), key("b2")}},
		{TrueID: "p5", MissedPairs: 1, Records: keys("e1 e2"), Example: [2]resindex.RecordKey{key("e1"), key("e2")}},
	}
	if got := WorstSplits(truth, pred, 10); !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if got := WorstSplits(truth, pred, 2); !reflect.DeepEqual(got, want[:2]) {
		t.Errorf("n=2: got %+v", got)
	}
	if got := WorstSplits(truth, pred, -1); got != nil {
		t.Errorf("n=-1: got %+v", got)
	}
}

func TestWorstExampleFromLargestGroups(t *testing.T) {
	// Predicted M holds p1 ×1 (a0), p2 ×3 (b7 b8 b9), p3 ×2 (c5 c6): the
	// example joins the two largest, p2 and p3, by their smallest keys.
	truth := assign(t, "a0=p1 b7=p2 b8=p2 b9=p2 c5=p3 c6=p3")
	pred := assign(t, "a0=M b9=M b8=M b7=M c6=M c5=M")
	got := WorstMerges(truth, pred, 1)
	want := [2]resindex.RecordKey{key("b7"), key("c5")}
	if len(got) != 1 || got[0].Example != want || got[0].WrongPairs != 15-3-1 {
		t.Errorf("got %+v, want example %v", got, want)
	}
}

func TestWorstDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	truth := randomClustering(rng, 400, 90, "t")
	pred := randomClustering(rng, 400, 70, "p")
	merges, splits := WorstMerges(truth, pred, 15), WorstSplits(truth, pred, 15)
	if len(merges) != 15 || len(splits) != 15 {
		t.Fatalf("got %d merges, %d splits, want 15 each", len(merges), len(splits))
	}
	checkRanked(t, merges, splits)
	for range 5 {
		rng.Shuffle(len(truth), func(i, j int) { truth[i], truth[j] = truth[j], truth[i] })
		rng.Shuffle(len(pred), func(i, j int) { pred[i], pred[j] = pred[j], pred[i] })
		if got := WorstMerges(truth, pred, 15); !reflect.DeepEqual(got, merges) {
			t.Fatal("WorstMerges depends on input order")
		}
		if got := WorstSplits(truth, pred, 15); !reflect.DeepEqual(got, splits) {
			t.Fatal("WorstSplits depends on input order")
		}
	}
}

// checkRanked checks the order and the examples of ranked results.
func checkRanked(t *testing.T, merges []FalseMerge, splits []FalseSplit) {
	t.Helper()
	for i := 1; i < len(merges); i++ {
		a, b := merges[i-1], merges[i]
		if a.WrongPairs < b.WrongPairs || (a.WrongPairs == b.WrongPairs && a.PredictedID >= b.PredictedID) {
			t.Errorf("merges %d and %d out of order", i-1, i)
		}
	}
	for i := 1; i < len(splits); i++ {
		a, b := splits[i-1], splits[i]
		if a.MissedPairs < b.MissedPairs || (a.MissedPairs == b.MissedPairs && a.TrueID >= b.TrueID) {
			t.Errorf("splits %d and %d out of order", i-1, i)
		}
	}
	for _, m := range merges {
		if !slices.IsSortedFunc(m.Records, resindex.RecordKey.Compare) || m.Example[0].Compare(m.Example[1]) >= 0 {
			t.Errorf("merge %s: records or example not in key order", m.PredictedID)
		}
	}
}

func TestWorstCountsMatchBruteForce(t *testing.T) {
	for seed := range uint64(50) {
		rng := rand.New(rand.NewPCG(seed, 9))
		n := 1 + rng.IntN(40)
		truth := randomClustering(rng, n, 1+rng.IntN(10), "t")
		pred := randomClustering(rng, n, 1+rng.IntN(10), "p")
		tp := make(map[resindex.RecordKey]string)
		for _, a := range truth {
			tp[a.Key] = a.PersonID
		}
		for _, m := range WorstMerges(truth, pred, n) {
			var wrong int64
			for i, a := range m.Records {
				for _, b := range m.Records[i+1:] {
					if tp[a] != tp[b] {
						wrong++
					}
				}
			}
			if wrong != m.WrongPairs || tp[m.Example[0]] == tp[m.Example[1]] {
				t.Fatalf("seed %d: merge %s: %d wrong pairs by enumeration, reported %d, example %v",
					seed, m.PredictedID, wrong, m.WrongPairs, m.Example)
			}
		}
	}
}
