package store

import (
	"errors"
	"fmt"

	badger "github.com/dgraph-io/badger/v4"
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
	if err := db.usable(); err != nil { // a compaction failed, or Close ran, while this waited
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
