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
	caps  [NumComparisons]termCap   // bounds on each term, for ScoreAtLeast
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
		s.caps[c] = newTermCap(m, c, s.w[c], s.wHH[c])
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
	return s.score(s.termsOf(v, addr, a, b), a, b)
}

func (s *Scorer) score(ts termSet, a, b *Profile) Score {
	sc := Score{Vector: ts.v, Weight: s.prior}
	for _, w := range ts.w {
		sc.Weight += w
		if w < 0 {
			sc.Negative += w
		}
	}
	sc.Conflict = hardConflict(ts.v, a, b)
	return sc
}

// ScoreAtLeast scores a pair as Score does when it can weigh at least min
// without a hard conflict, and reports whether it does; a pair that
// certainly cannot is not compared on its names at all. Everything but
// the names is compared first; each name then counts at the most it could
// weigh for the two records' own frequencies of their names (a common name
// can add little). Most candidate pairs of a large link share a common
// name's sound and a birth year and differ in everything else: this is
// most of the batch linker's comparing saved.
func (s *Scorer) ScoreAtLeast(a, b *Profile, min float64) (Score, bool) {
	if after(a, b) {
		a, b = b, a // the order compare takes; the score is the same
	}
	var v Vector
	addr := compareRest(&v, a, b)
	if hardConflict(v, a, b) {
		return Score{Vector: v, Conflict: true}, false
	}
	ts := termSet{v: v, household: v[CmpAddress] == AddrExact}
	s.weigh(&ts, CmpDOB, NumComparisons, a, b, addr)
	bound := s.prior
	for c := CmpDOB; c < NumComparisons; c++ {
		bound += ts.w[c]
	}
	bound += s.caps[CmpGiven].topOf(a.GivenFreq, b.GivenFreq, &a.nameLogs[0], &b.nameLogs[0], ts.household)
	bound += s.caps[CmpFamily].topOf(a.FamilyFreq, b.FamilyFreq, &a.nameLogs[1], &b.nameLogs[1], ts.household)
	// The margin covers rounding: the score adds its terms in another order.
	if bound < min-1e-9 {
		return Score{}, false
	}
	compareNames(&ts.v, a, b)
	s.weigh(&ts, CmpGiven, CmpDOB, a, b, addr) // the names; the rest are weighed
	s.jointName(&ts, a, b)
	sc := s.score(ts, a, b)
	return sc, !sc.Conflict && sc.Weight >= min
}

// termCap holds what bounds one comparison's term over all its levels, as
// term computes it (jointName only ever lowers a name's weight): for pairs
// at one property and not, the largest weight of a level that takes no
// term frequency, the largest log2(m) and weight of those that do, and the
// largest same-property weight.
type termCap struct {
	plain, tfLogM, tfPlain [2]float64 // [household]
	hh                     float64
	tfMin                  float64
}

func newTermCap(m *Model, c Comparison, w, wHH []float64) termCap {
	neg := math.Inf(-1)
	tc := termCap{plain: [2]float64{neg, neg}, tfLogM: [2]float64{neg, neg}, tfPlain: [2]float64{neg, neg}, hh: neg, tfMin: m.TFMinimum}
	for l := Level(1); int(l) < c.NumLevels(); l++ {
		p := m.params[c][l]
		for h, household := range []bool{false, true} {
			switch {
			case household && p.UHousehold > 0:
				tc.hh = max(tc.hh, wHH[l])
			case p.TF:
				tc.tfLogM[h] = max(tc.tfLogM[h], math.Log2(p.M))
				tc.tfPlain[h] = max(tc.tfPlain[h], w[l])
			default:
				tc.plain[h] = max(tc.plain[h], w[l])
			}
		}
	}
	return tc
}

// topOf is the most the term can weigh for a pair whose term frequencies
// are fa and fb (0: none), the null level's 0 included: the larger
// frequency counts. The log2 of it is the one its profile holds (la or
// lb) when that was computed for it: two per candidate pair, computed
// once per record instead.
func (tc *termCap) topOf(fa, fb float64, la, lb *tfLog, household bool) float64 {
	f, l := fa, la
	if fb > fa {
		f, l = fb, lb
	}
	if f <= 0 {
		return tc.topLog(f, 0, household)
	}
	lg, ok := l.of(f, tc.tfMin)
	if !ok {
		lg = math.Log2(max(f, tc.tfMin))
	}
	return tc.topLog(f, lg, household)
}

