package store

import (
	"context"
	"errors"
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

// startGC runs value-log garbage collection on a schedule: Badger never
// reclaims the space of overwritten values by itself.
func (db *DB) startGC() {
	if db.opts.GCInterval < 0 {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	db.stopGC = cancel
	db.gcDone.Add(1)
	go func() {
		defer db.gcDone.Done()
		tick := time.NewTicker(db.opts.GCInterval)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if n, err := db.RunGC(); err != nil {
					db.opts.Logger.Warn("store: value-log GC failed", "err", err)
				} else if n > 0 {
					db.opts.Logger.Info("store: value-log GC", "files_rewritten", n)
				}
			}
		}
	}()
}

// RunGC collects the value log until nothing is left worth rewriting and
// returns how many log files were rewritten.
func (db *DB) RunGC() (n int, err error) {
	defer func() { db.countGC(n, err) }()
	// Shared, as every read and write: Compact swaps the database under it.
	if err := db.broken(); err != nil {
		return 0, err
	}
	db.large.RLock()
	defer db.large.RUnlock()
	if err := db.usable(); err != nil { // a compaction failed, or Close ran, meanwhile
		return 0, err
	}
	for {
		err := db.bdb.RunValueLogGC(0.7)
		switch {
		case err == nil:
			n++
		case errors.Is(err, badger.ErrNoRewrite), errors.Is(err, badger.ErrRejected):
			return n, nil
		default:
			return n, err
		}
	}
}
