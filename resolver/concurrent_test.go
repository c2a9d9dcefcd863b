package resolver_test

import (
	"sync"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/matcher"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
)

// holdingStore holds a change in the middle of its transaction: at its
// first change-feed entry, once the record, its indexes and its person's
// records are written but before it commits, the change tells held and
// waits for release.
type holdingStore struct {
	*store.DB
	once    sync.Once
	held    chan struct{}
	release chan struct{}
	armed   bool
}

func (s *holdingStore) ApplyUnder(pos resindex.Position, l sync.Locker, fn func(resindex.Txn) error, committed func()) (bool, error) {
	return s.DB.ApplyUnder(pos, l, func(t resindex.Txn) error {
		if !s.armed {
			return fn(t)
		}
		return fn(holdingTxn{Txn: t, s: s})
	}, committed)
}

type holdingTxn struct {
	resindex.Txn
	s *holdingStore
}

func (t holdingTxn) Emit(payload []byte) (uint64, error) {
	t.s.once.Do(func() {
		close(t.s.held)
		<-t.s.release
	})
	return t.Txn.Emit(payload)
}

// within fails the test if fn does not finish in a long time: a read
// that waits for the held change never finishes.
func within(t *testing.T, what string, fn func() error) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("%s waited for the change held mid-transaction", what)
	}
}

// TestReadsDoNotWaitForAChange: search, person, household, links, the
// review queue and record → person all complete while a change is held
// in the middle of its transaction, and see the index as it was before
// the change; once it commits they see it.
func TestReadsDoNotWaitForAChange(t *testing.T) {
	recs, _ := MustBorough(t, 200, 5)
	hs := &holdingStore{DB: MustStore(t), held: make(chan struct{}), release: make(chan struct{})}
	eng := MustEngine(t, hs, resolver.EngineOptions{Population: len(recs)})
	apply := applier(t, eng)
	for _, r := range recs {
		apply(r)
	}
	known := recs[0]
	pid, ok := eng.PersonOf(known.Key())
	if !ok {
		t.Fatal("no person for the first record")
	}
	newcomer := resindex.Record{Source: "council_tax", ID: "NEW-1", Version: "2026-01-01T00:00:00Z",
		Name: resindex.Name{Given: "Zebedee", Family: "Quillfeather"}, DOB: "1970-01-02",
		Addresses: []resindex.Address{{Lines: []string{"1 Nowhere Lane"}, Postcode: "ZZ9 9ZZ", Current: true}}}
	byName := resindex.Query{Given: "Zebedee", Family: "Quillfeather"}

	hs.armed = true
	applied := make(chan error, 1)
	go func() {
		_, err := eng.Apply(newcomer, resindex.Position{Stream: "t", Offset: 1 << 40})
		applied <- err
	}()
	<-hs.held

	within(t, "search", func() error {
		hits, err := eng.Search(resindex.Query{Given: known.Name.Given, Family: known.Name.Family, DOB: known.DOB}, 10)
		if err == nil && len(hits) == 0 {
			t.Error("search found no one while a change was held")
		}
		return err
	})
	within(t, "search for the change's record", func() error {
		hits, err := eng.Search(byName, 10)
		if err == nil && len(hits) != 0 {
			t.Errorf("search saw the uncommitted change: %+v", hits)
		}
		return err
	})
	within(t, "person", func() error {
		p, err := eng.Person(pid)
		if err == nil && len(p.Records) == 0 {
			t.Error("person view has no records")
		}
		return err
	})
	within(t, "household", func() error {
		_, err := eng.Household(matcher.PropertyKey(known.Addresses[0]))
		return err
	})
	within(t, "links", func() error { _, err := eng.Links(pid, nil); return err })
	within(t, "review queue", func() error { _, _, err := eng.Candidates("", 10); return err })
	within(t, "person of a record", func() error {
		if _, ok := eng.PersonOf(newcomer.Key()); ok {
			t.Error("record → person saw the uncommitted change")
		}
		return nil
	})

	close(hs.release)
	if err := <-applied; err != nil {
		t.Fatal(err)
	}
	hits, err := eng.Search(byName, 10)
	if err != nil || len(hits) == 0 {
		t.Fatalf("after the commit, search does not find the new record: %v %v", hits, err)
	}
	if _, ok := eng.PersonOf(newcomer.Key()); !ok {
		t.Fatal("after the commit, the new record has no person")
	}
}

// TestReadsBesideChanges runs searches, person views and the review
// queue on several goroutines while changes are applied (run with -race
// to check that reads and the change in progress share nothing unsafely).
func TestReadsBesideChanges(t *testing.T) {
	recs, _ := MustBorough(t, 150, 9)
	db := MustStore(t)
	eng := MustEngine(t, db, resolver.EngineOptions{Population: len(recs)})
	half := len(recs) / 2
	apply := applier(t, eng)
	for _, r := range recs[:half] {
		apply(r)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for g := range 3 {
		wg.Go(func() {
			for i := g; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				r := recs[i%len(recs)]
				if _, err := eng.Search(resindex.Query{Given: r.Name.Given, Family: r.Name.Family}, 5); err != nil {
					errs <- err
					return
				}
				if pid, ok := eng.PersonOf(r.Key()); ok {
					if _, err := eng.Links(pid, nil); err != nil {
						errs <- err
						return
					}
				}
				if _, _, err := eng.Candidates("", 5); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	for _, r := range recs[half:] {
		apply(r)
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}
