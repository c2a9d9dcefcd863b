package resolver

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/resindex/resindex/matcher"
)

// FitOptions configure fitting a match model to the records it will link.
// Zero values take the defaults.
type FitOptions struct {
	RandomPairs  int    // random pairs for u; default RandomPairsFor the records
	SessionPairs int    // pairs at most per EM session, sampled evenly; default 500,000
	Iterations   int    // EM iterations at most per session; default 100
	Seed         uint64 // random pair sampling
	// MinShare is the share of records a training block's key must fill
	// for its session to run; default 0.05.
	MinShare float64
	// Pseudo is how many matching pairs' worth of the starting model each
	// comparison's m is shrunk towards; default 10.
	Pseudo float64
}

func (o *FitOptions) defaults() {
	o.SessionPairs = cmp.Or(o.SessionPairs, 500_000)
	o.Iterations = cmp.Or(o.Iterations, 100)
	o.MinShare = cmp.Or(o.MinShare, 0.05)
	o.Pseudo = cmp.Or(o.Pseudo, 10)
}

// RandomPairsFor is how many random pairs estimate u among n records: ten
// a record, at least 300,000 and at most 1,000,000, and never more than
// there are pairs. A level that one pair in ten thousand reaches is then
// seen at least thirty times, its weight known to a fifth of a bit; more
// pairs buy little for the time they cost, which on a small data set is
// most of the link.
func RandomPairsFor(n int) int {
	pairs := min(max(10*n, 300_000), 1_000_000)
	return int(min(int64(pairs), int64(n)*int64(n-1)/2))
}

// MinFitRecords is the fewest records a model is fitted to: below it the
// starting model is kept whole, since a few records cannot say what
// strangers share (a store's first bulk load of ten records would
// otherwise keep a model fitted to ten records for ever).
const MinFitRecords = 200

// minSessionPairs is the fewest pairs a session runs on.
const minSessionPairs = 20

// householdShare is the share of pairs of records at one property that
// must be different people for the data to count as having households:
// a council's data has them (about three pairs in four), a list of
// people with an address each has hardly any.
const householdShare = 0.2

// personalMinimum is how many matching pairs' worth a comparison needs in
// the blocks on personal keys (identifiers, emails) for those alone to
// estimate its m.
const personalMinimum = 200

// fitRounds is how many times m and the same-property u are fitted in
// turn; the second round changes little, a third nothing that matters.
const fitRounds = 2

// conflictDraws is how many matching pairs are drawn from the fitted m to
// place the conflict threshold.
const conflictDraws = 400_000

// FitReport says how a model was fitted, for the operator.
type FitReport struct {
	Records   int
	U         matcher.UEstimate
	Sessions  []matcher.SessionReport
	Household matcher.SessionReport
	// Households reports whether the data has households (householdShare).
	Households bool
	Prior      PriorEstimate
	// Kept names the comparisons the data could not estimate, whose m the
	// starting model kept.
	Kept []string
}

// PriorEstimate is how the expected matches per record were found.
type PriorEstimate struct {
	// Rule is the deterministic rule counted, or why none was.
	Rule string
	// Pairs is how many pairs meet the rule; Recall the share of all
	// matching pairs the fitted m says meet it.
	Pairs  float64
	Recall float64
	// ExpectedMatchesPerRecord is the result (the starting model's when
	// the data gave no estimate).
	ExpectedMatchesPerRecord float64
}

