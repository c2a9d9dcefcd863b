package evaluate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/resindex/resindex"
)

const eps = 1e-12

func TestCompare(t *testing.T) {
	tests := []struct {
		name        string
		truth, pred []resindex.Assignment
		want        Metrics
	}{
		{"empty", nil, nil, Metrics{Precision: 1, Recall: 1, F1: 1, BCubedPrecision: 1, BCubedRecall: 1, BCubedF1: 1}},
		{"all singletons", clusters("1 2 3"), clusters("a b c"), Metrics{
			Records: 3, TruePersons: 3, PredictedPersons: 3,
			Precision: 1, Recall: 1, F1: 1, BCubedPrecision: 1, BCubedRecall: 1, BCubedF1: 1}},
		{"perfect, relabelled", clusters("1 1 2 2 2 3"), clusters("a a b b b c"), Metrics{
			Records: 6, TruePersons: 3, PredictedPersons: 3, TruePairs: 4, PredictedPairs: 4, CorrectPairs: 4,
			Precision: 1, Recall: 1, F1: 1, BCubedPrecision: 1, BCubedRecall: 1, BCubedF1: 1}},
		// All split: no predicted pairs, so precision 1 by convention. B-cubed
		// recall = (2·1/2 + 3·1/3 + 1·1)/6 = 1/2.
		{"all split", clusters("1 1 2 2 2 3"), clusters("a b c d e f"), Metrics{
			Records: 6, TruePersons: 3, PredictedPersons: 6, TruePairs: 4,
			Precision: 1, Recall: 0, F1: 0, BCubedPrecision: 1, BCubedRecall: 0.5, BCubedF1: 2.0 / 3}},
		// All merged: 15 predicted pairs, 4 correct. B-cubed precision =
		// (2·2/6 + 3·3/6 + 1·1/6)/6 = 14/36.
		{"all merged", clusters("1 1 2 2 2 3"), clusters("a a a a a a"), Metrics{
			Records: 6, TruePersons: 3, PredictedPersons: 1, TruePairs: 4, PredictedPairs: 15, CorrectPairs: 4,
			Precision: 4.0 / 15, Recall: 1, F1: 8.0 / 19, BCubedPrecision: 7.0 / 18, BCubedRecall: 1, BCubedF1: 14.0 / 25}},
		// Partial: cells (1,a)=2 (1,b)=1 (2,b)=2. B-cubed precision =
		// (2·2/2 + 1·1/3 + 2·2/3)/5 = 11/15, recall = (2·2/3 + 1·1/3 + 2·2/2)/5 = 11/15.
		{"partial", clusters("1 1 1 2 2"), clusters("a a b b b"), Metrics{
			Records: 5, TruePersons: 2, PredictedPersons: 2, TruePairs: 4, PredictedPairs: 4, CorrectPairs: 2,
			Precision: 0.5, Recall: 0.5, F1: 0.5, BCubedPrecision: 11.0 / 15, BCubedRecall: 11.0 / 15, BCubedF1: 11.0 / 15}},
		// Precision 0 and recall 0: F1 is 0, not NaN.
		{"nothing right", clusters("1 1 2 2"), clusters("a b a b"), Metrics{
			Records: 4, TruePersons: 2, PredictedPersons: 2, TruePairs: 2, PredictedPairs: 2,
			Precision: 0, Recall: 0, F1: 0, BCubedPrecision: 0.5, BCubedRecall: 0.5, BCubedF1: 0.5}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkMetrics(t, Compare(tt.truth, tt.pred), tt.want)
		})
	}
}

func TestCompareMissingKeys(t *testing.T) {
	truth := assign(t, "a=1 b=1 c=2 d=2 gone=2")
	// "new" and "other" are not in the truth, "b" is repeated (first counts),
	// "gone" is missing from the prediction.
	pred := assign(t, "a=x b=x c=y d=y new=x b=y other=z new=z")
	want := Metrics{
		Records: 4, TruePersons: 2, PredictedPersons: 2, TruePairs: 2, PredictedPairs: 2, CorrectPairs: 2,
		Precision: 1, Recall: 1, F1: 1, BCubedPrecision: 1, BCubedRecall: 1, BCubedF1: 1,
		MissingFromPrediction: 1, MissingFromTruth: 2,
	}
	checkMetrics(t, Compare(truth, pred), want)

	// Truth entirely absent from the prediction.
	want = Metrics{Precision: 1, Recall: 1, F1: 1, BCubedPrecision: 1, BCubedRecall: 1, BCubedF1: 1, MissingFromPrediction: 5}
	checkMetrics(t, Compare(truth, nil), want)
}

