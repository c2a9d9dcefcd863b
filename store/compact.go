package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Compaction rewrites the store so that what was deleted is gone from
// every file, not merely unreachable. Badger keeps deleted and overwritten
// values in its value log and older SSTables until its own compactions
// and GC get round to them, and never collects the active value-log file:
// after an erasure those bytes would stay on disk for weeks. Compact
// streams the latest live version of every key into a sibling directory,
// swaps it for the store's and removes the old one.
//
// The sibling directories, named after the store's (DIR is the store):
//
//	DIR.compact-tmp   the copy being written; dropped if found on Open
//	DIR.compact-done  the finished copy (renamed from tmp once complete)
//	DIR.compact-old   the old store, moved aside; removed once swapped
//
// A crash at any point leaves either the old store or the finished copy,
// and Open (recoverCompaction) completes the swap.

const (
	compactTmp  = ".compact-tmp"
	compactDone = ".compact-done"
	compactOld  = ".compact-old"
)

// Compact rewrites the store in place, keeping only the latest live
// version of every key (see above). It holds the store's lock throughout:
// readers and writers wait, so it may run under a live server. The store
// is reopened with the same options (its encryption key too).
func (db *DB) Compact() error {
	if err := db.broken(); err != nil {
		return err
	}
	// GC stops first: a run waits for the lock like any reader.
	db.compacting.Lock()
	defer db.compacting.Unlock()
	db.pauseGC()
	defer db.startGC()
	db.large.Lock()
	defer db.large.Unlock()
	start := time.Now()
	dir := filepath.Clean(db.opts.Dir)
	db.opts.Logger.Info("store: compacting: copying the live data", "dir", dir)
	if err := db.copyLive(dir + compactTmp); err != nil {
		return errors.Join(fmt.Errorf("store: compact: %w", err), os.RemoveAll(dir+compactTmp))
	}
	if err := os.Rename(dir+compactTmp, dir+compactDone); err != nil {
		return errors.Join(fmt.Errorf("store: compact: %w", err), os.RemoveAll(dir+compactTmp))
	}
	if err := db.bdb.Close(); err != nil {
		return db.fail(fmt.Errorf("store: compact: close the old store: %w", err))
	}
	db.opts.Logger.Info("store: compacting: swapping in the copy", "dir", dir)
	if err := recoverCompaction(dir); err != nil {
		return db.fail(fmt.Errorf("store: compact: swap: %w", err))
	}
	bdb, err := openBadger(db.opts)
	if err != nil {
		return db.fail(fmt.Errorf("store: compact: reopen: %w", err))
	}
	db.bdb = bdb
	db.opts.Logger.Info("store: compacted", "dir", dir, "seconds", time.Since(start).Seconds())
	return nil
}

// copyLive streams the latest live version of every key into a new
// store at dir, written directly as tables (no write-ahead log).
func (db *DB) copyLive(dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	opts := db.opts
	opts.Dir = dir
	out, err := openBadger(opts)
	if err != nil {
		return err
	}
	sw := out.NewStreamWriter()
	if err := sw.Prepare(); err != nil { // the copy is new: nothing to lose
		return errors.Join(err, out.Close())
	}
	st := db.bdb.NewStream()
	st.LogPrefix = "store: compact"
	// The default KeyToList takes a key's newest version and skips a
	// deleted one (the store keeps one version of each key).
	st.Send = sw.Write
	if err := st.Orchestrate(context.Background()); err != nil {
		return errors.Join(err, out.Close())
	}
	if err := sw.Flush(); err != nil {
		return errors.Join(err, out.Close())
	}
	return out.Close()
}

// recoverCompaction finishes a compaction that a crash (or Compact
// itself) left with a finished copy: the copy replaces the store; then
// what is left of the old store and of an unfinished copy is removed.
func recoverCompaction(dir string) error {
	dir = filepath.Clean(dir)
	if _, err := os.Stat(dir + compactDone); err == nil {
		if _, err := os.Stat(dir); err == nil {
			if err := os.Rename(dir, dir+compactOld); err != nil {
				return err
			}
		}
		if err := os.Rename(dir+compactDone, dir); err != nil {
			return err
		}
	}
	return errors.Join(os.RemoveAll(dir+compactOld), os.RemoveAll(dir+compactTmp))
}

// pauseGC stops the scheduled value-log GC and waits for a run in
// progress; startGC starts it again.
func (db *DB) pauseGC() {
	if db.stopGC != nil {
		db.stopGC()
		db.gcDone.Wait()
		db.stopGC = nil
	}
}
