package matcher

import (
	"math"
	"slices"
)

// UEstimate is what random pairs say: u for every level, and how often
// each comparison is null (a value missing on one side). Missing values
// are as common among matches as among strangers, so the null share also
// tells how often a deterministic rule can fire at all.
type UEstimate struct {
	Pairs int
	Null  [NumComparisons]float64
}

// EstimateU sets the u probability of every level from the comparison
// vectors of random pairs: almost all random pairs are different people,
// so the share of each level among them is what strangers share by
// chance, shrunk towards the model's u by uPseudo pairs so that no weight
// becomes infinite and a rarely filled field keeps the shipped judgement.
// (The caller draws and compares the pairs, on as many cores as it has.)
func EstimateU(m *Model, vectors []Vector) UEstimate {
	est := UEstimate{Pairs: len(vectors)}
	if len(vectors) == 0 {
		return est
	}
	var counts [NumComparisons][]int
	for c := range counts {
		counts[c] = make([]int, Comparison(c).NumLevels())
	}
	for _, v := range vectors {
		for c, l := range v {
			counts[c][l]++
		}
	}
	for c := Comparison(0); c < NumComparisons; c++ {
		est.Null[c] = float64(counts[c][LevelNull]) / float64(len(vectors))
		setU(m, c, counts[c])
	}
	return est
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
		p.U = (float64(counts[l]) + uPseudo*p.U) / (float64(total) + uPseudo)
		m.SetParams(c, l, p)
	}
}

// uPseudo is how many random pairs' worth of the starting model's u each
// comparison's u is shrunk towards: nothing against a field that hundreds
// of thousands of random pairs compare, everything against one that a few dozen
// do (NHS numbers held by one service), whose u would otherwise be set by
// chance.
const uPseudo = 1000

// Session is one round of EM training over pairs blocked on some fields.
// Every pair of such a block agrees on those fields whether or not it is a
// match, so their comparisons say nothing there: they are left out
// (Fixed), and their m comes from other sessions. This is how Splink
// trains, and why a model fitted this way is not fooled by the blocking.
type Session struct {
	Name  string
	Fixed [NumComparisons]bool
	// Personal: the block's key belongs to one person (an identifier, an
	// email), so its pairs are almost all matches and what it finds of a
	// comparison is preferred to what blocks on names or dates find:
	// relatives share a name and an address, and a father and son named
	// alike differ only in date of birth, which a names block then takes
	// for the same person's mistyped date.
	Personal bool
	// Households makes pairs at one property a stratum of their own (see
	// mStep). The caller sets it when the data has households: where
	// nearly every pair at one property is one person, the stratum would
	// only hide the evidence EM needs.
	Households bool
}

// SessionReport says what one session found.
type SessionReport struct {
	Name       string
	Pairs      int
	Patterns   int
	Iterations int
	Converged  bool
	// MatchShare is the estimated share of matches among the pairs.
	MatchShare float64
}

// MCounts are match-weighted level counts: EM's expected number of
// matching pairs at each level. Sessions' counts add up, so a comparison
// estimated by two sessions is weighted by how much each saw of it.
type MCounts [NumComparisons][]float64

func newMCounts() MCounts {
	var mc MCounts
	for c := range mc {
		mc[c] = make([]float64, Comparison(c).NumLevels())
	}
	return mc
}

// Add adds another session's counts.
func (mc *MCounts) Add(o MCounts) {
	for c := range mc {
		if mc[c] == nil {
			mc[c] = make([]float64, Comparison(c).NumLevels())
		}
		for l := range o[c] {
			mc[c][l] += o[c][l]
		}
	}
}

// Total is how many matching pairs' worth of comparison c the counts hold.
func (mc MCounts) Total(c Comparison) float64 { return sum(mc[c]) }

// Prefer returns, for each comparison, the counts of personal when they
// hold at least min matching pairs' worth, and otherwise the two pooled:
// each m is estimated from the cleanest blocks that saw enough of it.
func Prefer(personal, general MCounts, min float64) MCounts {
	out := newMCounts()
	for c := range out {
		if personal.Total(Comparison(c)) >= min {
			copy(out[c], personal[c])
			continue
		}
		for l := range out[c] {
			if personal[c] != nil {
				out[c][l] += personal[c][l]
			}
			if general[c] != nil {
				out[c][l] += general[c][l]
			}
		}
	}
	return out
}

// pattern is a distinct comparison vector and how many pairs had it.
type pattern struct {
	v Vector
	n float64
}

// countPatterns counts distinct vectors, in a fixed order so that the
// floating-point sums of EM, and so the fitted model, are reproducible.
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

func clampProb(p float64) float64 { return math.Min(math.Max(p, 1e-9), 1-1e-9) }

