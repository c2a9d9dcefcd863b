package matcher

import (
	"fmt"
	"io"

	"github.com/resindex/resindex"
)

// Term is one comparison's contribution to a match weight.
type Term struct {
	Comparison string  `json:"comparison"`
	Level      string  `json:"level"`
	M          float64 `json:"m"`
	U          float64 `json:"u"`
	Weight     float64 `json:"weight"`
	// Note says why u differs from the model's: a term frequency or the
	// same-property stratum.
	Note string `json:"note,omitempty"`
}

// Explanation is a waterfall: the prior, one term per comparison, and the
// final weight they add up to.
type Explanation struct {
	A           resindex.RecordKey `json:"a"`
	B           resindex.RecordKey `json:"b"`
	Prior       float64            `json:"prior"`
	Terms       []Term             `json:"terms"`
	Weight      float64            `json:"weight"`
	Probability float64            `json:"probability"`
	Conflict    bool               `json:"conflict"`
	Decision    string             `json:"decision"`
	Model       string             `json:"model"`
}

// Decisions a score leads to.
const (
	DecisionLink     = "link"
	DecisionReview   = "review"
	DecisionNoLink   = "no link"
	DecisionConflict = "hard conflict"
)

// Explain scores a pair and returns every term of the score.
func (s *Scorer) Explain(a, b *Profile) Explanation {
	ts := s.terms(a, b)
	e := Explanation{A: a.Key, B: b.Key, Prior: s.prior, Weight: s.prior, Model: s.model.Version}
	for c := Comparison(0); c < NumComparisons; c++ {
		t := Term{Comparison: c.String(), Level: c.LevelName(ts.v[c]), Weight: ts.w[c], Note: ts.note[c]}
		if ts.v[c] != LevelNull {
			p := s.model.params[c][ts.v[c]]
			t.M, t.U = p.M, p.U
			if ts.u[c] > 0 {
				t.U = ts.u[c]
			}
		}
		e.Terms = append(e.Terms, t)
		e.Weight += ts.w[c]
	}
	e.Conflict = hardConflict(ts.v, a, b)
	e.Probability = Probability(e.Weight)
	e.Decision = s.Decide(e.Weight, e.Conflict)
	return e
}

// Decide maps a weight to a decision under the model's thresholds.
func (s *Scorer) Decide(weight float64, conflict bool) string {
	switch {
	case conflict:
		return DecisionConflict
	case weight >= s.model.LinkThreshold:
		return DecisionLink
	case weight >= s.model.ReviewThreshold:
		return DecisionReview
	}
	return DecisionNoLink
}

// Format writes the explanation as an aligned table.
func (e Explanation) Format(w io.Writer) error {
	var err error
	pf := func(format string, args ...any) {
		if err == nil {
			_, err = fmt.Fprintf(w, format, args...)
		}
	}
	pf("%s  vs  %s   (model %s)\n", e.A, e.B, e.Model)
	pf("%-12s %-15s %10s %10s %8s\n", "comparison", "level", "m", "u", "weight")
	pf("%-12s %-15s %10s %10s %+8.2f\n", "prior", "", "", "", e.Prior)
	for _, t := range e.Terms {
		if t.Level == "null" {
			pf("%-12s %-15s %10s %10s %8s\n", t.Comparison, "(missing)", "", "", "0")
			continue
		}
		pf("%-12s %-15s %10.4g %10.4g %+8.2f  %s\n", t.Comparison, t.Level, t.M, t.U, t.Weight, t.Note)
	}
	pf("%-12s %-15s %10s %10s %+8.2f\n", "total", "", "", "", e.Weight)
	pf("match probability %.4f — decision: %s\n", e.Probability, e.Decision)
	return err
}
