package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/resindex/resindex/layout"
)

// Compaction rewrites the store so that what was deleted is gone from
// every file, not merely unreachable. Badger keeps deleted and overwritten
// values in its value log and older SSTables until its own compactions
// and GC get round to them, and never collects the active value-log file:
// after an erasure those bytes would stay on disk for weeks. Compact
// streams the latest live version of every key into a copy, then swaps
// the copy's files for the store's.
//
// Everything happens inside the store's directory DIR (resolved through
// symlinks), never beside it: DIR may be a mount point (a volume, which
// cannot be renamed), a symlink (whose target holds the files) or in a
// directory that is not writable. Badger reads only its own files (by
// name: *.sst, *.vlog, *.mem, MANIFEST, ...) and ignores subdirectories,
// so the copy is written to DIR/.compact:
//
//  1. The copy is written to DIR/.compact, closed, every file fsynced;
//     then the marker DIR/.compact/COMPLETE is made.
//  2. The old store is closed; every Badger file in DIR (not the
//     subdirectory) is deleted; then the marker DIR/.compact/OLD-GONE.
//  3. Each file of the copy is moved (renamed) into DIR.
//  4. COMPLETE is removed, then the subdirectory; DIR is fsynced.
//
// A crash at any point is finished on the next Open (recoverCompaction):
// a copy without COMPLETE is dropped (the old store is intact); with
// COMPLETE but not OLD-GONE the old store's files are deleted (again);
// with both, what is left of the copy is moved in. Each step can be done
// again. The directory is locked (flock, as Badger locks it while open)
// during the swap and recovery, so no second process recovers or opens
// the store half-swapped.

const (
	compactSub      = ".compact"
	compactComplete = "COMPLETE"
	compactOldGone  = "OLD-GONE"
)

// errClosed is Compact's error on a closed store.
var errClosed = errors.New("store: closed")

// Compact rewrites the store in place, keeping only the latest live
// version of every key (see above). It holds the store's lock throughout:
// readers and writers wait, so it may run under a live server. The store
// is reopened with the same options (its encryption key too).
func (db *DB) Compact() error {
	if err := db.broken(); err != nil {
		return err
	}
	if err := db.dropDeletionMarks(); err != nil {
		return err
	}
	// GC stops first: a run waits for the lock like any reader.
	db.compacting.Lock()
	defer db.compacting.Unlock()
	if db.closed {
		return errClosed
	}
	if err := db.broken(); err != nil {
		return err
	}
	db.pauseGC()
	defer func() {
		if db.broken() == nil {
			db.startGC()
		}
	}()
	// After every open snapshot (snapshot.go: a replica's pull, a backup),
	// before large: a snapshot holds handle and takes large only to open,
	// so this order never waits for one that waits for it.
	db.handle.Lock()
	defer db.handle.Unlock()
	db.large.Lock()
	defer db.large.Unlock()
	start := time.Now()
	dir, err := filepath.EvalSymlinks(db.opts.Dir)
	if err != nil {
		return fmt.Errorf("store: compact: %w", err)
	}
	sub := filepath.Join(dir, compactSub)
	db.opts.Logger.Info("store: compacting: copying the live data", "dir", dir)
	if err := db.copyLive(sub); err != nil {
		return errors.Join(fmt.Errorf("store: compact: %w", err), os.RemoveAll(sub))
	}
	if err := finishCopy(sub); err != nil {
		err = errors.Join(fmt.Errorf("store: compact: %w", err), os.RemoveAll(sub))
		if _, serr := os.Lstat(filepath.Join(sub, compactComplete)); serr == nil {
			// The marker stayed: the next Open would swap in this copy
			// and lose every write made since. Stop here instead.
			return db.fail(err)
		}
		return err
	}
	// From here the copy is complete: a failure stops the store, and the
	// next Open finishes the swap.
	if err := db.bdb.Close(); err != nil {
		return db.fail(fmt.Errorf("store: compact: close the old store: %w", err))
	}
	db.opts.Logger.Info("store: compacting: swapping in the copy", "dir", dir)
	unlock, err := lockDir(dir)
	if err != nil {
		return db.fail(fmt.Errorf("store: compact: swap: %w", err))
	}
	err = swapCompacted(dir)
	if uerr := unlock(); err == nil {
		err = uerr
	}
	if err != nil {
		return db.fail(fmt.Errorf("store: compact: swap: %w", err))
	}
	bdb, err := openBadger(db.opts)
	if err != nil {
		return db.fail(fmt.Errorf("store: compact: reopen: %w", err))
	}
	db.bdb = bdb
	db.sized.Store(bdb)
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
	// The copy is written, never read: a small block cache will do (the
	// store's own is a GiB).
	opts.BlockCacheSize = 16 << 20
	out, err := openBadger(opts)
	if err != nil {
		return err
	}
	sw := out.NewStreamWriter()
	if err := sw.Prepare(); err != nil { // the copy is new: nothing to lose
		// No writer started; Cancel would call Prepare's cleanup, which a
		// failed Prepare may not have set.
		return errors.Join(err, out.Close())
	}
	st := db.bdb.NewStream()
	st.LogPrefix = "store: compact"
	// Badger's default of 8 readers, each with a batch in hand, holds
	// gigabytes at a million records; the disk, not the readers, bounds
	// the copy.
	st.NumGo = 2
	// The default KeyToList takes a key's newest version and skips a
	// deleted one (the store keeps one version of each key).
	st.Send = sw.Write
	if err := st.Orchestrate(context.Background()); err != nil {
		sw.Cancel() // stops the writers, which would hold out open
		return errors.Join(err, out.Close())
	}
	// Flush stops the writers and ends the write whether or not it fails.
	if err := sw.Flush(); err != nil {
		return errors.Join(err, out.Close())
	}
	// The copy's versions may go back (generation.go). Its new generation
	// is written into the copy itself, so it lands with the swap: a crash
	// after COMPLETE is finished by the next Open, which keeps whatever
	// generation the copy holds.
	if err := out.Update(func(t *badger.Txn) error { return t.Set(layout.Generation, []byte(randomID())) }); err != nil {
		return errors.Join(fmt.Errorf("a new generation: %w", err), out.Close())
	}
	return out.Close()
}