// Fit fits a model to the records it will link, as a careful statistician
// would: u from random pairs; m by EM in sessions blocked on fields that
// each leave the others free (Session); the same-property u from pairs at
// one property; and the prior from a deterministic rule divided by the
// recall the fitted m gives it. What the data cannot identify keeps the
// starting model's value; start is not changed. Fitting compares levels
// only, so the profiles need no term frequencies.
func Fit(ps []matcher.Profile, start *matcher.Model, opts FitOptions, workers int, progress func(string, int, int)) (*matcher.Model, FitReport) {
	opts.defaults()
	opts.RandomPairs = cmp.Or(opts.RandomPairs, RandomPairsFor(len(ps)))
	model := start.Clone()
	rep := FitReport{Records: len(ps)}
	if len(ps) < MinFitRecords {
		rep.Prior = PriorEstimate{Rule: fmt.Sprintf("none: %d records are too few to fit a model to (at least %d); the starting model kept whole", len(ps), MinFitRecords), ExpectedMatchesPerRecord: start.ExpectedMatchesPerRecord}
		return model, rep
	}
	progress("fitting: u from random pairs", 0, opts.RandomPairs)
	rng := rand.New(rand.NewPCG(opts.Seed, 0x5eed))
	rep.U = matcher.EstimateU(model, randomVectors(ps, opts.RandomPairs, rng, workers))
	hh := sampleSession(ps, matcher.HouseholdBlock, opts, workers)
	hh = slices.DeleteFunc(hh, func(v matcher.Vector) bool { return v[matcher.CmpAddress] != matcher.AddrExact })
	sessions := trainingSessions(ps, opts, workers, progress)
	// Whether the data has households, judged first with the starting m.
	rep.Household = matcher.EstimateHousehold(model.Clone(), start, hh, opts.Iterations, 1e-5)
	setHouseholds(sessions, &rep)
	// m and the same-property u each need the other: the first round fits
	// m with the shipped household u, the second with the fitted one.
	for round := range fitRounds {
		rep.Sessions = rep.Sessions[:0]
		counts := fitM(model, sessions, opts, &rep)
		matcher.ApplyM(model, start, counts, opts.Pseudo)
		if rep.Households {
			matcher.GuardHouseholds(model, start)
		}
		rep.Kept = unestimated(counts)
		rep.Household = matcher.EstimateHousehold(model, start, hh, opts.Iterations, 1e-5)
		setHouseholds(sessions, &rep)
		progress("fitting: rounds", round+1, fitRounds)
	}
	rep.Prior = estimatePrior(model, rep.U, ps, namesShare(rep.Sessions), workers)
	model.ExpectedMatchesPerRecord = rep.Prior.ExpectedMatchesPerRecord
	model.PersonalAddresses = !rep.Households
	if rep.U.Pairs > 0 {
		model.ConflictThreshold = matcher.FitConflictThreshold(model, rep.U.Null, conflictDraws, start.ConflictThreshold, rep.Households, rng)
	}
	if _, err := model.Named("fitted"); err != nil {
		panic(fmt.Sprintf("fit: a compiled model always marshals: %v", err))
	}
	return model, rep
}

// session is one training block's sampled pairs, compared, ready for EM.
type session struct {
	block   matcher.TrainingBlock
	vectors []matcher.Vector
}

// namesShare is the match share the names session found, or -1 when it
// did not run.
func namesShare(sessions []matcher.SessionReport) float64 {
	for _, s := range sessions {
		if s.Name == "names" {
			return s.MatchShare
		}
	}
	return -1
}

// setHouseholds decides from the same-property session whether the data
// has households, and stratifies the m sessions if it has.
func setHouseholds(sessions []session, rep *FitReport) {
	rep.Households = rep.Household.Pairs > 0 && 1-rep.Household.MatchShare >= householdShare
	for i := range sessions {
		sessions[i].block.Session.Households = rep.Households
	}
}

// trainingSessions samples and compares the pairs of every training block
// the data can support, once: each round of fitting reuses them.
func trainingSessions(ps []matcher.Profile, opts FitOptions, workers int, progress func(string, int, int)) []session {
	var out []session
	blocks := matcher.TrainingBlocks()
	for i, tb := range blocks {
		progress("fitting: sampling blocks", i, len(blocks))
		// A block on a personal key is small and clean however few
		// records hold one; the others need enough records to be worth it.
		if !tb.Session.Personal && filled(ps, tb.Key) < opts.MinShare {
			continue
		}
		if s := sampleSession(ps, tb.Key, opts, workers); len(s) >= minSessionPairs {
			out = append(out, session{tb, s})
		}
	}
	progress("fitting: sampling blocks", len(blocks), len(blocks))
	return out
}

