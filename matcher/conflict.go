package matcher

import (
	"math"
	"math/rand/v2"
	"slices"
)

// contradictionShare is the share of matching pairs whose negative
// evidence may reach the fitted conflict threshold: at it, clustering
// refuses a merge only on what the same person's records almost never
// show in this data (a date of birth decades out, say, where dates are
// well kept), not on what its errors often do.
const contradictionShare = 0.00005

// FitConflictThreshold returns the negative evidence that only
// contradictionShare of matching pairs reach under the model: pairs are
// drawn from its m, each comparison missing as often as null says, and
// their negative terms summed. It is never stricter than ceiling (the
// starting model's threshold), so that clean data does not make the
// clustering refuse more than it used to.
func FitConflictThreshold(m *Model, null [NumComparisons]float64, draws int, ceiling float64, rng *rand.Rand) float64 {
	if draws <= 0 {
		return ceiling
	}
	neg := make([]float64, draws)
	for i := range neg {
		for c := Comparison(0); c < NumComparisons; c++ {
			if rng.Float64() < null[c] {
				continue
			}
			p := m.params[c][drawM(m, c, rng)]
			if w := math.Log2(p.M / p.U); w < 0 {
				neg[i] += w
			}
		}
	}
	slices.Sort(neg)
	q := neg[int(contradictionShare*float64(draws))]
	return math.Min(q, ceiling)
}

// drawM draws a level of c from the model's m.
func drawM(m *Model, c Comparison, rng *rand.Rand) Level {
	total := 0.0
	for l := Level(1); int(l) < c.NumLevels(); l++ {
		total += m.params[c][l].M
	}
	x := rng.Float64() * total
	for l := Level(1); int(l) < c.NumLevels(); l++ {
		x -= m.params[c][l].M
		if x < 0 {
			return l
		}
	}
	return Level(c.NumLevels() - 1)
}
