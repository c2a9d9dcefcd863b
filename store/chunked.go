package store

import (
	"errors"
	"fmt"
	"io"
	"os"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// Writer writes in batches that commit as they fill: for work too large
// for one transaction (bulk loads, trimming), where partial progress on a
// crash is acceptable and the work can be redone. Badger's transaction
// limit never reaches the caller.
type Writer struct {
	wb    *badger.WriteBatch
	marks bool // deletions are marked for read replicas (replicate.go)
}

// Set writes a value.
func (w *Writer) Set(key, val []byte) error {
	if err := w.wb.Set(key, val); err != nil {
		return fmt.Errorf("store: batch set: %w", err)
	}
	return nil
}

// Delete removes a key.
func (w *Writer) Delete(key []byte) error {
	if mark, ok := deletionMark(w.marks, key); ok {
		if err := w.Set(mark, deletedAt()); err != nil {
			return err
		}
	}
	if err := w.wb.Delete(key); err != nil {
		return fmt.Errorf("store: batch delete: %w", err)
	}
	return nil
}

// Chunked runs fn with a Writer and flushes what it wrote. If fn fails,
// what was already committed stays committed.
func (db *DB) Chunked(fn func(*Writer) error) error {
	if err := db.broken(); err != nil {
		return err
	}
	db.large.RLock()
	defer db.large.RUnlock()
	if err := db.broken(); err != nil { // a compaction failed while this waited
		return err
	}
	wb := db.bdb.NewWriteBatch()
	if err := fn(&Writer{wb: wb, marks: db.keepDeleted.Load()}); err != nil && !errors.Is(err, errStop) {
		wb.Cancel()
		return err
	}
	if err := wb.Flush(); err != nil {
		return fmt.Errorf("store: batch flush: %w", err)
	}
	return nil
}

// Backup writes a full backup of the store to w.
func (db *DB) Backup(w io.Writer) error {
	// Shared, as every read: Compact swaps the database under it.
	db.large.RLock()
	defer db.large.RUnlock()
	if err := db.broken(); err != nil { // Badger's Backup of a closed store faults
		return err
	}
	if _, err := db.bdb.Backup(w, 0); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

// Restore loads a backup into a new store at opts.Dir, which must be empty
// or absent: restoring over live data would mix two indexes.
func Restore(opts Options, r io.Reader) error {
	entries, err := os.ReadDir(opts.Dir)
	if err == nil && len(entries) > 0 {
		return fmt.Errorf("store: restore: %s is not empty", opts.Dir)
	}
	opts.GCInterval = -1
	db, err := Open(opts)
	if err != nil {
		return err
	}
	if err := db.bdb.Load(r, 256); err != nil {
		db.Close()
		return fmt.Errorf("store: restore: %w", err)
	}
	// A restored store is a new identity: its change-feed sequence rolls
	// back to the backup's, and readers must not take its new entries for
	// repeats of the old store's.
	if err := db.Update(func(t resindex.Txn) error { return t.Delete(layout.StoreID) }); err != nil {
		db.Close()
		return fmt.Errorf("store: restore: %w", err)
	}
	return db.Close()
}