// finishCopy makes the closed copy in sub durable, then marks it
// complete.
func finishCopy(sub string) error {
	entries, err := os.ReadDir(sub)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		if err := syncFile(filepath.Join(sub, e.Name())); err != nil {
			return err
		}
	}
	if err := syncDir(sub); err != nil {
		return err
	}
	if err := syncDir(filepath.Dir(sub)); err != nil {
		return err
	}
	return writeMarker(sub, compactComplete)
}

// recoverCompaction finishes a compaction that a crash interrupted (see
// above), with dir locked. Open calls it before Badger opens dir.
func recoverCompaction(dir string) error {
	dir, err := filepath.EvalSymlinks(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // a new store
	}
	if err != nil {
		return err
	}
	if _, err := os.Lstat(filepath.Join(dir, compactSub)); errors.Is(err, fs.ErrNotExist) {
		// Nothing to do. A compaction that starts meanwhile is another
		// process's, which has Badger open: our own Badger.Open fails.
		return nil
	} else if err != nil {
		return err
	}
	unlock, err := lockDir(dir)
	if err != nil {
		return err
	}
	err = swapCompacted(dir)
	return errors.Join(err, unlock())
}

// swapCompacted moves a complete copy in DIR/.compact into dir in place
// of the store's files, or drops an incomplete one; dir must be locked,
// and Badger not open on it. It resumes from any point it stopped at.
func swapCompacted(dir string) error {
	sub := filepath.Join(dir, compactSub)
	if _, err := os.Lstat(sub); errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	if !exists(filepath.Join(sub, compactComplete)) {
		// An unfinished copy: the old store is whole.
		if err := os.RemoveAll(sub); err != nil {
			return err
		}
		return syncDir(dir)
	}
	if !exists(filepath.Join(sub, compactOldGone)) {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if e.Type().IsRegular() && isBadgerFile(e.Name()) {
				if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
					return err
				}
			}
		}
		if err := syncDir(dir); err != nil {
			return err
		}
		if err := writeMarker(sub, compactOldGone); err != nil {
			return err
		}
	}
	entries, err := os.ReadDir(sub)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		if name == compactComplete || name == compactOldGone || !e.Type().IsRegular() {
			continue
		}
		if err := os.Rename(filepath.Join(sub, name), filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	if err := syncDir(dir); err != nil {
		return err
	}
	// COMPLETE goes first: without it what is left of the subdirectory
	// is dropped, and the store's (the copy's) files stay.
	if err := os.Remove(filepath.Join(sub, compactComplete)); err != nil {
		return err
	}
	if err := syncDir(sub); err != nil {
		return err
	}
	if err := os.RemoveAll(sub); err != nil {
		return err
	}
	return syncDir(dir)
}

// isBadgerFile reports whether name is one of the files Badger keeps in
// its directory (which the copy replaces); others are left alone.
func isBadgerFile(name string) bool {
	switch name {
	case "MANIFEST", "MANIFEST-REWRITE", "KEYREGISTRY", "REWRITE-KEYREGISTRY", "DISCARD":
		return true
	}
	for _, ext := range []string{".sst", ".vlog", ".mem"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// writeMarker creates the empty file name in dir durably.
func writeMarker(dir, name string) error {
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if err := errors.Join(f.Sync(), f.Close()); err != nil {
		return err
	}
	return syncDir(dir)
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
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

// dropDeletionMarks drops every deletion mark of a store serving read
// replicas before it is compacted. A compaction is how deleted values
// leave the files (erasure, retention), and a mark names its key, which
// may hold the erased person's values. The horizon moves past them all,
// so each replica copies the store whole once and drops what it still
// holds of them (ChangedSince's horizon, StaleAtOrBefore).
func (db *DB) dropDeletionMarks() error {
	if !db.keepDeleted.Load() {
		return nil
	}
	_, err := db.PruneDeleted(time.Now().Add(time.Hour)) // every mark, however new
	return err
}
