package matcher

import "math"

// Score is the outcome of scoring a pair of records.
type Score struct {
	Vector Vector
	// Weight is the match weight: prior log2 odds plus the sum of the
	// comparisons' log2(m/u).
	Weight float64
	// Negative is the sum of the negative terms alone: how strongly the
	// pair contradicts itself, whatever else agrees.
	Negative float64
	// Conflict is a hard conflict: two valid, different NHS numbers or
	// NINOs. No score can link such a pair.
	Conflict bool
}

// Scorer scores pairs of profiles under a model for a population of a
// given size.
type Scorer struct {
	model *Model
	prior float64
	w     [NumComparisons][]float64 // log2(m/u) per level
	wHH   [NumComparisons][]float64 // the same for two records at one property
}

// NewScorer prepares a model for scoring among n records: the prior is the
// chance that two records drawn at random are the same person.
func NewScorer(m *Model, n int) *Scorer {
	s := &Scorer{model: m, prior: Prior(m, n)}
	for c := Comparison(0); c < NumComparisons; c++ {
		s.w[c] = make([]float64, c.NumLevels())
		s.wHH[c] = make([]float64, c.NumLevels())
		for l := Level(1); int(l) < c.NumLevels(); l++ {
			p := m.params[c][l]
			s.w[c][l] = math.Log2(p.M / p.U)
			s.wHH[c][l] = s.w[c][l]
			if p.UHousehold > 0 {
				s.wHH[c][l] = math.Log2(p.M / p.UHousehold)
			}
		}
	}
	return s
}

// Prior returns the prior match weight (log2 odds) for n records.
func Prior(m *Model, n int) float64 {
	lambda := m.ExpectedMatchesPerRecord / float64(max(n-1, 1))
	lambda = min(lambda, 0.5)
	return math.Log2(lambda / (1 - lambda))
}

// Model returns the scorer's model.
func (s *Scorer) Model() *Model { return s.model }

// PriorWeight returns the prior log2 odds the scorer starts from.
func (s *Scorer) PriorWeight() float64 { return s.prior }

// Score compares and scores a pair.
func (s *Scorer) Score(a, b *Profile) Score {
	v, addr := compare(a, b)
	sc := Score{Vector: v, Weight: s.prior}
	household := v[CmpAddress] == AddrExact
	for c := Comparison(0); c < NumComparisons; c++ {
		w, _ := s.term(c, v[c], a, addr, household)
		sc.Weight += w
		if w < 0 {
			sc.Negative += w
		}
	}
	sc.Conflict = v[CmpNHS] == IDDiff || v[CmpNINO] == IDDiff
	return sc
}

// term returns one comparison's weight and, for term-frequency levels, the
// frequency that replaced u (0 when none did).
func (s *Scorer) term(c Comparison, l Level, a *Profile, addr *AddressFeature, household bool) (float64, float64) {
	if l == LevelNull {
		return 0, 0
	}
	p := s.model.params[c][l]
	if household && p.UHousehold > 0 {
		return s.wHH[c][l], 0
	}
	if p.TF {
		if f := tfValue(c, l, a, addr); f > 0 {
			f = max(f, s.model.TFMinimum)
			return math.Log2(p.M / f), f
		}
	}
	return s.w[c][l], 0
}

// tfValue is the frequency of the value two records agree on.
func tfValue(c Comparison, l Level, a *Profile, addr *AddressFeature) float64 {
	switch c {
	case CmpGiven:
		return a.GivenFreq
	case CmpFamily:
		return a.FamilyFreq
	case CmpDOB:
		return a.DOBFreq
	case CmpAddress:
		if addr == nil {
			return 0
		}
		if l == AddrPostcode {
			return addr.PostcodeFreq
		}
		return addr.Freq
	}
	return 0
}

// Probability turns a match weight into a match probability.
func Probability(weight float64) float64 {
	odds := math.Exp2(weight)
	return odds / (1 + odds)
}
