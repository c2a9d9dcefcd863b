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

// Refusal is why a merge of two clusters was refused.
type Refusal uint8

// The reasons a merge is refused, in the order they are checked.
const (
	// RefusedManual: a data steward said two of the records are not the
	// same person.
	RefusedManual Refusal = iota
	// RefusedIdentifier: two of the records hold different valid NHS
	// numbers or NINOs, or different permanent UPNs.
	RefusedIdentifier
	// RefusedContradiction: two of the records contradict each other more
	// strongly than the model says the same person's records ever do
	// (Model.ConflictThreshold), and do not link by themselves.
	RefusedContradiction
	// RefusedGeneration: the link has no personal evidence (names and an
	// address are what relatives share), and two of the records have
	// dates of birth years apart: a parent and child, or two siblings, are
	// not chained into one person through a record that lacks a date.
	RefusedGeneration
	// RefusedNamesAlone: the link rests on names alone (no date of birth,
	// address, identifier, email or phone agrees), and some pair across
	// the two clusters does not link by itself: strangers who share a
	// common name are not chained into one person.
	RefusedNamesAlone
	NumRefusals
)

var refusalNames = [NumRefusals]string{"manual unlink", "conflicting identifier", "contradiction", "dates of birth apart", "names alone"}

// String names the reason as reported by link.
func (r Refusal) String() string { return refusalNames[r] }

// Clusterer joins records into persons by constrained greedy clustering:
// edges are taken strongest first, and two clusters join unless hard
// evidence stands between them (Refusal), so that one record cannot chain
// two different people together.
type Clusterer struct {
	Link     float64 // weight at which an edge links
	Conflict float64 // negative evidence at which two records contradict
	Score    PairScorer
	// Forbid, if set, vetoes joining two records (a manual "not the same
	// person").
	Forbid func(a, b int32) bool
	// Rejected counts merges refused, in all; Refused by reason.
	Rejected int
	Refused  [NumRefusals]int
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
		if why, ok := c.refuse(e, ma, mb); ok {
			c.Rejected++
			c.Refused[why]++
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

// refuse checks every pair across two clusters and says why they may not
// join, if they may not. A manual link (an edge of infinite weight) is
// honoured whatever the scores say; only a manual "not the same person"
// can stop it.
func (c *Clusterer) refuse(e Edge, a, b []int32) (Refusal, bool) {
	manual := math.IsInf(e.Weight, 1)
	namesAlone, thin := false, false
	if !manual && (len(a) > 1 || len(b) > 1) {
		v := c.Score(e.A, e.B).Vector
		namesAlone, thin = !otherEvidence(v), v[CmpDOB] == LevelNull && !personalEvidence(v)
	}
	for _, x := range a {
		for _, y := range b {
			if c.Forbid != nil && c.Forbid(x, y) {
				return RefusedManual, true
			}
			if manual {
				continue
			}
			if why, ok := c.refusePair(x, y, namesAlone, thin); ok {
				return why, true
			}
		}
	}
	return 0, false
}

func (c *Clusterer) refusePair(x, y int32, namesAlone, thin bool) (Refusal, bool) {
	s := c.Score(x, y)
	switch {
	case s.Conflict:
		return RefusedIdentifier, true
	case s.Weight >= c.Link:
		return 0, false
	case s.Negative <= c.Conflict:
		return RefusedContradiction, true
	case thin && s.Vector[CmpDOB] >= DOBDiff:
		return RefusedGeneration, true
	case namesAlone:
		return RefusedNamesAlone, true
	}
	return 0, false
}

// personalEvidence reports whether a pair agrees on something a relative
// at the same address would not share: a date of birth, an identifier, an
// email or a phone.
func personalEvidence(v Vector) bool {
	if v[CmpDOB] != LevelNull && v[CmpDOB] <= DOBPartial {
		return true
	}
	for _, c := range []Comparison{CmpNHS, CmpNINO, CmpUPN, CmpOtherID, CmpEmail, CmpPhone} {
		if v[c] == IDSame {
			return true
		}
	}
	return false
}

// otherEvidence reports whether a pair agrees on anything beyond names
// and sex: a date of birth, an address, an identifier, an email or a
// phone.
func otherEvidence(v Vector) bool {
	return personalEvidence(v) || v[CmpAddress] != LevelNull && v[CmpAddress] <= AddrPostcode
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
