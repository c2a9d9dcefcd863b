package store

import (
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// within runs fn and fails the test if it has not returned in time.
func within(t *testing.T, d time.Duration, what string, fn func() error) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	case <-time.After(d):
		t.Fatalf("%s waited for a pull being sent", what)
	}
}

// TestPullHoldsUpNoChange: while a pull's stream is being sent (a slow
// replica), a change too large for one transaction commits, and other
// reads and writes go on; the stream holds the snapshot it opened.
func TestPullHoldsUpNoChange(t *testing.T) {
	db := openSmall(t, t.TempDir())
	defer db.Close()
	if err := db.Update(func(t resindex.Txn) error { return t.Set([]byte("r/old"), []byte("x")) }); err != nil {
		t.Fatal(err)
	}
	sent := 0
	_, err := db.ChangedSince(0, func(layout.KeyChange) error {
		sent++
		within(t, 10*time.Second, "a large change", func() error {
			return db.Update(func(t resindex.Txn) error {
				for i := range 5000 {
					if err := t.Set(bigKey(i), bigValue); err != nil {
						return err
					}
				}
				return nil
			})
		})
		within(t, 10*time.Second, "a read", func() error {
			return db.View(func(t resindex.Txn) error { _, err := t.Get(bigKey(1)); return err })
		})
		return nil
	})
	if err != nil || sent != 1 {
		t.Fatalf("the stream sent %d keys (its snapshot's 1), %v", sent, err)
	}
	if db.LargeChanges() != 1 {
		t.Fatalf("the change was not a large one (%d)", db.LargeChanges())
	}
}

// TestCompactWaitsForAPullAlone: a compaction waits for a pull's open
// snapshot (it closes the handle the snapshot reads) without holding up
// the store's readers and writers meanwhile.
func TestCompactWaitsForAPullAlone(t *testing.T) {
	db := openSmall(t, t.TempDir())
	defer db.Close()
	ch, err := db.OpenChanges(0)
	if err != nil {
		t.Fatal(err)
	}
	compacted := make(chan error, 1)
	go func() { compacted <- db.Compact() }()
	time.Sleep(200 * time.Millisecond) // the compaction waits for the snapshot
	within(t, 10*time.Second, "a write while a compaction waits", func() error {
		return db.Update(func(t resindex.Txn) error { return t.Set([]byte("r/during"), []byte("x")) })
	})
	select {
	case err := <-compacted:
		t.Fatalf("the compaction did not wait for the open snapshot: %v", err)
	default:
	}
	if err := ch.Send(func(layout.KeyChange) error { return nil }); err != nil {
		t.Fatalf("reading the snapshot while a compaction waits: %v", err)
	}
	ch.Close()
	select {
	case err := <-compacted:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the compaction never ran")
	}
	if err := db.View(func(t resindex.Txn) error { _, err := t.Get([]byte("r/during")); return err }); err != nil {
		t.Fatalf("a write made while the compaction waited: %v", err)
	}
}
