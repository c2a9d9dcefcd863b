package matcher

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestEstimateMRecoversM draws comparison vectors from a known model and
// checks that EM, holding u fixed, finds m again within 0.02, and the
// share of matches, for every comparison the session leaves free.
func TestEstimateMRecoversM(t *testing.T) {
	truth := withoutHousehold(DefaultModel())
	rng := rand.New(rand.NewPCG(7, 7))
	const n, share = 200_000, 0.3
	vectors := make([]Vector, n)
	for i := range vectors {
		match := rng.Float64() < share
		for c := Comparison(0); c < NumComparisons; c++ {
			vectors[i][c] = drawLevel(truth, c, match, rng)
		}
		// No NHS numbers or NINOs: two different ones are a hard
		// conflict, which EM leaves out.
		vectors[i][CmpNHS], vectors[i][CmpNINO] = LevelNull, LevelNull
	}
	m := withoutHousehold(DefaultModel())
	// Start from a flattened m so the test shows EM moving it.
	for c := Comparison(0); c < NumComparisons; c++ {
		for l := Level(1); int(l) < c.NumLevels(); l++ {
			p := m.Params(c, l)
			p.M = 1 / float64(c.NumLevels()-1)
			m.SetParams(c, l, p)
		}
	}
	session := Session{Name: "date of birth"}
	session.Fixed[CmpDOB] = true
	counts, rep := EstimateM(m, vectors, session, 200, 1e-7)
	if math.Abs(rep.MatchShare-share) > 0.02 {
		t.Errorf("match share = %.3f, want %.3f", rep.MatchShare, share)
	}
	flat := m.Params(CmpDOB, DOBExact).M
	ApplyM(m, m, counts, 0)
	if got := m.Params(CmpDOB, DOBExact).M; got != flat {
		t.Errorf("the fixed comparison's m moved: %.3f, want %.3f", got, flat)
	}
	for _, c := range []Comparison{CmpGiven, CmpFamily, CmpSex, CmpAddress, CmpEmail} {
		for l := Level(1); int(l) < c.NumLevels(); l++ {
			want, got := truth.Params(c, l).M, m.Params(c, l).M
			if math.Abs(want-got) > 0.02 {
				t.Errorf("%s/%s m = %.3f, want %.3f", c, c.LevelName(l), got, want)
			}
		}
	}
}

// TestApplyMKeepsWhatTheDataLacks: a comparison with no counts, or with
// fewer than MinEvidence matching pairs' worth, keeps its m; a level the
// data does not show is shrunk towards the start, not set to nothing.
func TestApplyMKeepsWhatTheDataLacks(t *testing.T) {
	start := DefaultModel()
	m := DefaultModel()
	counts := newMCounts()
	counts[CmpGiven][GivenExact] = 100 // a hundred matching pairs, all exact
	counts[CmpFamily][FamilyExact] = 5 // too few to say anything
	ApplyM(m, start, counts, 10)
	if got, want := m.Params(CmpDOB, DOBExact).M, start.Params(CmpDOB, DOBExact).M; got != want {
		t.Errorf("dob m moved without data: %.3f, want %.3f", got, want)
	}
	if got, want := m.Params(CmpFamily, FamilyDiff).M, start.Params(CmpFamily, FamilyDiff).M; got != want {
		t.Errorf("family m moved on 5 pairs: %.4f, want %.4f", got, want)
	}
	if got := m.Params(CmpGiven, GivenDiff).M; got <= 1e-4 {
		t.Errorf("given different m = %.5f: a level unseen in 100 pairs must keep some of the start", got)
	}
}

func drawLevel(m *Model, c Comparison, match bool, rng *rand.Rand) Level {
	x := rng.Float64()
	total := 0.0
	for l := Level(1); int(l) < c.NumLevels(); l++ {
		p := m.Params(c, l)
		total += p.U
		if match {
			total += p.M - p.U
		}
	}
	x *= total
	for l := Level(1); int(l) < c.NumLevels(); l++ {
		p := m.Params(c, l).U
		if match {
			p = m.Params(c, l).M
		}
		if x < p {
			return l
		}
		x -= p
	}
	return Level(c.NumLevels() - 1)
}

// withoutHousehold drops the same-property stratum, so that vectors drawn
// from one u distribution are modelled by it.
func withoutHousehold(m *Model) *Model {
	for c := Comparison(0); c < NumComparisons; c++ {
		for l := Level(1); int(l) < c.NumLevels(); l++ {
			p := m.Params(c, l)
			p.UHousehold = 0
			m.SetParams(c, l, p)
		}
	}
	return m
}

// TestEstimateURecoversU: u from the vectors of non-matching pairs drawn
// with known u comes back within 0.02, and the null shares are counted.
func TestEstimateURecoversU(t *testing.T) {
	truth := withoutHousehold(DefaultModel())
	rng := rand.New(rand.NewPCG(8, 8))
	vectors := make([]Vector, 100_000)
	for i := range vectors {
		for c := Comparison(0); c < NumComparisons; c++ {
			vectors[i][c] = drawLevel(truth, c, false, rng)
		}
		if i%4 == 0 {
			vectors[i][CmpDOB] = LevelNull // a quarter without a date
		}
	}
	m := DefaultModel()
	est := EstimateU(m, vectors)
	if math.Abs(est.Null[CmpDOB]-0.25) > 0.01 {
		t.Errorf("dob null share %.3f, want 0.25", est.Null[CmpDOB])
	}
	for _, c := range []Comparison{CmpGiven, CmpFamily, CmpDOB, CmpSex, CmpAddress} {
		var total float64
		for l := Level(1); int(l) < c.NumLevels(); l++ {
			total += truth.Params(c, l).U
		}
		for l := Level(1); int(l) < c.NumLevels(); l++ {
			want, got := truth.Params(c, l).U/total, m.Params(c, l).U
			if math.Abs(want-got) > 0.02 {
				t.Errorf("%s/%s u = %.3f, want %.3f", c, c.LevelName(l), got, want)
			}
		}
	}
}

// BenchmarkEstimateM runs one EM session over 200,000 vectors drawn from
// the shipped model (the patterns are counted once; EM iterates on them).
func BenchmarkEstimateM(b *testing.B) {
	truth := withoutHousehold(DefaultModel())
	rng := rand.New(rand.NewPCG(9, 9))
	vectors := make([]Vector, 200_000)
	for i := range vectors {
		match := rng.Float64() < 0.3
		for c := Comparison(0); c < NumComparisons; c++ {
			vectors[i][c] = drawLevel(truth, c, match, rng)
		}
		vectors[i][CmpNHS], vectors[i][CmpNINO] = LevelNull, LevelNull
	}
	s := Session{Name: "date of birth"}
	s.Fixed[CmpDOB] = true
	for b.Loop() {
		EstimateM(truth, vectors, s, 100, 1e-5)
	}
}
