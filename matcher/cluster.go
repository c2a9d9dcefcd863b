package matcher

import (
	"cmp"
	"math"
	"slices"
)

// Edge is a scored candidate pair between records A < B (indexes into the
// caller's record list). An edge of weight +Inf is a manual link.
type Edge struct {
	A, B   int32
	Weight float64
}

// SortEdges orders edges by weight, strongest first, then by record indexes
// so that the order, and so the clustering, never depends on input order.
func SortEdges(edges []Edge) {
	slices.SortFunc(edges, func(x, y Edge) int {
		if c := cmp.Compare(y.Weight, x.Weight); c != 0 {
			return c
		}
		if c := cmp.Compare(x.A, y.A); c != 0 {
			return c
		}
		return cmp.Compare(x.B, y.B)
	})
}

// PairScorer scores two records by index; clustering uses it to check
// every pair a merge would join.
type PairScorer func(a, b int32) Score

// Clusterer joins records into persons by constrained greedy clustering:
// edges are taken strongest first, and two clusters join only if no pair
// across them is a hard conflict or a contradiction, so that one record
// cannot chain two different people together.
type Clusterer struct {
	Link     float64 // weight at which an edge links
	Conflict float64 // negative evidence at which two records contradict
	Score    PairScorer
	// Forbid, if set, vetoes joining two records (a manual "not the same
	// person").
	Forbid func(a, b int32) bool
	// Rejected counts merges refused by the constraint.
	Rejected int
}

// Cluster assigns each of n records a cluster label (the smallest record
// index in the cluster). edges must be sorted by SortEdges; only edges at
// or above the link weight are used.
func (c *Clusterer) Cluster(n int, edges []Edge) []int32 {
	parent := make([]int32, n)
	members := make([][]int32, n)
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for _, e := range edges {
		if e.Weight < c.Link {
			break
		}
		ra, rb := find(e.A), find(e.B)
		if ra == rb {
			continue
		}
		ma, mb := clusterOf(members, ra), clusterOf(members, rb)
		if !c.compatible(ma, mb, math.IsInf(e.Weight, 1)) {
			c.Rejected++
			continue
		}
		if len(ma) < len(mb) {
			ra, rb, ma, mb = rb, ra, mb, ma
		}
		parent[rb] = ra
		members[ra] = append(ma, mb...)
		members[rb] = nil
	}
	return labels(n, find)
}

func clusterOf(members [][]int32, root int32) []int32 {
	if members[root] == nil {
		members[root] = []int32{root}
	}
	return members[root]
}

// compatible checks every pair across two clusters. A manual link (an
// edge of infinite weight) is honoured whatever the scores say; only a
// manual "not the same person" can stop it.
func (c *Clusterer) compatible(a, b []int32, manual bool) bool {
	for _, x := range a {
		for _, y := range b {
			if c.Forbid != nil && c.Forbid(x, y) {
				return false
			}
			if manual {
				continue
			}
			s := c.Score(x, y)
			if s.Conflict || (s.Weight < c.Link && s.Negative <= c.Conflict) {
				return false
			}
		}
	}
	return true
}

// labels gives each record the smallest index in its cluster.
func labels(n int, find func(int32) int32) []int32 {
	minOf := make([]int32, n)
	for i := range minOf {
		minOf[i] = -1
	}
	out := make([]int32, n)
	for i := 0; i < n; i++ {
		r := find(int32(i))
		if minOf[r] < 0 {
			minOf[r] = int32(i)
		}
		out[i] = minOf[r]
	}
	return out
}
