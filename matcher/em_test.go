package matcher

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestTrainEMRecoversM draws comparison vectors from a known model and
// checks that EM, holding u fixed, finds m and the match share again.
func TestTrainEMRecoversM(t *testing.T) {
	truth := withoutHousehold(DefaultModel())
	rng := rand.New(rand.NewPCG(7, 7))
	const n, share = 200_000, 0.3
	vectors := make([]Vector, n)
	for i := range vectors {
		match := rng.Float64() < share
		for c := Comparison(0); c < NumComparisons; c++ {
			vectors[i][c] = drawLevel(truth, c, match, rng)
		}
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
	rep := TrainEM(m, vectors, 200, 1e-6)
	// MatchShare is the share outside the same-property stratum.
	mx, ux := truth.Params(CmpAddress, AddrExact).M, truth.Params(CmpAddress, AddrExact).U
	want := share * (1 - mx) / (share*(1-mx) + (1-share)*(1-ux))
	if math.Abs(rep.MatchShare-want) > 0.02 {
		t.Errorf("match share = %.3f, want %.3f", rep.MatchShare, want)
	}
	for _, c := range []Comparison{CmpGiven, CmpFamily, CmpDOB} {
		for l := Level(1); int(l) < c.NumLevels(); l++ {
			want, got := truth.Params(c, l).M, m.Params(c, l).M
			if math.Abs(want-got) > 0.03 {
				t.Errorf("%s/%s m = %.3f, want %.3f", c, c.LevelName(l), got, want)
			}
		}
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
