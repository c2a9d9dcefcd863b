package matcher

import (
	"math"
	"testing"

	"github.com/resindex/resindex"
)

// TestClusterRefusesChaining: a record with only an initial and no date of
// birth links strongly to a father and to his son of the same name at the
// same address; the two must not be joined through it.
func TestClusterRefusesChaining(t *testing.T) {
	recs := []resindex.Record{
		rec("John", "Oyelaran", "1961-03-04", "10 High Street", "NW1 4AB"),
		rec("J", "Oyelaran", "", "10 High Street", "NW1 4AB"),
		rec("John", "Oyelaran", "1990-08-12", "10 High Street", "NW1 4AB"),
	}
	ps := make([]Profile, len(recs))
	for i := range recs {
		ps[i] = NewProfile(&recs[i])
	}
	freq := CountFrequencies(ps, 2)
	for i := range ps {
		Annotate(freq, DefaultModel(), &ps[i])
	}
	sc := NewScorer(DefaultModel(), 1000)
	// Edges as if both links were strong, the chain the constraint must break.
	edges := []Edge{{A: 0, B: 1, Weight: 20}, {A: 1, B: 2, Weight: 19}}
	c := &Clusterer{Link: 4, Conflict: -4.5, Score: func(a, b int32) Score { return sc.Score(&ps[a], &ps[b]) }}
	labels := c.Cluster(3, edges)
	if labels[0] == labels[2] {
		t.Fatalf("father and son joined: labels %v", labels)
	}
	if labels[0] != labels[1] {
		t.Errorf("the strongest link was not taken: labels %v", labels)
	}
	if c.Rejected != 1 {
		t.Errorf("rejected = %d, want 1", c.Rejected)
	}
}

func TestClusterHonoursForbid(t *testing.T) {
	recs := []resindex.Record{rec("Ann", "Lee", "1980-01-02"), rec("Ann", "Lee", "1980-01-02")}
	ps := []Profile{NewProfile(&recs[0]), NewProfile(&recs[1])}
	sc := NewScorer(DefaultModel(), 1000)
	c := &Clusterer{Link: 4, Conflict: -4.5,
		Score:  func(a, b int32) Score { return sc.Score(&ps[a], &ps[b]) },
		Forbid: func(a, b int32) bool { return true }}
	if l := c.Cluster(2, []Edge{{A: 0, B: 1, Weight: 30}}); l[0] == l[1] {
		t.Fatal("a forbidden pair was joined")
	}
}

func TestSortEdgesIsTotal(t *testing.T) {
	e := []Edge{{A: 2, B: 3, Weight: 5}, {A: 0, B: 1, Weight: 5}, {A: 1, B: 2, Weight: 9}}
	SortEdges(e)
	if e[0].A != 1 || e[1].A != 0 || e[2].A != 2 {
		t.Errorf("order = %v", e)
	}
}

func TestClusterHonoursManualLink(t *testing.T) {
	recs := []resindex.Record{rec("John", "Oyelaran", "1961-03-04"), rec("John", "Oyelaran", "1990-08-12")}
	ps := []Profile{NewProfile(&recs[0]), NewProfile(&recs[1])}
	sc := NewScorer(DefaultModel(), 1000)
	c := &Clusterer{Link: 0, Conflict: -4.5, Score: func(a, b int32) Score { return sc.Score(&ps[a], &ps[b]) }}
	if l := c.Cluster(2, []Edge{{A: 0, B: 1, Weight: math.Inf(1)}}); l[0] != l[1] {
		t.Fatal("a manual link was refused by the scores")
	}
}
