package synth

import (
	"math"
	"math/rand/v2"
	"sort"
)

// Stream numbers keep each stage's random stream independent of the others,
// so that changing how one stage draws does not reshuffle every other stage.
const (
	streamGazetteer uint64 = iota + 1
	streamPopulation
	streamTimeline
	streamSources                      // + source index
	streamEvents  = streamSources + 64 // + source index
)

// newRand returns the PCG stream for one stage of one seed.
func newRand(seed, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, stream*0x9E3779B97F4A7C15+1))
}

// mix is SplitMix64's finaliser: it turns a counter into a well-spread seed
// (used for per-record streams, which must not depend on draw order).
func mix(x uint64) uint64 {
	x += 0x9E3779B97F4A7C15
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9
	x = (x ^ (x >> 27)) * 0x94D049BB133111EB
	return x ^ (x >> 31)
}

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool { return p > 0 && r.Float64() < p }

// between returns a uniform integer in [lo, hi].
func between(r *rand.Rand, lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + r.IntN(hi-lo+1)
}

// pick returns a uniformly chosen element of xs.
func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// weighted samples indices with given non-negative weights in O(log n).
type weighted struct{ cum []float64 }

func newWeighted(w []float64) weighted {
	cum := make([]float64, len(w))
	total := 0.0
	for i, x := range w {
		total += x
		cum[i] = total
	}
	return weighted{cum: cum}
}

// zipf returns weights 1/(rank+offset)^s for n ranks: the heavy-tailed
// frequency of names, where a few are very common and most are rare.
func zipf(n int, s, offset float64) weighted {
	w := make([]float64, n)
	for i := range w {
		w[i] = 1 / math.Pow(float64(i+1)+offset, s)
	}
	return newWeighted(w)
}

func (w weighted) draw(r *rand.Rand) int {
	x := r.Float64() * w.cum[len(w.cum)-1]
	return sort.SearchFloat64s(w.cum, x)
}

// choose picks an index by the given weights; for short, one-off tables.
func choose(r *rand.Rand, w ...float64) int {
	total := 0.0
	for _, x := range w {
		total += x
	}
	x := r.Float64() * total
	for i, v := range w {
		if x < v {
			return i
		}
		x -= v
	}
	return len(w) - 1
}