// fitM runs EM in every session and pools what they find, each
// comparison's m preferring the sessions on personal keys (Prefer).
func fitM(model *matcher.Model, sessions []session, opts FitOptions, rep *FitReport) matcher.MCounts {
	var personal, general matcher.MCounts
	for _, s := range sessions {
		counts, sr := matcher.EstimateM(model, s.vectors, s.block.Session, opts.Iterations, 1e-5)
		rep.Sessions = append(rep.Sessions, sr)
		if s.block.Session.Personal {
			personal.Add(counts)
		} else {
			general.Add(counts)
		}
	}
	return matcher.Prefer(personal, general, personalMinimum)
}

// randomVectors compares pairs drawn at random, the draws in one sequence
// so that the same seed gives the same pairs, the comparisons on all
// workers.
func randomVectors(ps []matcher.Profile, n int, rng *rand.Rand, workers int) []matcher.Vector {
	if len(ps) < 2 {
		return nil
	}
	pairs := make([][2]int32, n)
	for k := range pairs {
		i := rng.IntN(len(ps))
		j := rng.IntN(len(ps) - 1)
		if j >= i {
			j++
		}
		pairs[k] = [2]int32{int32(i), int32(j)}
	}
	return compareAll(ps, pairs, workers)
}

// compareAll compares every pair on all workers.
func compareAll(ps []matcher.Profile, pairs [][2]int32, workers int) []matcher.Vector {
	vectors := make([]matcher.Vector, len(pairs))
	parallel(len(pairs), workers, func(int) {}, func(lo, hi int) {
		for k := lo; k < hi; k++ {
			vectors[k] = matcher.Compare(&ps[pairs[k][0]], &ps[pairs[k][1]])
		}
	})
	return vectors
}

// unestimated names the comparisons the sessions saw too little of
// (fewer than matcher.MinEvidence matching pairs' worth): their m is the
// starting model's.
func unestimated(counts matcher.MCounts) []string {
	var out []string
	for c := matcher.Comparison(0); c < matcher.NumComparisons; c++ {
		if counts.Total(c) < matcher.MinEvidence {
			out = append(out, c.String())
		}
	}
	return out
}

// filled is the share of profiles with a key.
func filled(ps []matcher.Profile, key func(*matcher.Profile) string) float64 {
	if len(ps) == 0 {
		return 0
	}
	n := 0
	for i := range ps {
		if key(&ps[i]) != "" {
			n++
		}
	}
	return float64(n) / float64(len(ps))
}

// trainingWindow bounds the pairs one large training block gives: each
// record is paired with its next trainingWindow neighbours only, so that a
// very common name cannot fill a session with itself.
const trainingWindow = 50

// sampleSession pairs the records that share a key, samples the pairs
// evenly down to opts.SessionPairs, and compares them on all workers.
func sampleSession(ps []matcher.Profile, key func(*matcher.Profile) string, opts FitOptions, workers int) []matcher.Vector {
	groups := groupBy(ps, key, workers)
	total := int64(0)
	for _, g := range groups {
		total += windowedPairs(int64(len(g)), trainingWindow+1, trainingWindow)
	}
	rate := 1.0
	if total > int64(opts.SessionPairs) {
		rate = float64(opts.SessionPairs) / float64(total)
	}
	limit := uint64(rate * math.MaxUint64)
	var pairs [][2]int32
	for _, g := range groups {
		for i := range g {
			for j := i + 1; j < len(g) && j <= i+trainingWindow; j++ {
				if rate == 1 || mix(opts.Seed, g[i], g[j]) < limit {
					pairs = append(pairs, [2]int32{g[i], g[j]})
				}
			}
		}
	}
	return compareAll(ps, pairs, workers)
}