// EstimateM runs EM over one session's comparison vectors with u held at
// the model's (from random pairs) and returns the match-weighted counts of
// every comparison the session does not fix. The model is not changed: the
// counts of all sessions are pooled and applied by ApplyM.
func EstimateM(m *Model, vectors []Vector, s Session, maxIter int, tol float64) (MCounts, SessionReport) {
	// Two different NHS numbers or NINOs are two people whatever else
	// agrees: such pairs (twins, relatives) would only teach EM that
	// matches often disagree on them.
	patterns := slices.DeleteFunc(countPatterns(vectors), func(p pattern) bool { return idConflict(p.v) })
	rep := SessionReport{Name: s.Name, Pairs: len(vectors), Patterns: len(patterns)}
	local := m.Clone()
	lambda := [2]float64{0.1, 0.5}
	var acc MCounts
	var matched, total [2]float64
	for rep.Iterations < maxIter {
		rep.Iterations++
		acc, matched, total = mStep(local, patterns, s, lambda)
		delta := applyCounts(local, local, acc, s, 0, 0)
		for k := range lambda {
			if total[k] > 0 {
				next := clampProb(matched[k] / total[k])
				delta = math.Max(delta, math.Abs(next-lambda[k]))
				lambda[k] = next
			}
		}
		if delta < tol {
			rep.Converged = true
			break
		}
	}
	if all := total[0] + total[1]; all > 0 {
		rep.MatchShare = (matched[0] + matched[1]) / all
	}
	return acc, rep
}

// mStep is one E-step and the counts for the M-step: each pattern's match
// posterior, spread over the levels it has. Pairs at one property are a
// stratum of their own, with their own share of matches and the
// same-property u, the address left out of their posterior: relatives
// share a name and an address, and taken for matches they would teach EM
// that the same person's date of birth is often decades out.
func mStep(m *Model, patterns []pattern, s Session, lambda [2]float64) (MCounts, [2]float64, [2]float64) {
	acc := newMCounts()
	var matched, total [2]float64
	hhFixed := s.Fixed
	hhFixed[CmpAddress] = true
	for _, p := range patterns {
		k, fixed := 0, &s.Fixed
		if s.Households && p.v[CmpAddress] == AddrExact {
			k, fixed = 1, &hhFixed
		}
		g := posterior(m, p.v, fixed, lambda[k], k == 1)
		matched[k] += g * p.n
		total[k] += p.n
		for c, l := range p.v {
			if l != LevelNull && !s.Fixed[c] {
				acc[c][l] += g * p.n
			}
		}
	}
	return acc, matched, total
}