func TestCompareRepeatedTruthKey(t *testing.T) {
	truth := assign(t, "a=1 b=1 a=2")
	got := Compare(truth, assign(t, "a=x b=x"))
	if got.Records != 2 || got.CorrectPairs != 1 || got.TruePersons != 1 || got.MissingFromPrediction != 0 {
		t.Errorf("got %+v, want the first assignment of a to count", got)
	}
}

func checkMetrics(t *testing.T, got, want Metrics) {
	t.Helper()
	gotInts := [...]int64{int64(got.Records), int64(got.TruePersons), int64(got.PredictedPersons), got.TruePairs,
		got.PredictedPairs, got.CorrectPairs, int64(got.MissingFromPrediction), int64(got.MissingFromTruth)}
	wantInts := [...]int64{int64(want.Records), int64(want.TruePersons), int64(want.PredictedPersons), want.TruePairs,
		want.PredictedPairs, want.CorrectPairs, int64(want.MissingFromPrediction), int64(want.MissingFromTruth)}
	if gotInts != wantInts {
		t.Errorf("counts: got %+v, want %+v", got, want)
	}
	rates := []struct {
		name      string
		got, want float64
	}{
		{"Precision", got.Precision, want.Precision}, {"Recall", got.Recall, want.Recall}, {"F1", got.F1, want.F1},
		{"BCubedPrecision", got.BCubedPrecision, want.BCubedPrecision},
		{"BCubedRecall", got.BCubedRecall, want.BCubedRecall}, {"BCubedF1", got.BCubedF1, want.BCubedF1},
	}
	for _, r := range rates {
		if math.Abs(r.got-r.want) > eps || math.IsNaN(r.got) {
			t.Errorf("%s = %v, want %v", r.name, r.got, r.want)
		}
	}
}

// randomClustering assigns n records to clusters drawn from k labels; labels
// carry a prefix so truth and prediction ids never coincide by accident.
func randomClustering(rng *rand.Rand, n, k int, prefix string) []resindex.Assignment {
	out := make([]resindex.Assignment, n)
	for i := range out {
		out[i] = resindex.Assignment{Key: key(fmt.Sprintf("r%d", i)), PersonID: fmt.Sprintf("%s%d", prefix, rng.IntN(k))}
	}
	return out
}

// bruteForce computes the pair counts and B-cubed figures by looking at
// every pair of records on both sides.
func bruteForce(truth, pred []resindex.Assignment) Metrics {
	tp := make(map[resindex.RecordKey]string)
	for _, a := range truth {
		tp[a.Key] = a.PersonID
	}
	var common []resindex.Assignment
	for _, a := range pred {
		if _, ok := tp[a.Key]; ok {
			common = append(common, a)
		}
	}
	var m Metrics
	m.Records = len(common)
	var bp, br float64
	for _, a := range common {
		sameT, sameP, both := 0, 0, 0
		for _, b := range common {
			st, sp := tp[a.Key] == tp[b.Key], a.PersonID == b.PersonID
			sameT, sameP = sameT+b2i(st), sameP+b2i(sp)
			both += b2i(st && sp)
		}
		bp += float64(both) / float64(sameP)
		br += float64(both) / float64(sameT)
		m.TruePairs += int64(sameT - 1)
		m.PredictedPairs += int64(sameP - 1)
		m.CorrectPairs += int64(both - 1)
	}
	m.TruePairs, m.PredictedPairs, m.CorrectPairs = m.TruePairs/2, m.PredictedPairs/2, m.CorrectPairs/2
	m.BCubedPrecision, m.BCubedRecall = 1, 1
	if m.Records > 0 {
		m.BCubedPrecision, m.BCubedRecall = bp/float64(m.Records), br/float64(m.Records)
	}
	return m
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestCompareMatchesBruteForce(t *testing.T) {
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 42))
		n := rng.IntN(60)
		truth := randomClustering(rng, n, 1+rng.IntN(20), "t")
		pred := randomClustering(rng, n, 1+rng.IntN(20), "p")
		// Drop a few records from each side to exercise missing keys.
		truth = truth[:len(truth)-rng.IntN(len(truth)/4+1)]
		rng.Shuffle(len(pred), func(i, j int) { pred[i], pred[j] = pred[j], pred[i] })
		pred = pred[:len(pred)-rng.IntN(len(pred)/4+1)]

		got, want := Compare(truth, pred), bruteForce(truth, pred)
		if sorted := Compare(sortedByKey(truth), sortedByKey(pred)); sorted != got {
			t.Fatalf("seed %d: sorted input gave %+v, shuffled %+v", seed, sorted, got)
		}
		if got.Records != want.Records || got.TruePairs != want.TruePairs ||
			got.PredictedPairs != want.PredictedPairs || got.CorrectPairs != want.CorrectPairs {
			t.Fatalf("seed %d: pair counts %+v, brute force %+v", seed, got, want)
		}
		if math.Abs(got.BCubedPrecision-want.BCubedPrecision) > 1e-9 || math.Abs(got.BCubedRecall-want.BCubedRecall) > 1e-9 {
			t.Fatalf("seed %d: B-cubed %v/%v, brute force %v/%v", seed,
				got.BCubedPrecision, got.BCubedRecall, want.BCubedPrecision, want.BCubedRecall)
		}
	}
}

