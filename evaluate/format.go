package evaluate

import (
	"fmt"
	"io"
	"strconv"
)

// Format writes m as an aligned, human-readable report, one figure a line:
// the counts, then each rate as a percentage to four decimals.
func (m Metrics) Format(w io.Writer) error {
	for _, l := range m.reportLines() {
		if _, err := fmt.Fprintf(w, "%-24s %14s\n", l[0], l[1]); err != nil {
			return fmt.Errorf("evaluate: format metrics: %w", err)
		}
	}
	return nil
}

// reportLines returns the label and formatted value of each line of Format.
func (m Metrics) reportLines() [][2]string {
	count := func(n int64) string { return strconv.FormatInt(n, 10) }
	pct := func(f float64) string { return fmt.Sprintf("%.4f%%", 100*f) }
	return [][2]string{
		{"Records compared", count(int64(m.Records))},
		{"Missing from prediction", count(int64(m.MissingFromPrediction))},
		{"Missing from truth", count(int64(m.MissingFromTruth))},
		{"True persons", count(int64(m.TruePersons))},
		{"Predicted persons", count(int64(m.PredictedPersons))},
		{"True pairs", count(m.TruePairs)},
		{"Predicted pairs", count(m.PredictedPairs)},
		{"Correct pairs", count(m.CorrectPairs)},
		{"Pairwise precision", pct(m.Precision)},
		{"Pairwise recall", pct(m.Recall)},
		{"Pairwise F1", pct(m.F1)},
		{"B-cubed precision", pct(m.BCubedPrecision)},
		{"B-cubed recall", pct(m.BCubedRecall)},
		{"B-cubed F1", pct(m.BCubedF1)},
	}
}