// posterior is the probability that a pattern is a match, leaving out the
// fixed comparisons; household takes the same-property u where the model
// has one.
func posterior(m *Model, v Vector, fixed *[NumComparisons]bool, lambda float64, household bool) float64 {
	pm, pu := lambda, 1-lambda
	for c, l := range v {
		if l == LevelNull || fixed[c] {
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

// ApplyM writes pooled counts into the model as m. Each comparison's m is
// shrunk towards start's by pseudo matching pairs, so that a level the
// data barely shows keeps the shipped judgement rather than a weight of
// minus infinity; a comparison with fewer than MinEvidence matching pairs'
// worth keeps start's m whole (the data says too little of it, and what
// it says comes from the relatives EM cannot tell apart). It returns the
// largest change.
func ApplyM(m, start *Model, counts MCounts, pseudo float64) float64 {
	return applyCounts(m, start, counts, Session{}, pseudo, MinEvidence)
}

// MinEvidence is the fewest matching pairs' worth of a comparison from
// which its m is estimated.
const MinEvidence = 50

func applyCounts(m, start *Model, counts MCounts, s Session, pseudo, minimum float64) float64 {
	delta := 0.0
	for c := Comparison(0); c < NumComparisons; c++ {
		total := counts.Total(c)
		if s.Fixed[c] || total <= 0 || total < minimum {
			continue
		}
		for l := Level(1); int(l) < c.NumLevels(); l++ {
			p := m.params[c][l]
			next := (counts[c][l] + pseudo*start.params[c][l].M) / (total + pseudo)
			next = math.Min(math.Max(next, 1e-6), 1)
			delta = math.Max(delta, math.Abs(next-p.M))
			p.M = next
			m.SetParams(c, l, p)
		}
	}
	return delta
}

// GuardHouseholds keeps what data with households cannot identify: a
// parent and child named alike at one address (father and son, mother and
// daughter) look to EM exactly like one person whose date of birth was
// keyed decades out, so where the data has households the m of dates of
// birth years apart may not rise above the starting model's. What the cap
// takes goes to the other levels in proportion.
func GuardHouseholds(m, start *Model) {
	c := CmpDOB
	vals, ceil := make([]float64, c.NumLevels()), make([]float64, c.NumLevels())
	for l := Level(1); int(l) < c.NumLevels(); l++ {
		vals[l], ceil[l] = m.params[c][l].M, start.params[c][l].M
	}
	capAndSpread(vals, ceil, func(l Level) bool { return l == DOBDiff || l == DOBFar })
	for l := Level(1); int(l) < c.NumLevels(); l++ {
		p := m.params[c][l]
		p.M = vals[l]
		m.SetParams(c, l, p)
	}
}

// capAndSpread holds every level that capped names at or below its
// ceiling, and spreads what that takes over the other levels in
// proportion, so that the levels still sum as they did. vals and ceil are
// indexed by level; level 0 (null) is left alone.
func capAndSpread(vals, ceil []float64, capped func(Level) bool) {
	spill, rest := 0.0, 0.0
	for l := 1; l < len(vals); l++ {
		switch {
		case !capped(Level(l)):
			rest += vals[l]
		case vals[l] > ceil[l]:
			spill += vals[l] - ceil[l]
			vals[l] = ceil[l]
		}
	}
	if spill == 0 || rest == 0 {
		return
	}
	for l := 1; l < len(vals); l++ {
		if !capped(Level(l)) {
			vals[l] += spill * vals[l] / rest
		}
	}
}

// householdSmoothing is how many pseudo-pairs of the global u a household
// u is shrunk towards: where a data set has few different people sharing a
// property, the household stratum falls back to the global u.
const householdSmoothing = 50

// EstimateHousehold fits the same-property stratum from pairs of records
// at one property, the address left out: with m held, EM finds which of
// those pairs are different people (family members, flatmates) and sets
// u_household from them, shrunk towards the global u. Where a data set has
// no households, few such pairs are non-matches and u_household falls back
// to the global u, as it should.
//
// ceiling holds the same-property u no agreeing level may rise above (the
// starting model's), so that a later round can correct an earlier one.
func EstimateHousehold(m, ceiling *Model, vectors []Vector, maxIter int, tol float64) SessionReport {
	patterns := countPatterns(vectors)
	rep := SessionReport{Name: "same property", Pairs: len(vectors), Patterns: len(patterns)}
	var fixed [NumComparisons]bool
	fixed[CmpAddress] = true
	lambda := 0.5
	for rep.Iterations < maxIter {
		rep.Iterations++
		non := newMCounts()
		var matched, total float64
		for _, p := range patterns {
			g := posterior(m, p.v, &fixed, lambda, true)
			matched += g * p.n
			total += p.n
			for c, l := range p.v {
				if l != LevelNull {
					non[c][l] += (1 - g) * p.n
				}
			}
		}
		delta := applyHousehold(m, non, ceiling)
		if total > 0 {
			next := clampProb(matched / total)
			delta = math.Max(delta, math.Abs(next-lambda))
			lambda = next
		}
		if delta < tol {
			rep.Converged = true
			break
		}
	}
	rep.MatchShare = lambda
	return rep
}

func applyHousehold(m *Model, non MCounts, ceiling *Model) float64 {
	delta := 0.0
	for c := Comparison(0); c < NumComparisons; c++ {
		if c == CmpAddress || !hasHouseholdLevels(m, c) {
			continue
		}
		next := householdU(m, c, non[c], ceiling)
		for l := Level(1); int(l) < c.NumLevels(); l++ {
			p := m.params[c][l]
			delta = math.Max(delta, math.Abs(next[l]-p.UHousehold))
			p.UHousehold = next[l]
			m.SetParams(c, l, p)
		}
	}
	return delta
}

// householdU is one comparison's same-property u: the non-match counts
// shrunk towards the global u, with every agreeing level held at or below
// the starting model's. EM inside one property cannot tell a badly
// mistyped record of the same person from a relative, so the data may say
// that people at one address share less than the shipped model assumes,
// never more; what the cap takes from agreement goes to disagreement.
func householdU(m *Model, c Comparison, non []float64, ceiling *Model) []float64 {
	total := sum(non)
	next, ceil := make([]float64, c.NumLevels()), make([]float64, c.NumLevels())
	for l := Level(1); int(l) < c.NumLevels(); l++ {
		next[l] = (non[l] + householdSmoothing*m.params[c][l].U) / (total + householdSmoothing)
		ceil[l] = ceiling.params[c][l].UHousehold
	}
	capAndSpread(next, ceil, func(l Level) bool { return !disagreement(c, l) })
	return next
}

// disagreement reports whether level l of c says the values differ.
func disagreement(c Comparison, l Level) bool {
	switch c {
	case CmpGiven:
		return l == GivenDiff
	case CmpFamily:
		return l == FamilyDiff
	case CmpDOB:
		return l >= DOBYear
	case CmpSex:
		return l == SexDiff
	}
	return l == Level(c.NumLevels()-1)
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
