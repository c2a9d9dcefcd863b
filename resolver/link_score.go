package resolver

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/resindex/resindex/matcher"
)

// pairCounter accumulates one worker's results before they are merged.
type pairCounter struct {
	edges       []matcher.Edge
	candidates  int64
	byRule      [matcher.NumRules]int64
	trueByRule  [matcher.NumRules]int64
	trueFound   int64
	windowedOut int64
	oversized   int
}

func (l *linker) score() {
	runs := l.affordable(l.runs())
	l.res.Stats.Blocks = len(runs)
	var mu sync.Mutex
	total := pairCounter{}
	parallel(len(runs), l.opts.Workers, func(d int) { l.opts.Progress("scoring blocks", d, len(runs)) }, func(lo, hi int) {
		var pc pairCounter
		for _, r := range runs[lo:hi] {
			l.scoreBlock(l.entries[r[0]:r[1]], &pc)
		}
		mu.Lock()
		total.merge(&pc)
		mu.Unlock()
	})
	l.entries, l.keys = nil, nil // clustering needs neither: let them go
	st := &l.res.Stats
	st.Candidates, st.CandidatesByRule, st.TruePairsByRule = total.candidates, total.byRule, total.trueByRule
	st.TruePairsFound, st.WindowedOut, st.OversizedBlocks = total.trueFound, total.windowedOut, total.oversized
	l.res.Edges = total.edges
}

func (p *pairCounter) merge(o *pairCounter) {
	p.edges = append(p.edges, o.edges...)
	p.candidates += o.candidates
	for r := range p.byRule {
		p.byRule[r] += o.byRule[r]
		p.trueByRule[r] += o.trueByRule[r]
	}
	p.trueFound += o.trueFound
	p.windowedOut += o.windowedOut
	p.oversized += o.oversized
}

// FallbackBudget is how many comparisons per record a fallback rule (one
// that needs no name, no family name or no date of birth: Rule.Fallback)
// may cost. Estimated before scoring, as Splink's count_comparisons does:
// where such a rule would compare a crowd (every John born in 1980 in a
// borough of a million) it is left out and reported, where it is cheap
// (data whose names or dates are often wrong or missing) it runs.
const FallbackBudget = 4

// affordable estimates every rule's comparisons from its blocks and drops
// the blocks of fallback rules over budget.
func (l *linker) affordable(runs [][2]int32) [][2]int32 {
	st := &l.res.Stats
	for _, r := range runs {
		st.EstimatedByRule[l.entries[r[0]].rule] += windowedPairs(int64(r[1]-r[0]), int64(l.opts.MaxBlock), int64(l.opts.Window))
	}
	budget := int64(FallbackBudget * max(len(l.res.Keys), 1))
	for rule := matcher.Rule(0); rule < matcher.NumRules; rule++ {
		st.SkippedRules[rule] = rule.Fallback() && st.EstimatedByRule[rule] > budget
	}
	return slices.DeleteFunc(runs, func(r [2]int32) bool { return st.SkippedRules[l.entries[r[0]].rule] })
}

// windowedPairs is how many pairs a block of n records compares: all of
// them up to maxBlock records, else each record with its next window.
func windowedPairs(n, maxBlock, window int64) int64 {
	if n <= maxBlock {
		return n * (n - 1) / 2
	}
	return (n-window)*window + window*(window-1)/2
}