func TestCompareIndependentOfOrder(t *testing.T) {
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 7))
		truth := randomClustering(rng, 500, 80, "t")
		pred := randomClustering(rng, 500, 60, "p")
		want := Compare(truth, pred)
		rng.Shuffle(len(truth), func(i, j int) { truth[i], truth[j] = truth[j], truth[i] })
		rng.Shuffle(len(pred), func(i, j int) { pred[i], pred[j] = pred[j], pred[i] })
		if got := Compare(truth, pred); got != want {
			t.Fatalf("seed %d: shuffled input gave %+v, want %+v", seed, got, want)
		}
	}
}

func TestCompareOneHugeCluster(t *testing.T) {
	// Pair enumeration would take ~2·10^10 steps; the contingency table is linear.
	const n = 200_000
	truth := make([]resindex.Assignment, n)
	pred := make([]resindex.Assignment, n)
	for i := range truth {
		k := key(fmt.Sprintf("r%d", i))
		truth[i] = resindex.Assignment{Key: k, PersonID: "everyone"}
		pred[i] = resindex.Assignment{Key: k, PersonID: fmt.Sprintf("half%d", i%2)}
	}
	m := Compare(truth, pred)
	half := int64(n / 2)
	if m.TruePairs != int64(n)*(n-1)/2 || m.CorrectPairs != half*(half-1) || m.PredictedPairs != m.CorrectPairs {
		t.Errorf("got %+v", m)
	}
	if m.Precision != 1 || math.Abs(m.BCubedRecall-0.5) > eps {
		t.Errorf("precision %v, B-cubed recall %v", m.Precision, m.BCubedRecall)
	}
}

// sortedByKey returns a copy of as stably sorted by key, so that of repeated
// keys the first stays first.
func sortedByKey(as []resindex.Assignment) []resindex.Assignment {
	out := slices.Clone(as)
	slices.SortStableFunc(out, func(a, b resindex.Assignment) int { return a.Key.Compare(b.Key) })
	return out
}

func TestCompareRepeatedKeysSortedOrNot(t *testing.T) {
	for seed := range uint64(100) {
		rng := rand.New(rand.NewPCG(seed, 11))
		truth := withRepeats(rng, randomClustering(rng, 1+rng.IntN(40), 1+rng.IntN(8), "t"))
		pred := withRepeats(rng, randomClustering(rng, 1+rng.IntN(40), 1+rng.IntN(8), "p"))
		got := Compare(truth, pred)
		if sorted := Compare(sortedByKey(truth), sortedByKey(pred)); sorted != got {
			t.Fatalf("seed %d: sorted input gave %+v, unsorted %+v", seed, sorted, got)
		}
	}
}

// withRepeats appends a few assignments of keys already present, to other
// persons, and shuffles.
func withRepeats(rng *rand.Rand, as []resindex.Assignment) []resindex.Assignment {
	for range rng.IntN(len(as)/2 + 1) {
		a := as[rng.IntN(len(as))]
		as = append(as, resindex.Assignment{Key: a.Key, PersonID: fmt.Sprintf("%s-again%d", a.PersonID, rng.IntN(3))})
	}
	rng.Shuffle(len(as), func(i, j int) { as[i], as[j] = as[j], as[i] })
	return as
}
