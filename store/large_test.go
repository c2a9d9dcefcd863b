package store

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// openSmall opens a store whose transactions hold only about 150 KB, so
// that a change of a few thousand keys is too large for one.
func openSmall(t *testing.T, dir string) *DB {
	t.Helper()
	db, err := Open(Options{Dir: dir, GCInterval: -1, MemTableSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func bigKey(i int) []byte { return []byte(fmt.Sprintf("r/big-%06d", i)) }

var bigValue = bytes.Repeat([]byte("v"), 100)

// bigChange writes n keys, deletes a key that existed, and reads its own
// writes back as it goes.
func bigChange(n int) func(resindex.Txn) error {
	return func(t resindex.Txn) error {
		for i := range n {
			if err := t.Set(bigKey(i), bigValue); err != nil {
				return err
			}
		}
		if err := t.Delete([]byte("r/old")); err != nil {
			return err
		}
		if v, err := t.Get(bigKey(n - 1)); err != nil || !bytes.Equal(v, bigValue) {
			return fmt.Errorf("own write not visible: %v", err)
		}
		if _, err := t.Get([]byte("r/old")); !errors.Is(err, resindex.ErrNotFound) {
			return fmt.Errorf("own delete not visible: %v", err)
		}
		seen := 0
		err := t.ScanKeys([]byte("r/"), func([]byte) error { seen++; return nil })
		if err == nil && seen != n+1 { // n new keys and r/keep
			err = fmt.Errorf("scan saw %d keys, want %d", seen, n+1)
		}
		if err != nil {
			return err
		}
		_, err = t.Emit([]byte("big change"))
		return err
	}
}

func seed(t *testing.T, db *DB) {
	t.Helper()
	err := db.Update(func(tx resindex.Txn) error {
		if err := tx.Set([]byte("r/old"), []byte("x")); err != nil {
			return err
		}
		return tx.Set([]byte("r/keep"), []byte("y"))
	})
	if err != nil {
		t.Fatal(err)
	}
}

// checkApplied asserts the whole of bigChange(n) is in the store, with its
// position and outbox entry, and no journal is left.
func checkApplied(t *testing.T, db *DB, n int, stream string) {
	t.Helper()
	keys, journal := 0, 0
	err := db.View(func(tx resindex.Txn) error {
		if err := tx.ScanKeys([]byte("r/big-"), func([]byte) error { keys++; return nil }); err != nil {
			return err
		}
		if _, err := tx.Get([]byte("r/old")); !errors.Is(err, resindex.ErrNotFound) {
			return fmt.Errorf("deleted key still there: %v", err)
		}
		return tx.ScanKeys([]byte(layout.JournalPrefix), func([]byte) error { journal++; return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	if keys != n || journal != 0 {
		t.Errorf("%d of %d keys written, %d journal pieces left", keys, n, journal)
	}
	if off, ok, err := db.Applied(stream); err != nil || !ok || off != 1 {
		t.Errorf("position: %d %v %v", off, ok, err)
	}
	var entries []string
	db.Outbox(0, 0, func(_ uint64, p []byte) error { entries = append(entries, string(p)); return nil })
	if len(entries) != 1 || entries[0] != "big change" {
		t.Errorf("outbox: %q", entries)
	}
}

func TestLargeChangeAppliedWhole(t *testing.T) {
	db := openSmall(t, t.TempDir())
	defer db.Close()
	seed(t, db)
	const n = 20000 // about 2.5 MB of writes: far past the 150 KB limit
	applied, err := db.Apply(Position{Stream: "s", Offset: 1}, bigChange(n))
	if err != nil || !applied {
		t.Fatalf("large change: applied %v, err %v", applied, err)
	}
	checkApplied(t, db, n, "s")
	// Replaying it is a no-op, as for any change.
	if applied, err := db.Apply(Position{Stream: "s", Offset: 1}, bigChange(n)); applied || err != nil {
		t.Errorf("replay: applied %v, err %v", applied, err)
	}
}

func TestLargeChangeFailureLeavesNothing(t *testing.T) {
	db := openSmall(t, t.TempDir())
	defer db.Close()
	seed(t, db)
	boom := errors.New("boom")
	_, err := db.Apply(Position{Stream: "s", Offset: 1}, func(tx resindex.Txn) error {
		if err := bigChange(20000)(tx); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	n := 0
	db.View(func(tx resindex.Txn) error {
		return tx.ScanKeys([]byte("r/"), func([]byte) error { n++; return nil })
	})
	if n != 2 {
		t.Errorf("%d keys after a failed large change, want the 2 seeded", n)
	}
	if _, ok, _ := db.Applied("s"); ok {
		t.Error("position of a failed change recorded")
	}
}

// A crash after the large change committed but before it was copied to
// its keys is finished when the store opens again.
func TestLargeChangeFinishedAfterCrash(t *testing.T) {
	dir := t.TempDir()
	db := openSmall(t, dir)
	seed(t, db)
	db.crashAfterJournal = true
	if _, err := db.Apply(Position{Stream: "s", Offset: 1}, bigChange(20000)); !errors.Is(err, errSimulatedCrash) {
		t.Fatalf("err = %v", err)
	}
	// Until reopened, the store refuses work rather than show half a change.
	if err := db.View(func(resindex.Txn) error { return nil }); !errors.Is(err, errSimulatedCrash) {
		t.Errorf("read after an uncompleted large change: %v", err)
	}
	db.Close()
	db = openSmall(t, dir)
	defer db.Close()
	checkApplied(t, db, 20000, "s")
}

// A crash while the journal was being written, before the commit, leaves
// nothing of the change.
func TestLargeChangeDroppedIfNotCommitted(t *testing.T) {
	dir := t.TempDir()
	db := openSmall(t, dir)
	seed(t, db)
	ov := overlay{"r/half": []byte("written"), string(layout.Position("s")): []byte("1")}
	if err := db.writeJournal(ov); err != nil {
		t.Fatal(err)
	}
	// A later large change in the same process does not take up the
	// uncommitted pieces either.
	if _, err := db.Apply(Position{Stream: "t", Offset: 1}, bigChange(20000)); err != nil {
		t.Fatal(err)
	}
	if err := db.View(func(tx resindex.Txn) error {
		_, err := tx.Get([]byte("r/half"))
		if !errors.Is(err, resindex.ErrNotFound) {
			return fmt.Errorf("uncommitted journal piece applied by a later change: %v", err)
		}
		return nil
	}); err != nil {
		t.Error(err)
	}
	db.Close()
	db = openSmall(t, dir)
	defer db.Close()
	err := db.View(func(tx resindex.Txn) error {
		if _, err := tx.Get([]byte("r/half")); !errors.Is(err, resindex.ErrNotFound) {
			return fmt.Errorf("uncommitted large change applied: %v", err)
		}
		return tx.ScanKeys([]byte(layout.JournalPrefix), func(k []byte) error { return fmt.Errorf("journal piece %q left", k) })
	})
	if err != nil {
		t.Error(err)
	}
}

func TestDecodeJournalMalformed(t *testing.T) {
	for name, piece := range map[string][]byte{
		"no key length":   {1},
		"key overruns":    {1, 5, 'a'},
		"no value":        {1, 1, 'k'},
		"value overruns":  {1, 1, 'k', 9, 'v'},
		"bad varint":      {1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
		"huge key length": {1, 0xff, 0xff, 0xff, 0xff, 0x0f},
	} {
		err := decodeJournal(piece, func(byte, []byte, []byte) error { return nil })
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func FuzzDecodeJournal(f *testing.F) {
	f.Add([]byte{1, 1, 'k', 1, 'v', 0, 1, 'd', 0})
	f.Fuzz(func(t *testing.T, piece []byte) {
		decodeJournal(piece, func(op byte, k, v []byte) error { return nil })
	})
}
