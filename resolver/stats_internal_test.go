package resolver

import (
	"testing"
	"time"

	"github.com/resindex/resindex/store"
)

// TestStatsDuringChange: the stats a metrics scrape reads come while a
// change holds the engine's write lock, not after it.
func TestStatsDuringChange(t *testing.T) {
	db, err := store.Open(store.Options{Dir: t.TempDir(), GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e, err := NewEngine(db, EngineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	e.write.Lock() // a long change in progress
	defer e.write.Unlock()
	got := make(chan EngineStats, 1)
	go func() { got <- e.Stats() }()
	select {
	case s := <-got:
		if s.Changes != 0 {
			t.Errorf("a new engine's changes: %d", s.Changes)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Stats waited for the change in progress")
	}
}
