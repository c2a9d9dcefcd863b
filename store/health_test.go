package store_test

import (
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/store"
)

// TestHealth: a store is ready while open and not once closed; its size
// on disk is told; value-log collections are counted by result.
func TestHealth(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(store.Options{Dir: dir, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Ready(); err != nil {
		t.Fatalf("a new store: %v", err)
	}
	err = db.Update(func(tx resindex.Txn) error {
		for i := range 1000 {
			if err := tx.Set([]byte{'r', '/', byte(i >> 8), byte(i)}, make([]byte, 100)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := db.RunGC(); err != nil || n != 0 {
		t.Fatalf("RunGC = %d, %v", n, err)
	}
	if got := db.GCRuns(); got != (store.GCRuns{Nothing: 1}) {
		t.Errorf("after one collection with nothing to do: %+v", got)
	}
	db.Close()
	if err := db.Ready(); err == nil {
		t.Error("a closed store is ready")
	}
	db, err = store.Open(store.Options{Dir: dir, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if lsm, vlog := db.Size(); lsm <= 0 || vlog < 0 {
		t.Errorf("Size = %d, %d: want the LSM tree's bytes", lsm, vlog)
	}
}
