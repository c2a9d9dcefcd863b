package resolver

import (
	"cmp"
	"slices"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/matcher"
)

// Links explains why a person's records are one person: the strongest
// pairs that join them all (a maximum spanning tree over the pairs'
// weights, a steward's manual link counting as the strongest), each with
// its terms. With among, only those of the person's records are joined
// (a caller that may see only some). A person of one record has none. A
// missing person is resindex.ErrNotFound; a merged-away ID is followed.
func (e *Engine) Links(pid string, among []resindex.RecordKey) ([]resindex.Link, error) {
	var out []resindex.Link
	err := e.read(func(o *reader, t resindex.Txn) error {
		id, err := followRedirects(t, pid)
		if err != nil {
			return err
		}
		ids, err := personRecords(t, id)
		if err != nil {
			return err
		}
		keys := keysOf(ids)
		if among != nil {
			keys = slices.DeleteFunc(keys, func(k resindex.RecordKey) bool { return !slices.Contains(among, k) })
		}
		ps, err := o.profiles(t, keys)
		if err != nil {
			return err
		}
		for _, ab := range spanningPairs(len(keys), func(a, b int) float64 { return o.pairWeight(ps[a], ps[b]) }) {
			out = append(out, o.explainPair(ps[ab[0]], ps[ab[1]]))
		}
		return nil
	})
	return out, err
}

// pairWeight is the weight clustering gives a pair: a steward's override
// first, then the score (a conflict counts as no evidence at all).
func (e *reader) pairWeight(a, b *matcher.Profile) float64 {
	if o, ok := e.overrideOf(a.Key, b.Key); ok {
		if o.Kind == OverrideLink {
			return manualLink
		}
		return -manualLink
	}
	s := e.scorer.Score(a, b)
	if s.Conflict {
		return -manualLink
	}
	return s.Weight
}

// explainPair is the scorer's explanation of a pair in the root's terms.
func (e *reader) explainPair(a, b *matcher.Profile) resindex.Link {
	x := e.scorer.Explain(a, b)
	l := resindex.Link{A: x.A, B: x.B, Weight: x.Weight, Probability: x.Probability, Decision: x.Decision}
	if o, ok := e.overrideOf(a.Key, b.Key); ok {
		l.Override = o.Kind
	}
	for _, t := range x.Terms {
		l.Terms = append(l.Terms, resindex.LinkTerm{Comparison: t.Comparison, Level: t.Level, Weight: t.Weight})
	}
	return l
}

// spanningPairs picks n-1 pairs joining n items with the largest total
// weight (Prim's algorithm; persons have few records, so O(n²) is fine).
func spanningPairs(n int, weight func(a, b int) float64) [][2]int {
	if n < 2 {
		return nil
	}
	in := make([]bool, n)
	best := make([]float64, n)
	from := make([]int, n)
	in[0] = true
	for i := 1; i < n; i++ {
		best[i], from[i] = weight(0, i), 0
	}
	var out [][2]int
	for range n - 1 {
		next := -1
		for i := range n {
			if !in[i] && (next < 0 || best[i] > best[next]) {
				next = i
			}
		}
		in[next] = true
		out = append(out, [2]int{from[next], next})
		for i := range n {
			if w := weight(next, i); !in[i] && w > best[i] {
				best[i], from[i] = w, next
			}
		}
	}
	slices.SortFunc(out, func(x, y [2]int) int { return cmp.Or(cmp.Compare(x[0], y[0]), cmp.Compare(x[1], y[1])) })
	return out
}