// groupBy groups profile indexes by key, each group in index order. The
// keys are made and hashed on all workers and the hashes sorted, rather
// than the keys gathered in a map on one core: a million profiles cost
// seconds that way. Two keys with one 64-bit hash would share a group;
// among a million keys the chance is about one in ten million. The order
// of the groups is the hashes'; what is sampled from them is not (see mix).
func groupBy(ps []matcher.Profile, key func(*matcher.Profile) string, workers int) [][]int32 {
	hashes := make([]hashed, len(ps))
	parallel(len(ps), workers, func(int) {}, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			hashes[i] = hashed{0, -1} // no key: in no group
			if k := key(&ps[i]); k != "" {
				hashes[i] = hashed{fnv64(k), int32(i)}
			}
		}
	})
	parts := make([][256][]hashed, 1)
	for _, h := range hashes {
		if h.i >= 0 {
			parts[0][h.h>>56] = append(parts[0][h.h>>56], h)
		}
	}
	hashes = sortBuckets(parts, workers, func(x, y hashed) int {
		return cmp.Or(cmp.Compare(x.h, y.h), cmp.Compare(x.i, y.i))
	})
	idx := make([]int32, len(hashes))
	var groups [][]int32
	for i := 0; i < len(hashes); {
		j := i
		for ; j < len(hashes) && hashes[j].h == hashes[i].h; j++ {
			idx[j] = hashes[j].i
		}
		if j-i > 1 {
			groups = append(groups, idx[i:j:j])
		}
		i = j
	}
	return groups
}

type hashed struct {
	h uint64
	i int32
}

// fnv64 is FNV-1a, fixed so that groups come out the same on every run.
func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * 1099511628211
	}
	return h
}

// mix hashes a pair (splitmix64) for even, repeatable sampling.
func mix(seed uint64, a, b int32) uint64 {
	z := seed ^ uint64(a)<<32 ^ uint64(uint32(b))
	z += 0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// estimatePrior counts the pairs that agree exactly on first given name,
// family name and date of birth — almost all of them the same person —
// and divides by the share of matching pairs the fitted m says agree so:
// the number of matching pairs, and so the expected matches per record.
// Where dates of birth are too sparse for the rule, the names session's
// match share over all the pairs that share a name stands in for the
// count. Both counts are exact, from the groups, not from the sampled
// and windowed session.
func estimatePrior(m *matcher.Model, u matcher.UEstimate, ps []matcher.Profile, namesShare float64, workers int) PriorEstimate {
	est := PriorEstimate{ExpectedMatchesPerRecord: m.ExpectedMatchesPerRecord}
	n := len(ps)
	if namesShare < 0 || n < 2 {
		est.Rule = "none: too few records share a name; the starting model's prior kept"
		return est
	}
	firstEqual := m.Params(matcher.CmpGiven, matcher.GivenExact).M + m.Params(matcher.CmpGiven, matcher.GivenFirst).M +
		m.Params(matcher.CmpGiven, matcher.GivenMiddleDiff).M
	nameRecall := (1 - u.Null[matcher.CmpGiven]) * (1 - u.Null[matcher.CmpFamily]) *
		firstEqual * m.Params(matcher.CmpFamily, matcher.FamilyExact).M
	dobFilled := 1 - u.Null[matcher.CmpDOB]
	if dobFilled < 0.5 {
		est.Rule = fmt.Sprintf("first given and family name (dates of birth in only %.0f%% of pairs)", 100*dobFilled)
		est.Pairs = namesShare * groupPairs(ps, matcher.NamesKey, workers)
		est.Recall = nameRecall
	} else {
		est.Rule = "first given name, family name and date of birth exactly equal"
		est.Pairs = groupPairs(ps, matcher.NamesDOBKey, workers)
		est.Recall = nameRecall * dobFilled * m.Params(matcher.CmpDOB, matcher.DOBExact).M
	}
	if est.Pairs < 1 || est.Recall <= 0 {
		est.Rule += ": no pairs; the starting model's prior kept"
		return est
	}
	matches := est.Pairs / est.Recall
	est.ExpectedMatchesPerRecord = math.Min(math.Max(2*matches/float64(n), 0.01), float64(n-1)/2)
	return est
}

// groupPairs counts the pairs of profiles that share a key, exactly.
func groupPairs(ps []matcher.Profile, key func(*matcher.Profile) string, workers int) float64 {
	total := 0.0
	for _, g := range groupBy(ps, key, workers) {
		total += float64(len(g)) * float64(len(g)-1) / 2
	}
	return total
}
