package matcher

import (
	"math"
	"math/rand/v2"
	"slices"
)

// EstimateU sets the u probability of every level from the comparison of
// random pairs: almost all random pairs are different people, so the share
// of each level among them is what strangers share by chance. Levels never
// seen keep a floor of half a count, so no weight becomes infinite.
func EstimateU(m *Model, ps []Profile, pairs int, rng *rand.Rand) int {
	if len(ps) < 2 {
		return 0
	}
	var counts [NumComparisons][]int
	for c := range counts {
		counts[c] = make([]int, Comparison(c).NumLevels())
	}
	for range pairs {
		i := rng.IntN(len(ps))
		j := rng.IntN(len(ps) - 1)
		if j >= i {
			j++
		}
		v := Compare(&ps[i], &ps[j])
		for c, l := range v {
			counts[c][l]++
		}
	}
	for c := Comparison(0); c < NumComparisons; c++ {
		setU(m, c, counts[c])
	}
	return pairs
}

func setU(m *Model, c Comparison, counts []int) {
	total := 0
	for l := 1; l < len(counts); l++ {
		total += counts[l]
	}
	if total == 0 {
		return
	}
	for l := Level(1); int(l) < len(counts); l++ {
		p := m.params[c][l]
		p.U = max(float64(counts[l]), 0.5) / float64(total)
		m.SetParams(c, l, p)
	}
}

// EMReport describes a training run.
type EMReport struct {
	Iterations int
	Converged  bool
	// MatchShare is the estimated share of matches among the pairs;
	// HouseholdMatchShare the same among pairs at one property.
	MatchShare, HouseholdMatchShare float64
	Pairs, HouseholdPairs           int
	Patterns                        int
}

// householdSmoothing is how many pseudo-pairs of the global u a household
// u is shrunk towards: where a data set has few different people sharing a
// property, the household stratum falls back to the global u.
const householdSmoothing = 50

// TrainEM estimates by expectation–maximisation, from the comparison
// vectors of blocked candidate pairs: every level's m, the share of
// matches, and the u of the same-property stratum (u_household) for levels
// that have one. The global u stays fixed: random pairs estimate it well.
func TrainEM(m *Model, vectors []Vector, maxIter int, tol float64) EMReport {
	patterns := countPatterns(vectors)
	rep := EMReport{Pairs: len(vectors), Patterns: len(patterns)}
	for _, p := range patterns {
		if isHousehold(p.v) {
			rep.HouseholdPairs += int(p.n)
		}
	}
	lambda := [2]float64{0.1, 0.5}
	for rep.Iterations < maxIter {
		rep.Iterations++
		acc := emStep(m, patterns, lambda)
		delta := acc.apply(m)
		for s := range lambda {
			if acc.total[s] > 0 {
				next := clampProb(acc.matched[s] / acc.total[s])
				delta = math.Max(delta, math.Abs(next-lambda[s]))
				lambda[s] = next
			}
		}
		if delta < tol {
			rep.Converged = true
			break
		}
	}
	rep.MatchShare, rep.HouseholdMatchShare = lambda[0], lambda[1]
	return rep
}

// pattern is a distinct comparison vector and how many pairs had it.
type pattern struct {
	v Vector
	n float64
}

// countPatterns counts distinct vectors, in a fixed order so that the
// floating-point sums of EM, and so the trained model, are reproducible.
func countPatterns(vectors []Vector) []pattern {
	counts := map[Vector]float64{}
	for _, v := range vectors {
		counts[v]++
	}
	out := make([]pattern, 0, len(counts))
	for v, n := range counts {
		out = append(out, pattern{v, n})
	}
	slices.SortFunc(out, func(x, y pattern) int {
		for c := range x.v {
			if x.v[c] != y.v[c] {
				return int(x.v[c]) - int(y.v[c])
			}
		}
		return 0
	})
	return out
}

func isHousehold(v Vector) bool { return v[CmpAddress] == AddrExact }

func clampProb(p float64) float64 { return math.Min(math.Max(p, 1e-9), 1-1e-9) }

// emAcc accumulates one E-step: match-weighted level counts (for m) and,
// in the household stratum, non-match-weighted counts (for u_household).
type emAcc struct {
	match, nonHH   [NumComparisons][]float64
	matched, total [2]float64 // per stratum: 0 general, 1 same property
}

func emStep(m *Model, patterns []pattern, lambda [2]float64) *emAcc {
	acc := &emAcc{}
	for c := range acc.match {
		acc.match[c] = make([]float64, Comparison(c).NumLevels())
		acc.nonHH[c] = make([]float64, Comparison(c).NumLevels())
	}
	for _, p := range patterns {
		v, n := p.v, p.n
		s := 0
		if isHousehold(v) {
			s = 1
		}
		g := matchProbability(m, v, s == 1, lambda[s])
		acc.matched[s] += g * n
		acc.total[s] += n
		for c, l := range v {
			if l == LevelNull {
				continue
			}
			acc.match[c][l] += g * n
			if s == 1 {
				acc.nonHH[c][l] += (1 - g) * n
			}
		}
	}
	return acc
}

// matchProbability is the posterior that a pattern is a match. In the
// same-property stratum the address, which defines the stratum, is left
// out and household u values are used where the model has them.
func matchProbability(m *Model, v Vector, household bool, lambda float64) float64 {
	pm, pu := lambda, 1-lambda
	for c, l := range v {
		if l == LevelNull || (household && Comparison(c) == CmpAddress) {
			continue
		}
		p := m.params[c][l]
		u := p.U
		if household && p.UHousehold > 0 {
			u = p.UHousehold
		}
		pm *= p.M
		pu *= u
	}
	g := pm / (pm + pu)
	if math.IsNaN(g) {
		return 0
	}
	return g
}

// apply writes the M-step into the model and returns the largest change.
func (acc *emAcc) apply(m *Model) float64 {
	delta := 0.0
	for c := Comparison(0); c < NumComparisons; c++ {
		sumM, sumU := sum(acc.match[c]), sum(acc.nonHH[c])
		trainHH := hasHouseholdLevels(m, c) && c != CmpAddress
		for l := Level(1); int(l) < c.NumLevels(); l++ {
			p := m.params[c][l]
			if sumM > 0 {
				next := math.Min(math.Max(acc.match[c][l]/sumM, 1e-6), 1)
				delta = math.Max(delta, math.Abs(next-p.M))
				p.M = next
			}
			if trainHH {
				p.UHousehold = (acc.nonHH[c][l] + householdSmoothing*p.U) / (sumU + householdSmoothing)
			}
			m.SetParams(c, l, p)
		}
	}
	return delta
}

// hasHouseholdLevels reports whether every level of c has a household u,
// so that its household distribution can be re-estimated as a whole.
func hasHouseholdLevels(m *Model, c Comparison) bool {
	for l := Level(1); int(l) < c.NumLevels(); l++ {
		if m.params[c][l].UHousehold == 0 {
			return false
		}
	}
	return true
}

func sum(xs []float64) float64 {
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t
}
