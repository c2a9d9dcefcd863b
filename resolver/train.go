package resolver

import (
	"math/rand/v2"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/matcher"
)

// TrainOptions configure training. Zero values take the defaults.
type TrainOptions struct {
	LinkOptions
	RandomPairs int    // random pairs for u; default 2,000,000
	Iterations  int    // EM iterations at most; default 100
	Seed        uint64 // random pair sampling
}

// TrainReport says what training did.
type TrainReport struct {
	Records     int
	RandomPairs int
	EM          matcher.EMReport
}

// Train estimates a model from records: u from random pairs, m and the
// share of matches by EM over the blocked candidate pairs. The starting
// model (opts.Model) is not changed.
func Train(records []resindex.Record, opts TrainOptions) (*matcher.Model, TrainReport, error) {
	opts.defaults()
	if opts.RandomPairs <= 0 {
		opts.RandomPairs = 2_000_000
	}
	if opts.Iterations <= 0 {
		opts.Iterations = 100
	}
	model := opts.Model.Clone()
	opts.Model = model
	SortRecords(records)
	if err := checkUnique(records); err != nil {
		return nil, TrainReport{}, err
	}
	l := &linker{opts: opts.LinkOptions, collect: true, res: &LinkResult{}}
	l.res.Stats.Durations = map[string]time.Duration{}
	l.profiles(records)
	rep := TrainReport{Records: len(records)}
	opts.Progress("estimating u from random pairs", 0, opts.RandomPairs)
	rng := rand.New(rand.NewPCG(opts.Seed, 0x5eed))
	rep.RandomPairs = matcher.EstimateU(model, l.res.Profiles, opts.RandomPairs, rng)
	l.block()
	l.score()
	opts.Progress("EM", 0, opts.Iterations)
	rep.EM = matcher.TrainEM(model, l.vectors, opts.Iterations, 1e-5)
	// The prior (expected matches per record) stays as the starting model
	// has it: EM's match share over blocked pairs overstates it, since
	// similar strangers fall into the match class, and an inflated prior
	// both lowers the bar and discounts too much of every term frequency.
	return model, rep, nil
}
