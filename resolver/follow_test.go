package resolver_test

import (
	"errors"
	"reflect"
	"sync"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
)

// pull copies what changed on the writer's store since a replica's
// position into the replica's store, through the replica's engine when
// it has one, and returns the next position.
func pull(t *testing.T, w, r *store.DB, eng *resolver.Engine, since uint64) uint64 {
	t.Helper()
	var batch []layout.KeyChange
	upTo, err := w.ChangedSince(since, func(c layout.KeyChange) error { batch = append(batch, c); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if eng == nil {
		err = r.ApplyReplicated(batch, &store.ReplicaPos{Next: upTo + 1}, nil, nil)
	} else {
		err = eng.Follow(batch, func(l sync.Locker, published func()) error {
			return r.ApplyReplicated(batch, &store.ReplicaPos{Next: upTo + 1}, l, published)
		})
	}
	if err != nil {
		t.Fatal(err)
	}
	return upTo + 1
}

// TestFollowAnswersAsTheWriter: a replica's engine, made once over a
// first copy and then only following the writer's changed keys through
// updates, merges, splits, deletes and overrides, answers every search
// and every person exactly as the writer's engine does.
func TestFollowAnswersAsTheWriter(t *testing.T) {
	recs, _ := MustBorough(t, 80, 7)
	wdb, rdb := MustStore(t), MustStore(t)
	writer := MustEngine(t, wdb, resolver.EngineOptions{})
	apply := applier(t, writer)
	half := len(recs) / 2
	for _, r := range recs[:half] {
		apply(r)
	}
	since := pull(t, wdb, rdb, nil, 0)
	replica := MustEngine(t, rdb, resolver.EngineOptions{ReadReplica: true})
	for i, r := range recs[half:] {
		apply(r)
		if i%7 == 0 {
			// Delete an earlier record: a split, or a person gone.
			old := recs[i]
			old.Version, old.Deleted = old.Version+"z", true
			apply(old)
		}
		if i%5 == 0 {
			since = pull(t, wdb, rdb, replica, since)
		}
	}
	a, b := recs[1].Key(), recs[2].Key()
	if err := writer.Override(a, b, "link", "same person, checked by phone"); err != nil {
		t.Fatal(err)
	}
	since = pull(t, wdb, rdb, replica, since)
	sameAnswers(t, recs, writer, replica)
	// Nothing new: a pull changes nothing.
	if next := pull(t, wdb, rdb, replica, since); next < since {
		t.Errorf("position went back from %d to %d", since, next)
	}
	sameAnswers(t, recs, writer, replica)
	// What it followed is the writer's decisions, counted there only.
	if st := replica.Stats(); st.Changes != 0 || st.Decided != [resolver.NumDecisions]int64{} {
		t.Errorf("the replica's engine counted %d changes, decisions %v", st.Changes, st.Decided)
	}
}

// sameAnswers compares the two engines' searches (by each record's own
// name and date of birth) and persons.
func sameAnswers(t *testing.T, recs []resindex.Record, w, r *resolver.Engine) {
	t.Helper()
	differ := 0
	for _, rec := range recs {
		q := resindex.Query{Given: rec.Name.Given, Family: rec.Name.Family, DOB: rec.DOB}
		if q.Empty() {
			continue
		}
		wh, werr := w.Search(q, 10)
		rh, rerr := r.Search(q, 10)
		if !reflect.DeepEqual(wh, rh) || (werr == nil) != (rerr == nil) {
			differ++
			if differ < 3 {
				t.Errorf("search %s %s: writer %v (%v), replica %v (%v)", q.Given, q.Family, wh, werr, rh, rerr)
			}
		}
		for _, h := range wh {
			wp, werr := w.Person(h.PersonID)
			rp, rerr := r.Person(h.PersonID)
			if !reflect.DeepEqual(wp, rp) || !errors.Is(rerr, werr) {
				t.Fatalf("person %s: writer %+v (%v), replica %+v (%v)", h.PersonID, wp, werr, rp, rerr)
			}
		}
	}
	if differ > 0 {
		t.Fatalf("%d searches differ", differ)
	}
}

// TestReplicaEngineRefusesChanges: a replica's engine resolves nothing.
func TestReplicaEngineRefusesChanges(t *testing.T) {
	eng := MustEngine(t, MustStore(t), resolver.EngineOptions{ReadReplica: true})
	rec := resindex.Record{Source: "ct", ID: "1", Version: "1", Name: resindex.Name{Given: "Ann", Family: "Lee"}}
	if _, err := eng.Apply(rec, resindex.Position{Stream: "t", Offset: 1}); !errors.Is(err, resolver.ErrReadReplica) {
		t.Errorf("apply on a replica: %v", err)
	}
	if err := eng.Override(rec.Key(), resindex.RecordKey{Source: "er", ID: "2"}, "link", "x"); !errors.Is(err, resolver.ErrReadReplica) {
		t.Errorf("override on a replica: %v", err)
	}
	if _, err := eng.PurgeRecords([]resindex.RecordKey{rec.Key()}); !errors.Is(err, resolver.ErrReadReplica) {
		t.Errorf("purge on a replica: %v", err)
	}
	if _, err := eng.Erase("P1"); !errors.Is(err, resolver.ErrReadReplica) {
		t.Errorf("erase on a replica: %v", err)
	}
}
