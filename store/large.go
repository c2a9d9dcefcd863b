package store

import (
	"errors"
	"fmt"
	"slices"
	"sync"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// A change too large for one Badger transaction (ErrTxnTooBig, at about
// 15% of the memtable size) is applied as a large change: its writes are
// collected in memory, written to a journal in pieces, committed by one
// small transaction that marks the journal complete, then copied to their
// keys in pieces and the journal dropped. A crash before the mark leaves
// nothing of the change (the incomplete journal is dropped on Open); a
// crash after it is finished on Open. Readers and other writers wait while
// a large change is applied, so none sees half of it.

// journalPiece bounds a journal piece's size: well within one
// transaction (about 15% of the memtable), at most 1 MiB.
func (db *DB) journalPiece() int {
	return int(min(1<<20, db.bdb.Opts().MemTableSize*15/100/4))
}

// overlay holds a large change's writes: key → value, nil for a delete.
type overlay map[string][]byte

// isTooBig reports whether an error is Badger's transaction size limit.
func isTooBig(err error) bool { return errors.Is(err, badger.ErrTxnTooBig) }

// updateLarge runs fn as a large change: reads see the store as it was
// plus fn's own writes; the writes are journalled and applied as above.
// The commit, and committed after it, happen while l (if any) is held;
// no reader holds l meanwhile, since readers take the store's lock first.
func (db *DB) updateLarge(fn func(resindex.Txn) error, l sync.Locker, committed func()) error {
	db.large.Lock()
	defer db.large.Unlock()
	if err := db.usable(); err != nil { // a compaction failed, or Close ran, while this waited
		return err
	}
	snap := db.bdb.NewTransaction(false)
	ov := overlay{}
	err := fn(&Txn{bt: snap, ov: ov, marks: db.keepDeleted.Load()})
	snap.Discard()
	if err != nil {
		return err
	}
	db.opts.Logger.Info("store: applying a change too large for one transaction in pieces", "writes", len(ov))
	db.largeChanges.Add(1)
	// Pieces of a journal that never committed must not join this one.
	if err := db.dropJournal(); err != nil {
		return err
	}
	if err := db.writeJournal(ov); err != nil {
		return errors.Join(err, db.dropJournal())
	}
	if l != nil {
		l.Lock()
		defer l.Unlock()
	}
	if err := db.bdb.Update(func(t *badger.Txn) error { return t.Set(layout.JournalDone, nil) }); err != nil {
		return errors.Join(fmt.Errorf("store: commit large change: %w", err), db.dropJournal())
	}
	if db.crashAfterJournal {
		return db.fail(errSimulatedCrash)
	}
	if err := db.finishJournal(); err != nil {
		// The change is committed but not yet copied to its keys: nothing
		// may read or write the store until Open finishes it.
		return db.fail(err)
	}
	if committed != nil {
		committed()
	}
	return nil
}

// fail stops the store after a large change committed but could not be
// copied to its keys: every later read and write gets the error, so no
// caller works on a store that holds half of a committed change; the next
// Open finishes it.
func (db *DB) fail(err error) error {
	db.failed.Store(&err)
	return fmt.Errorf("%w: a committed change could not be completed; reopen the store to finish it: %w", ErrStopped, err)
}

// ErrStopped is the error of every read and write of a store that has
// stopped (fail): no retry helps until it is reopened.
// It is of kind resindex.ErrInternal: no retry helps until the store is
// reopened.
var ErrStopped = resindex.NewError(resindex.ErrInternal, "store: stopped until reopened")

// broken returns the error that stopped the store, if one did.
func (db *DB) broken() error {
	if p := db.failed.Load(); p != nil {
		return fmt.Errorf("%w: %w", ErrStopped, *p)
	}
	return nil
}

// usable is broken, or errClosed once Close has begun; the caller holds
// large (either way), under which Close sets closed, so a read or write
// that got it never starts on a closing Badger handle.
func (db *DB) usable() error {
	if err := db.broken(); err != nil {
		return err
	}
	if db.closed {
		return errClosed
	}
	return nil
}

var errSimulatedCrash = errors.New("store: simulated crash")

// writeJournal writes the overlay's operations in pieces: each a series
// of (op byte, key, value) with uvarint lengths; op 1 sets, 0 deletes.
func (db *DB) writeJournal(ov overlay) error {
	keys := make([]string, 0, len(ov))
	for k := range ov {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	wb := db.bdb.NewWriteBatch()
	defer wb.Cancel()
	var piece []byte
	n := uint64(0)
	flush := func() error {
		if len(piece) == 0 {
			return nil
		}
		k := layout.Journal(n)
		n++
		err := wb.Set(k, piece)
		piece = nil
		return err
	}
	for _, k := range keys {
		v := ov[k]
		op := byte(1)
		if v == nil {
			op = 0
		}
		piece = append(piece, op)
		piece = layout.AppendString(layout.AppendString(piece, k), string(v))
		if len(piece) >= db.journalPiece() {
			if err := flush(); err != nil {
				return fmt.Errorf("store: write journal: %w", err)
			}
		}
	}
	if err := flush(); err != nil {
		return fmt.Errorf("store: write journal: %w", err)
	}
	if err := wb.Flush(); err != nil {
		return fmt.Errorf("store: write journal: %w", err)
	}
	return nil
}

// recoverJournal runs on Open: it finishes a committed large change and
// drops the pieces of one that never committed.
func (db *DB) recoverJournal() error {
	done := false
	err := db.bdb.View(func(t *badger.Txn) error {
		_, err := t.Get(layout.JournalDone)
		done = err == nil
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		return err
	}
	if done {
		db.opts.Logger.Info("store: finishing a large change interrupted by a crash")
		return db.finishJournal()
	}
	return db.dropJournal()
}

// finishJournal copies the journal's operations to their keys, then drops
// the journal and its mark. Copying twice is harmless, so a crash part way
// is finished again on the next Open.
func (db *DB) finishJournal() error {
	wb := db.bdb.NewWriteBatch()
	defer wb.Cancel()
	err := db.scanJournal(func(op byte, k, v []byte) error {
		if op == 0 {
			return wb.Delete(k)
		}
		return wb.Set(k, v)
	})
	if err == nil {
		err = wb.Flush()
	}
	if err != nil {
		return fmt.Errorf("store: finish large change: %w", err)
	}
	if err := db.dropJournal(); err != nil {
		return err
	}
	return db.bdb.Update(func(t *badger.Txn) error { return t.Delete(layout.JournalDone) })
}

func (db *DB) scanJournal(fn func(op byte, k, v []byte) error) error {
	return db.bdb.View(func(t *badger.Txn) error {
		it := t.NewIterator(badger.IteratorOptions{Prefix: []byte(layout.JournalPrefix), PrefetchValues: true, PrefetchSize: 4})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			piece, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			if err := decodeJournal(piece, fn); err != nil {
				return err
			}
		}
		return nil
	})
}

// decodeJournal calls fn for each operation in a journal piece.
func decodeJournal(piece []byte, fn func(op byte, k, v []byte) error) error {
	for len(piece) > 0 {
		op := piece[0]
		k, rest, okK := layout.CutString(piece[1:])
		v, rest, okV := layout.CutString(rest)
		if !okK || !okV {
			return errors.New("store: journal is corrupt")
		}
		if err := fn(op, []byte(k), []byte(v)); err != nil {
			return err
		}
		piece = rest
	}
	return nil
}

func (db *DB) dropJournal() error {
	var keys [][]byte
	err := db.bdb.View(func(t *badger.Txn) error {
		it := t.NewIterator(badger.IteratorOptions{Prefix: []byte(layout.JournalPrefix)})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			keys = append(keys, it.Item().KeyCopy(nil))
		}
		return nil
	})
	if err != nil || len(keys) == 0 {
		return err
	}
	wb := db.bdb.NewWriteBatch()
	defer wb.Cancel()
	for _, k := range keys {
		if err := wb.Delete(k); err != nil {
			return fmt.Errorf("store: drop journal: %w", err)
		}
	}
	return wb.Flush()
}
