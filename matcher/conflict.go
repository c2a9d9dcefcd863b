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
// clustering refuse more than it used to. Where the data has households
// it is never looser than ceiling minus maxLoosening: the draws assume
// the comparisons independent, and a person's badly kept record is wrong
// in several fields at once, but so are two relatives, whose chains grow
// with the data.
func FitConflictThreshold(m *Model, null [NumComparisons]float64, draws int, ceiling float64, households bool, rng *rand.Rand) float64 {
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
	q := math.Min(neg[int(contradictionShare*float64(draws))], ceiling)
	if households {
		q = math.Max(q, ceiling-maxLoosening)
	}
	return q
}

// maxLoosening is how far below the starting model's conflict threshold
// fitting may set it (log2 units).
const maxLoosening = 3.5

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
