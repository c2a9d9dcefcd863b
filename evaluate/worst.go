package evaluate

import (
	"cmp"
	"slices"

	"github.com/resindex/resindex"
)

// FalseMerge is a predicted cluster that joins records of several true
// persons.
type FalseMerge struct {
	// PredictedID is the predicted person.
	PredictedID string
	// WrongPairs counts the pairs of its records that belong to different
	// true persons.
	WrongPairs int64
	// Records are its records present in the truth, sorted by key.
	Records []resindex.RecordKey
	// Example is one wrong pair, in key order: the smallest key of each of
	// the two largest true persons in the cluster (ties between persons go
	// to the one with the smaller key).
	Example [2]resindex.RecordKey
}

// FalseSplit is a true person whose records are spread over several
// predicted clusters.
type FalseSplit struct {
	// TrueID is the true person.
	TrueID string
	// MissedPairs counts the pairs of its records that the prediction put
	// in different clusters.
	MissedPairs int64
	// Records are its records present in the prediction, sorted by key.
	Records []resindex.RecordKey
	// Example is one missed pair, in key order: the smallest key of each of
	// the two largest predicted clusters holding the person's records (ties
	// between clusters go to the one with the smaller key).
	Example [2]resindex.RecordKey
}

// WorstMerges returns at most n false merges, the most wrong pairs first and
// ties by predicted id. Only records present on both sides count. It returns
// nil when n <= 0 or nothing is falsely merged.
func WorstMerges(truth, predicted []resindex.Assignment, n int) []FalseMerge {
	if n <= 0 {
		return nil
	}
	j := newJoin(truth, predicted)
	found := worst(j, j.pred, j.truth, j.predIDs, len(j.truthIDs), n)
	var out []FalseMerge
	for _, f := range found {
		out = append(out, FalseMerge{PredictedID: f.id, WrongPairs: f.bad, Records: f.records, Example: f.example})
	}
	return out
}

// WorstSplits returns at most n false splits, the most missed pairs first
// and ties by true id. Only records present on both sides count. It returns
// nil when n <= 0 or nothing is falsely split.
func WorstSplits(truth, predicted []resindex.Assignment, n int) []FalseSplit {
	if n <= 0 {
		return nil
	}
	j := newJoin(truth, predicted)
	found := worst(j, j.truth, j.pred, j.truthIDs, len(j.predIDs), n)
	var out []FalseSplit
	for _, f := range found {
		out = append(out, FalseSplit{TrueID: f.id, MissedPairs: f.bad, Records: f.records, Example: f.example})
	}
	return out
}

// mixed is an outer cluster that meets several inner clusters: a false
// merge when outer is predicted, a false split when outer is true.
type mixed struct {
	outer   int
	id      string
	bad     int64
	records []resindex.RecordKey
	example [2]resindex.RecordKey
}

// worst ranks the outer clusters meeting more than one inner cluster by the
// pairs they hold across inner clusters, and details the first n.
func worst(j *join, outer, inner []int32, outerIDs []string, nInner, n int) []mixed {
	t := newTable(outer, inner, len(outerIDs), nInner)
	var ranked []mixed
	for o := range outerIDs {
		if len(t.row(o)) < 2 {
			continue
		}
		bad := pairs(t.size(o))
		for _, c := range t.row(o) {
			bad -= pairs(c.count)
		}
		ranked = append(ranked, mixed{outer: o, id: outerIDs[o], bad: bad})
	}
	slices.SortFunc(ranked, func(a, b mixed) int {
		return cmp.Or(cmp.Compare(b.bad, a.bad), cmp.Compare(a.id, b.id))
	})
	ranked = ranked[:min(n, len(ranked))]
	for i := range ranked {
		ranked[i].records, ranked[i].example = detail(j, t.rowRecords(ranked[i].outer), inner)
	}
	return ranked
}

// group is the part of an outer cluster in one inner cluster.
type group struct {
	size  int
	first resindex.RecordKey
}

// detail returns the sorted keys of the given records and an example pair:
// the smallest key of each of the two largest inner groups among them.
func detail(j *join, recs []int32, inner []int32) ([]resindex.RecordKey, [2]resindex.RecordKey) {
	keys := make([]resindex.RecordKey, len(recs))
	groups := make(map[int32]*group)
	for i, r := range recs {
		keys[i] = j.key(r)
		g := groups[inner[r]]
		if g == nil {
			g = &group{first: j.key(r)}
			groups[inner[r]] = g
		}
		g.size++
		if j.key(r).Compare(g.first) < 0 {
			g.first = j.key(r)
		}
	}
	slices.SortFunc(keys, resindex.RecordKey.Compare)
	largest := make([]*group, 0, len(groups))
	for _, g := range groups {
		largest = append(largest, g)
	}
	slices.SortFunc(largest, func(a, b *group) int {
		return cmp.Or(cmp.Compare(b.size, a.size), a.first.Compare(b.first))
	})
	ex := [2]resindex.RecordKey{largest[0].first, largest[1].first}
	if ex[1].Compare(ex[0]) < 0 {
		ex[0], ex[1] = ex[1], ex[0]
	}
	return keys, ex
}
