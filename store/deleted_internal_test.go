package store

import (
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// TestPruneSeesAMarkWrittenAgain: a deletion mark written again while
// PruneDeleted runs (the key set and deleted again) is either kept or
// dropped with the horizon past its new version, never dropped with the
// horizon short of it (a replica between the two would miss the
// deletion for ever).
func TestPruneSeesAMarkWrittenAgain(t *testing.T) {
	db, err := Open(Options{Dir: t.TempDir(), GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.KeepDeleted(); err != nil {
		t.Fatal(err)
	}
	key := []byte("r/k\x001")
	set := func() error { return db.Update(func(t resindex.Txn) error { return t.Set(key, []byte("v")) }) }
	del := func() error { return db.Update(func(t resindex.Txn) error { return t.Delete(key) }) }
	if err := set(); err != nil {
		t.Fatal(err)
	}
	if err := del(); err != nil {
		t.Fatal(err)
	}
	var rewritten uint64
	db.pruneRead = func() {
		db.pruneRead = nil // once
		if err := set(); err != nil {
			t.Error(err)
		}
		if err := del(); err != nil {
			t.Error(err)
		}
		rewritten = db.Version()
	}
	if _, err := db.PruneDeleted(time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	h, err := db.Horizon()
	if err != nil {
		t.Fatal(err)
	}
	// The mark, not the key's own tombstone, is what outlives Badger's
	// compactions.
	marked := db.View(func(t resindex.Txn) error { _, err := t.Get(layout.Deleted(key)); return err }) == nil
	if h < rewritten && !marked {
		t.Errorf("the mark written again at %d was dropped with the horizon at %d", rewritten, h)
	}
}
