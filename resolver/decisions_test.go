package resolver_test

import (
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/resolver"
)

// countWatcher counts the changes it watched and those that committed.
type countWatcher struct{ watched, committed int }

func (w *countWatcher) Watch(resindex.Txn, []resindex.Change) error { w.watched++; return nil }
func (w *countWatcher) Committed()                                  { w.committed++ }

// TestEngineDecisions: each committed change is counted once, by what it
// decided; Apply's time is observed for every call; a CommitWatcher hears
// of every commit.
func TestEngineDecisions(t *testing.T) {
	db := MustStore(t)
	applies, w := 0, &countWatcher{}
	eng := MustEngine(t, db, resolver.EngineOptions{Watcher: w, ObserveApply: func(d time.Duration) {
		if d <= 0 {
			t.Errorf("apply observed as taking %v", d)
		}
		applies++
	}})
	a := resindex.Record{Source: "a_council_tax", ID: "1", Version: "1", Name: resindex.Name{Given: "J", Family: "Smith"},
		Identifiers: map[string]string{"nino": "AB123456C"}, Addresses: []resindex.Address{{Lines: []string{"4 Mill Lane"}, Postcode: "N7 8QT"}}}
	b := resindex.Record{Source: "b_libraries", ID: "2", Version: "1", Name: resindex.Name{Given: "Jonathan", Family: "Smyth"},
		Emails: []string{"jon.smyth@example.org"}}
	c := resindex.Record{Source: "c_contact", ID: "3", Version: "1", Name: resindex.Name{Given: "Jon", Family: "Smith"},
		Identifiers: map[string]string{"nino": "AB 12 34 56 C"}, Emails: []string{"jon.smyth@example.org"}}
	d := a
	d.Source, d.ID = "d_housing", "4"
	a2 := a
	a2.Version, a2.Addresses = "2", []resindex.Address{{Lines: []string{"9 Mill Lane"}, Postcode: "N7 8QT"}}
	cGone := c
	cGone.Version, cGone.Deleted = "2", true
	steps := []struct {
		name string
		rec  resindex.Record
		want resolver.Decision
	}{
		{"a first", a, resolver.DecidedNewPerson},
		{"b, unlike a", b, -1}, // a new person or a pair for review: the model's to say
		{"c bridges a and b", c, resolver.DecidedMerged},
		{"c deleted", cGone, resolver.DecidedSplit},
		{"d, a's twin in another source", d, resolver.DecidedJoined},
		{"a moves", a2, resolver.DecidedUpdated},
		{"a's first version again, late", a, resolver.DecidedUnchanged},
	}
	for i, st := range steps {
		before := eng.Stats().Decided
		if _, err := eng.Apply(st.rec, resindex.Position{Stream: "t", Offset: int64(i + 1)}); err != nil {
			t.Fatal(err)
		}
		after := eng.Stats().Decided
		var got []resolver.Decision
		for k := range resolver.NumDecisions {
			for range after[k] - before[k] {
				got = append(got, k)
			}
		}
		if len(got) != 1 || st.want >= 0 && got[0] != st.want {
			t.Errorf("%s: decided %v, want %v", st.name, got, st.want)
		}
	}
	// A change already applied is no change: not counted, not committed.
	if _, err := eng.Apply(c, resindex.Position{Stream: "t", Offset: 3}); err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, n := range eng.Stats().Decided {
		total += n
	}
	if total != int64(len(steps)) || w.committed != len(steps) || applies != len(steps)+1 {
		t.Errorf("%d decisions, %d commits heard, %d applies observed; want %d, %d, %d", total, w.committed, applies, len(steps), len(steps), len(steps)+1)
	}
}

func TestDecisionNames(t *testing.T) {
	seen := map[string]bool{}
	for d := range resolver.NumDecisions {
		if s := d.String(); s == "" || s == "unknown" || seen[s] {
			t.Errorf("decision %d is named %q", d, s)
		} else {
			seen[s] = true
		}
	}
	if s := resolver.NumDecisions.String(); s != "unknown" {
		t.Errorf("out of range: %q", s)
	}
}
