package store

import (
	"errors"
	"fmt"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// Ready reports whether the store answers a read: an error when it is
// closed, or stopped until reopened (ErrStopped). A readiness probe asks
// it.
func (db *DB) Ready() error {
	err := db.View(func(t resindex.Txn) error {
		_, err := t.Get(layout.StoreID)
		if errors.Is(err, resindex.ErrNotFound) {
			return nil // a store not yet written to answers too
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("store: not answering: %w", err)
	}
	return nil
}

// Size returns the bytes the store takes on disk in its LSM tree (keys
// and small values) and its value log (large values), as Badger last
// reckoned them (it does so about once a minute). It takes no lock: a
// scrape never waits for a large change or a compaction.
func (db *DB) Size() (lsm, vlog int64) {
	return db.sized.Load().Size()
}

// GCRuns counts the value-log collections since Open, by result.
type GCRuns struct {
	Rewrote int64 // at least one log file was rewritten
	Nothing int64 // none was worth rewriting
	Failed  int64 // the collection failed
}

// GCRuns returns the value-log collections run since Open, by result.
func (db *DB) GCRuns() GCRuns {
	return GCRuns{Rewrote: db.gcRewrote.Load(), Nothing: db.gcNothing.Load(), Failed: db.gcFailed.Load()}
}

// countGC records one collection's result.
func (db *DB) countGC(n int, err error) {
	switch {
	case err != nil:
		db.gcFailed.Add(1)
	case n > 0:
		db.gcRewrote.Add(1)
	default:
		db.gcNothing.Add(1)
	}
}