// scoreBlock scores the pairs of one block. A block too large to compare
// in full is sorted by name and date of birth and each record compared with
// its next neighbours only; what that leaves out is counted, not hidden.
func (l *linker) scoreBlock(block []blockEntry, pc *pairCounter) {
	n := len(block)
	if n <= l.opts.MaxBlock {
		for i := 0; i < n; i++ {
			ma := l.keys[block[i].rec].EarlierMask(block[i].rule)
			for j := i + 1; j < n; j++ {
				l.scorePair(block[i], &ma, block[j].rec, pc)
			}
		}
		return
	}
	pc.oversized++
	type keyed struct {
		key string
		e   blockEntry
	}
	ks := make([]keyed, n)
	for i, e := range block {
		ks[i] = keyed{l.sortKey(e.rec), e}
	}
	slices.SortFunc(ks, func(x, y keyed) int {
		if c := cmp.Compare(x.key, y.key); c != 0 {
			return c
		}
		return cmp.Compare(x.e.rec, y.e.rec)
	})
	sorted := make([]blockEntry, n)
	for i := range ks {
		sorted[i] = ks[i].e
	}
	w := l.opts.Window
	compared := int64(0)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n && j <= i+w; j++ {
			a, b := sorted[i], sorted[j]
			if a.rec > b.rec {
				a, b = b, a
			}
			ma := l.keys[a.rec].EarlierMask(a.rule)
			l.scorePair(a, &ma, b.rec, pc)
			compared++
		}
	}
	pc.windowedOut += int64(n)*int64(n-1)/2 - compared
}

func (l *linker) sortKey(rec int32) string {
	p := &l.res.Profiles[rec]
	return p.Family + "|" + strings.Join(p.Given, " ") + "|" + p.DOB.String()
}

// scorePair scores records e.rec < b if this block is where their pair
// belongs, and keeps the edge if it reaches the review weight. ma is
// e.rec's EarlierMask of the block's rule.
func (l *linker) scorePair(e blockEntry, ma *matcher.KeyMask, b int32, pc *pairCounter) {
	a := e.rec
	if !matcher.FirstSharedMasked(&l.keys[a], ma, &l.keys[b], e.rule, e.hash, &l.res.Stats.SkippedRules) {
		return
	}
	pc.candidates++
	pc.byRule[e.rule]++
	if l.truth != nil && l.truth[a] >= 0 && l.truth[a] == l.truth[b] {
		pc.trueFound++
		pc.trueByRule[e.rule]++
	}
	s, ok := l.res.Scorer.ScoreAtLeast(&l.res.Profiles[a], &l.res.Profiles[b], l.opts.Model.ReviewThreshold)
	if !ok {
		return
	}
	pc.edges = append(pc.edges, matcher.Edge{A: a, B: b, Weight: s.Weight})
}

func (l *linker) cluster() {
	l.opts.Progress("clustering", 0, len(l.res.Edges))
	matcher.SortEdges(l.res.Edges)
	ps, sc := l.res.Profiles, l.res.Scorer
	m := l.opts.Model
	c := &matcher.Clusterer{
		Link:     m.LinkThreshold,
		Conflict: m.ConflictThreshold,
		Score:    func(a, b int32) matcher.Score { return sc.Score(&ps[a], &ps[b]) },
	}
	labels := c.Cluster(len(ps), l.res.Edges)
	l.res.PersonIDs = personIDs(labels)
	st := &l.res.Stats
	st.RejectedMerges, st.Refused = c.Rejected, c.Refused
	for _, e := range l.res.Edges {
		if e.Weight >= m.LinkThreshold {
			st.Links++
		} else {
			st.Reviews++
		}
	}
	st.Persons = countDistinct(labels)
	l.opts.Progress("clustering", len(l.res.Edges), len(l.res.Edges))
}

// personIDs numbers clusters in the key order of their first record, so
// the same records always get the same IDs.
func personIDs(labels []int32) []string {
	ids := make([]string, len(labels))
	num := make([]int, len(labels)) // by label, a record's index; 0: not yet numbered
	next := 0
	for i, lab := range labels {
		if num[lab] == 0 {
			next++
			num[lab] = next
		}
		ids[i] = personID(num[lab])
	}
	return ids
}

// personID is fmt.Sprintf("P%07d", n), without fmt's cost a million times.
func personID(n int) string {
	var b, d [24]byte
	out := append(b[:0], 'P')
	digits := strconv.AppendInt(d[:0], int64(n), 10)
	for range 7 - len(digits) {
		out = append(out, '0')
	}
	return string(append(out, digits...))
}

func countDistinct(labels []int32) int {
	n := 0
	for i, lab := range labels {
		if int(lab) == i {
			n++
		}
	}
	return n
}
