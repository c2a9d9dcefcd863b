package evaluate

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/resindex/resindex"
)

// benchClusterings returns a truth of n records in persons of 1 to 8
// records plus one of n/10 records, and a prediction that splits, merges and
// moves a few percent of them, as a matcher's output would.
func benchClusterings(n int) (truth, pred []resindex.Assignment) {
	rng := rand.New(rand.NewPCG(2024, 1))
	truth = make([]resindex.Assignment, n)
	pred = make([]resindex.Assignment, n)
	person, left := 0, n/10
	for i := range truth {
		if left == 0 {
			person, left = person+1, 1+rng.IntN(8)
		}
		left--
		k := resindex.RecordKey{Source: resindex.Sources[i%len(resindex.Sources)], ID: fmt.Sprintf("%d", i)}
		truth[i] = resindex.Assignment{Key: k, PersonID: fmt.Sprintf("t%d", person)}
		p := person
		switch r := rng.IntN(100); {
		case r < 3:
			p = n + i // split off on its own
		case r < 5:
			p = rng.IntN(person + 1) // falsely merged elsewhere
		}
		pred[i] = resindex.Assignment{Key: k, PersonID: fmt.Sprintf("p%d", p)}
	}
	rng.Shuffle(n, func(i, j int) { pred[i], pred[j] = pred[j], pred[i] })
	return truth, pred
}

// BenchmarkCompare measures Compare at 1,000,000 records: "shuffled" with
// the prediction in another order than the truth (keys are hashed), "sorted"
// with both sorted by key as WriteAssignments writes them (keys are merged).
func BenchmarkCompare(b *testing.B) {
	truth, pred := benchClusterings(1_000_000)
	byKey := func(x, y resindex.Assignment) int { return x.Key.Compare(y.Key) }
	sortedTruth, sortedPred := slices.Clone(truth), slices.Clone(pred)
	slices.SortFunc(sortedTruth, byKey)
	slices.SortFunc(sortedPred, byKey)
	for _, bc := range []struct {
		name        string
		truth, pred []resindex.Assignment
	}{{"shuffled", truth, pred}, {"sorted", sortedTruth, sortedPred}} {
		b.Run(bc.name, func(b *testing.B) {
			var m Metrics
			for b.Loop() {
				m = Compare(bc.truth, bc.pred)
			}
			b.ReportMetric(m.F1, "F1")
		})
	}
}

func BenchmarkWorstMerges(b *testing.B) {
	truth, pred := benchClusterings(1_000_000)
	b.ResetTimer()
	for b.Loop() {
		WorstMerges(truth, pred, 20)
	}
}
