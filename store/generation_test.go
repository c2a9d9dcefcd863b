package store_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/resindex/resindex/store"
)

// TestGeneration: a store's generation is made when it is new, kept
// across reopening, and new after a compaction and after a restore (each
// may take its versions back: generation.go).
func TestGeneration(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	db := MustOpen(t, store.Options{Dir: dir})
	gen := func(db *store.DB) string {
		t.Helper()
		g, err := db.Generation()
		if err != nil || g == "" {
			t.Fatalf("generation %q, %v", g, err)
		}
		return g
	}
	first := gen(db)
	mustSet(t, db, "r/a", "1")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = MustOpen(t, store.Options{Dir: dir})
	if g := gen(db); g != first {
		t.Errorf("reopened: generation %s, was %s", g, first)
	}
	if err := db.Compact(); err != nil {
		t.Fatal(err)
	}
	compacted := gen(db)
	if compacted == first {
		t.Errorf("compacted: the generation stayed %s", first)
	}
	var buf bytes.Buffer
	if err := db.Backup(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	rdir := filepath.Join(t.TempDir(), "restored")
	if err := store.Restore(store.Options{Dir: rdir}, &buf); err != nil {
		t.Fatal(err)
	}
	restored := MustOpen(t, store.Options{Dir: rdir})
	if g := gen(restored); g == compacted || g == first {
		t.Errorf("restored: generation %s, the backed-up store's %s", g, compacted)
	}
	if v, err := mustGet(t, restored, "r/a"); err != nil || v != "1" {
		t.Errorf("restored r/a = %q, %v", v, err)
	}
}

// TestChangesSeeOneSnapshot: a pull's headers (version, horizon,
// generation) and keys come from the snapshot it opened, whatever is
// written while it is read.
func TestChangesSeeOneSnapshot(t *testing.T) {
	db := MustOpen(t, store.Options{})
	mustSet(t, db, "r/a", "1")
	ch, err := db.OpenChanges(0)
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()
	mustSet(t, db, "r/b", "2") // after the snapshot: not in it
	var keys []string
	if err := ch.Send(func(c store.KeyChange) error { keys = append(keys, string(c.Key)); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 || keys[0] != "r/a" {
		t.Errorf("keys %q, want only r/a", keys)
	}
	if g, _ := db.Generation(); ch.Generation != g || ch.UpTo == 0 || ch.UpTo >= db.Version() {
		t.Errorf("generation %q (store's %q), up to %d (store at %d)", ch.Generation, g, ch.UpTo, db.Version())
	}
}
