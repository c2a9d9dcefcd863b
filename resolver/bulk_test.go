package resolver_test

import (
	"strings"
	"testing"

	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
)

func batcher(db *store.DB) resolver.Batcher {
	return func(fn func(set func(k, v []byte) error) error) error {
		return db.Chunked(func(w *store.Writer) error { return fn(w.Set) })
	}
}

// A bulk load stopped part way leaves a store no other engine will open,
// and resumes to the same persons as an uninterrupted load.
func TestBulkLoadStopAndResume(t *testing.T) {
	recs, _ := MustBorough(t, 1500, 7)
	whole := MustStore(t)
	if _, _, err := resolver.BulkLoad(whole, batcher(whole), recs, resolver.BulkOptions{Stream: "b"}); err != nil {
		t.Fatal(err)
	}
	db := MustStore(t)
	groups := 0
	stop := func() bool { groups++; return groups > 1 } // stop after the first group of persons
	if _, _, err := resolver.BulkLoad(db, batcher(db), recs, resolver.BulkOptions{Stream: "b", Stop: stop}); err != resolver.ErrLoadStopped {
		t.Fatalf("stopped load: err = %v", err)
	}
	if _, err := resolver.NewEngine(db, resolver.EngineOptions{}); err == nil || !strings.Contains(err.Error(), "has not finished") {
		t.Errorf("engine over an unfinished bulk load: err = %v", err)
	}
	if _, _, err := resolver.BulkLoad(db, batcher(db), recs, resolver.BulkOptions{Stream: "other"}); err == nil {
		t.Error("another bulk load accepted into a store holding one")
	}
	if _, _, err := resolver.BulkLoad(db, batcher(db), recs, resolver.BulkOptions{Stream: "b"}); err != nil {
		t.Fatal(err)
	}
	a, b := personByID(t, whole), personByID(t, db)
	if len(a) != len(b) {
		t.Fatalf("resumed load has %d records with persons, uninterrupted %d", len(b), len(a))
	}
	for id, pid := range a {
		if b[id] != pid {
			t.Fatalf("record %s: person %s resumed, %s uninterrupted", id, b[id], pid)
		}
	}
	MustEngine(t, db, resolver.EngineOptions{})
}