// topLog is topOf given log2(max(f, tfMin)) when f > 0.
func (tc *termCap) topLog(f, log2 float64, household bool) float64 {
	h := 0
	if household {
		h = 1
	}
	tf := tc.tfPlain[h]
	if f > 0 {
		tf = tc.tfLogM[h] - log2
	}
	out := max(0, tc.plain[h], tf)
	if household {
		out = max(out, tc.hh)
	}
	return out
}

// hardConflict: two valid, different NHS numbers, NINOs or permanent
// UPNs. No score can link such a pair.
func hardConflict(v Vector, a, b *Profile) bool {
	return idConflict(v) || v[CmpUPN] == IDDiff && permanentUPN(a.UPN) && permanentUPN(b.UPN)
}

// idConflict: two valid, different NHS numbers or NINOs, which the levels
// alone show (a UPN needs the values: a temporary one may be replaced).
func idConflict(v Vector) bool { return v[CmpNHS] == IDDiff || v[CmpNINO] == IDDiff }

// termSet is every comparison's contribution to one pair's weight, with
// the u that replaced the model's where one did, and why.
type termSet struct {
	v         Vector
	w         [NumComparisons]float64
	u         [NumComparisons]float64 // 0: the model's u was used
	note      [NumComparisons]string
	household bool
}

// Notes on why a term's u is not the model's.
const (
	noteHousehold = "same property"
	noteTF        = "term frequency"
	noteFullName  = "full-name frequency"
)

func (s *Scorer) terms(a, b *Profile) termSet {
	v, addr := compare(a, b)
	return s.termsOf(v, addr, a, b)
}

func (s *Scorer) termsOf(v Vector, addr addressPair, a, b *Profile) termSet {
	ts := termSet{v: v, household: v[CmpAddress] == AddrExact}
	s.weigh(&ts, 0, NumComparisons, a, b, addr)
	s.jointName(&ts, a, b)
	return ts
}

// weigh sets the terms of comparisons [from, to) from their levels.
func (s *Scorer) weigh(ts *termSet, from, to Comparison, a, b *Profile, addr addressPair) {
	for c := from; c < to; c++ {
		ts.w[c], ts.u[c], ts.note[c] = s.term(c, ts.v[c], a, b, addr, ts.household)
	}
}

// jointName replaces the product of the given- and family-name term
// frequencies by the frequency of the full name when both agree: first
// and family names are not independent ("Nazia Mollah" is far commoner
// than "Nazia" times "Mollah" suggests).
func (s *Scorer) jointName(ts *termSet, a, b *Profile) {
	g, f := ts.v[CmpGiven], ts.v[CmpFamily]
	freq := max(a.NameFreq, b.NameFreq)
	if ts.household || (g != GivenExact && g != GivenFirst) || f != FamilyExact || freq <= 0 {
		return
	}
	mg, mf := s.model.params[CmpGiven][g].M, s.model.params[CmpFamily][f].M
	joint := math.Log2(mg * mf / max(freq, s.model.TFMinimum))
	if joint >= ts.w[CmpGiven]+ts.w[CmpFamily] {
		return
	}
	ts.w[CmpFamily] = joint - ts.w[CmpGiven]
	ts.u[CmpFamily] = mf / math.Exp2(ts.w[CmpFamily])
	ts.note[CmpFamily] = noteFullName
}

// term returns one comparison's weight, and the u that replaced the
// model's (0 when none did) with the reason.
func (s *Scorer) term(c Comparison, l Level, a, b *Profile, addr addressPair, household bool) (float64, float64, string) {
	if l == LevelNull {
		return 0, 0, ""
	}
	p := s.model.params[c][l]
	if household && p.UHousehold > 0 {
		return s.wHH[c][l], p.UHousehold, noteHousehold
	}
	if p.TF {
		// The larger of the two sides' frequencies: the score must not
		// depend on which record comes first.
		if f := max(tfValue(c, l, a, addr.a), tfValue(c, l, b, addr.b)); f > 0 {
			f = max(f, s.model.TFMinimum)
			return math.Log2(p.M / f), f, noteTF
		}
	}
	return s.w[c][l], 0, ""
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
		switch l {
		case AddrPostcode:
			return addr.PostcodeFreq
		case AddrTown:
			return addr.TownFreq
		}
		return addr.Freq
	}
	return 0
}

// permanentUPN reports whether a valid UPN is permanent: a pupil keeps one
// for life, so two different permanent UPNs are two pupils (twins at one
// school, say); a temporary one (ending in a letter) may be replaced.
func permanentUPN(u string) bool {
	return u != "" && u[len(u)-1] >= '0' && u[len(u)-1] <= '9'
}

// Probability turns a match weight into a match probability.
func Probability(weight float64) float64 {
	odds := math.Exp2(weight)
	return odds / (1 + odds)
}
