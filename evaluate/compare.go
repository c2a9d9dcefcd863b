package evaluate

import "github.com/resindex/resindex"

// Metrics is the agreement of a predicted clustering with the truth,
// computed over the records present on both sides.
type Metrics struct {
	// Records is the number of records present in both truth and prediction.
	Records int
	// TruePersons and PredictedPersons count the clusters on each side
	// among those records.
	TruePersons, PredictedPersons int
	// TruePairs and PredictedPairs count the pairs of records in the same
	// cluster on each side; CorrectPairs those in the same cluster on both.
	TruePairs, PredictedPairs, CorrectPairs int64
	// Precision, Recall and F1 are pairwise: CorrectPairs over
	// PredictedPairs, CorrectPairs over TruePairs, and their harmonic mean.
	// Precision is 1 when there are no predicted pairs, recall 1 when there
	// are no true pairs, and F1 is 0 when both are 0.
	Precision, Recall, F1 float64
	// BCubedPrecision is the mean over records of the share of the record's
	// predicted cluster that is in its true cluster; BCubedRecall the mean
	// share of its true cluster that is in its predicted cluster;
	// BCubedF1 their harmonic mean. Both are 1 when there are no records.
	BCubedPrecision, BCubedRecall, BCubedF1 float64
	// MissingFromPrediction and MissingFromTruth count the distinct keys
	// present on only one side. They are reported and left out of every
	// other figure.
	MissingFromPrediction, MissingFromTruth int
}

// Compare measures predicted against truth: pairwise and B-cubed precision,
// recall and F1 over the records on both sides. It works from the
// contingency table of (true, predicted) clusters in time linear in the
// number of records, whatever the cluster sizes, and never enumerates pairs.
// A key that appears twice on one side counts once, with its first
// assignment. Otherwise the result does not depend on the order of either
// slice.
func Compare(truth, predicted []resindex.Assignment) Metrics {
	j := newJoin(truth, predicted)
	t := newTable(j.truth, j.pred, len(j.truthIDs), len(j.predIDs))
	m := Metrics{
		Records:               len(j.at),
		TruePersons:           len(j.truthIDs),
		PredictedPersons:      len(j.predIDs),
		MissingFromPrediction: j.missingFromPrediction,
		MissingFromTruth:      j.missingFromTruth,
	}
	predSize := clusterSizes(j.pred, len(j.predIDs))
	m.TruePairs, m.PredictedPairs, m.CorrectPairs = pairCounts(t, predSize)
	m.Precision = ratioOrOne(m.CorrectPairs, m.PredictedPairs)
	m.Recall = ratioOrOne(m.CorrectPairs, m.TruePairs)
	m.F1 = harmonic(m.Precision, m.Recall)
	m.BCubedPrecision, m.BCubedRecall = bcubed(t, predSize, len(j.at))
	m.BCubedF1 = harmonic(m.BCubedPrecision, m.BCubedRecall)
	return m
}

// clusterSizes counts the records of each of n clusters.
func clusterSizes(cluster []int32, n int) []int64 {
	size := make([]int64, n)
	for _, c := range cluster {
		size[c]++
	}
	return size
}

// pairCounts returns the true, predicted and correct pair counts of a table
// whose rows are true clusters and columns predicted clusters.
func pairCounts(t *table, predSize []int64) (truePairs, predPairs, correct int64) {
	for o := range len(t.recStart) - 1 {
		truePairs += pairs(t.size(o))
		for _, c := range t.row(o) {
			correct += pairs(c.count)
		}
	}
	for _, s := range predSize {
		predPairs += pairs(s)
	}
	return truePairs, predPairs, correct
}

// bcubed returns B-cubed precision and recall over n records. Precision is
// (1/n) Σ n_ij²/b_j and recall (1/n) Σ n_ij²/a_i, where n_ij is a table
// cell, a_i a true and b_j a predicted cluster size. The n_ij² are summed
// exactly in integers per cluster size, and the divisions added in order of
// size, so the result does not depend on cluster numbering.
func bcubed(t *table, predSize []int64, n int) (precision, recall float64) {
	if n == 0 {
		return 1, 1
	}
	bySizePrec := make([]int64, n+1)
	bySizeRec := make([]int64, n+1)
	for o := range len(t.recStart) - 1 {
		a := t.size(o)
		for _, c := range t.row(o) {
			sq := c.count * c.count
			bySizeRec[a] += sq
			bySizePrec[predSize[c.inner]] += sq
		}
	}
	return sumBySize(bySizePrec) / float64(n), sumBySize(bySizeRec) / float64(n)
}

// sumBySize returns Σ sums[s]/s over sizes s ≥ 1, smallest first.
func sumBySize(sums []int64) float64 {
	var total float64
	for s := 1; s < len(sums); s++ {
		if sums[s] != 0 {
			total += float64(sums[s]) / float64(s)
		}
	}
	return total
}

// ratioOrOne is num/den, or 1 when den is 0.
func ratioOrOne(num, den int64) float64 {
	if den == 0 {
		return 1
	}
	return float64(num) / float64(den)
}

// harmonic is the harmonic mean of p and r, or 0 when both are 0.
func harmonic(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}
