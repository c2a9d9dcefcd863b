package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/ristretto/v2/z"

	"github.com/resindex/resindex"
)

// Options configure a store. Zero values take the defaults.
type Options struct {
	// Dir holds the database; it is created if missing.
	Dir string
	// EncryptionKey, if set (16, 24 or 32 bytes), encrypts data at rest
	// with AES. The same key is needed to open the store again.
	EncryptionKey []byte
	// GCInterval is how often the value log is garbage-collected; default
	// ten minutes, negative to disable.
	GCInterval time.Duration
	// ConflictRetries bounds retries of a transaction that conflicted with
	// another; default 10.
	ConflictRetries int
	// Logger receives operational messages (never resident data).
	Logger *slog.Logger
	// MemTableSize is Badger's memtable size in bytes (default 64 MiB);
	// one transaction holds at most about 15% of it. Tests set it small
	// to exercise changes too large for one transaction.
	MemTableSize int64
	// BlockCacheSize is the memory, in bytes, for Badger's cache of
	// decompressed table blocks: the engine reads records, persons and
	// memberships at random, so a cache that holds most of the store
	// spares a disk read and a decompression per read. Default 1 GiB.
	BlockCacheSize int64
}

// DB is an open store.
type DB struct {
	bdb     *badger.DB
	opts    Options
	stopGC  context.CancelFunc
	gcDone  sync.WaitGroup
	closeMu sync.Once
	// large is held exclusively while a change too large for one
	// transaction is applied, and shared by every other read and write,
	// so none sees or interleaves with half of it.
	large sync.RWMutex
	// handle is shared by a reader that keeps a snapshot open after
	// letting go of large (snapshot.go), and held exclusively by Compact
	// and Close, which close the Badger handle the snapshot reads.
	handle sync.RWMutex
	// compacting serialises Compact, which stops and restarts GC and
	// swaps bdb, and Close; closed (under it, handle and large) is set by
	// Close.
	compacting sync.Mutex
	closed     bool
	// crashAfterJournal makes a large change stop once committed but
	// before it is copied to its keys, as a crash would (tests only).
	crashAfterJournal bool
	// pruneRead runs in PruneDeleted between reading the marks and
	// dropping them (tests only: a mark written again meanwhile).
	pruneRead    func()
	largeChanges atomic.Int64
	// Value-log collections by result (GCRuns).
	gcRewrote, gcNothing, gcFailed atomic.Int64
	failed                         atomic.Pointer[error] // see fail in large.go
	// keepDeleted: the store serves read replicas, so deletions are
	// marked (replicate.go).
	keepDeleted atomic.Bool
	// sized is bdb for Size, which a scrape calls: Compact swaps bdb
	// under large, and a scrape must not wait out a compaction for it.
	// Badger's Size reads only its options and expvar counters, so an
	// old handle, even closed, answers safely.
	sized atomic.Pointer[badger.DB]
}

// LargeChanges returns how many changes since Open were too large for one
// transaction and were applied in pieces.
func (db *DB) LargeChanges() int64 { return db.largeChanges.Load() }

// Open opens (or creates) the store in opts.Dir.
func Open(opts Options) (*DB, error) {
	if opts.Dir == "" {
		return nil, errors.New("store: no data directory given")
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.ConflictRetries <= 0 {
		opts.ConflictRetries = 10
	}
	if opts.BlockCacheSize <= 0 {
		opts.BlockCacheSize = 1 << 30
	}
	if opts.GCInterval == 0 {
		opts.GCInterval = 10 * time.Minute
	}
	if err := recoverCompaction(opts.Dir); err != nil {
		return nil, fmt.Errorf("store: open %s: finish an interrupted compaction: %w", opts.Dir, err)
	}
	bdb, err := openBadger(opts)
	if err != nil {
		return nil, err
	}
	db := &DB{bdb: bdb, opts: opts}
	db.sized.Store(bdb)
	if err := db.recoverJournal(); err != nil {
		bdb.Close()
		return nil, fmt.Errorf("store: open %s: recover large change: %w", opts.Dir, err)
	}
	if err := db.loadKeepDeleted(); err != nil {
		bdb.Close()
		return nil, err
	}
	if err := db.ensureGeneration(); err != nil {
		bdb.Close()
		return nil, err
	}
	db.startGC()
	return db, nil
}

// openBadger opens Badger in opts.Dir with the store's options (Open,
// and Compact reopening the compacted copy).
func openBadger(opts Options) (*badger.DB, error) {
	bo := badger.DefaultOptions(opts.Dir).WithLogger(badgerLogger{opts.Logger}).WithBlockCacheSize(opts.BlockCacheSize)
	if opts.MemTableSize > 0 {
		// Values up to the threshold live in the LSM tree and must fit a
		// transaction.
		bo = bo.WithMemTableSize(opts.MemTableSize).WithValueThreshold(min(bo.ValueThreshold, opts.MemTableSize/16))
	}
	if len(opts.EncryptionKey) > 0 {
		switch len(opts.EncryptionKey) {
		case 16, 24, 32:
		default:
			return nil, fmt.Errorf("store: encryption key is %d bytes; it must be 16, 24 or 32", len(opts.EncryptionKey))
		}
		// Badger refuses encryption without a block index cache.
		bo = bo.WithEncryptionKey(opts.EncryptionKey).WithIndexCacheSize(64 << 20)
	}
	bdb, err := badger.Open(bo)
	if err != nil && isEmptyMemtable(err) {
		// Badger #2207: a crash between creating a memtable file and
		// writing to it leaves an empty .mem file, which Open sizes and
		// then reports as z.NewFile; a second Open reads it as empty.
		opts.Logger.Warn("store: an empty memtable file left by a crash; opening again", "dir", opts.Dir)
		bdb, err = badger.Open(bo)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", opts.Dir, err)
	}
	if _, err := os.Lstat(filepath.Join(opts.Dir, compactSub, compactComplete)); err == nil {
		// Another process closed the store to swap in its compacted copy,
		// and this Open took Badger's lock in between: writing to the old
		// store now would lose the writes at the swap.
		return nil, errors.Join(fmt.Errorf("store: open %s: a compaction is being finished by another process; open it again once it has: %w",
			opts.Dir, resindex.ErrUnavailable), bdb.Close())
	}
	return bdb, nil
}

// isEmptyMemtable reports Badger's z.NewFile from opening a memtable
// file: matched by its text too, since not every wrapper Badger uses on
// the way up keeps the error chain.
func isEmptyMemtable(err error) bool {
	return errors.Is(err, z.NewFile) || strings.Contains(err.Error(), z.NewFile.Error())
}

// Close stops background work and closes the database.
func (db *DB) Close() error {
	var err error
	db.closeMu.Do(func() {
		// After a compaction in progress, which swaps bdb and restarts GC.
		db.compacting.Lock()
		defer db.compacting.Unlock()
		db.pauseGC()
		db.handle.Lock() // after every open snapshot (snapshot.go)
		defer db.handle.Unlock()
		// Then after every read and write in flight (the order Compact
		// takes them in): those that come after see closed (usable).
		db.large.Lock()
		defer db.large.Unlock()
		db.closed = true // under handle and large: snapshot and usable read it
		if cerr := db.bdb.Close(); cerr != nil {
			err = fmt.Errorf("store: close: %w", cerr)
		}
	})
	return err
}

// Update runs fn in a read-write transaction and commits it, retrying the
// whole of fn when the commit conflicts with another transaction. If fn
// writes more than one transaction can hold, fn runs again as a large
// change (large.go): still all or nothing, but applied in pieces.
func (db *DB) Update(fn func(resindex.Txn) error) error {
	return db.update(fn, nil, nil)
}

// update is Update with the commit made while l (if any) is held, and
// committed (if any) run after it, still under l.
func (db *DB) update(fn func(resindex.Txn) error, l sync.Locker, committed func()) error {
	if err := db.broken(); err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		err := db.updateOnce(fn, l, committed)
		if isTooBig(err) {
			return db.updateLarge(fn, l, committed)
		}
		if !errors.Is(err, badger.ErrConflict) {
			return err
		}
		if attempt >= db.opts.ConflictRetries {
			// Other writers kept winning: the index is busy, try later.
			return fmt.Errorf("store: a transaction conflicted %d times: %w: %w", attempt+1, resindex.ErrUnavailable, err)
		}
	}
}

// updateOnce runs fn in one transaction and commits it.
func (db *DB) updateOnce(fn func(resindex.Txn) error, l sync.Locker, committed func()) error {
	db.large.RLock()
	defer db.large.RUnlock()
	if err := db.usable(); err != nil { // a compaction failed, or Close ran, meanwhile
		return err
	}
	bt := db.bdb.NewTransaction(true)
	defer bt.Discard()
	if err := fn(&Txn{bt: bt, marks: db.keepDeleted.Load()}); err != nil {
		return err
	}
	if l != nil {
		l.Lock()
		defer l.Unlock()
	}
	if err := bt.Commit(); err != nil {
		return err
	}
	if committed != nil {
		committed()
	}
	return nil
}

// View runs fn in a read-only transaction.
func (db *DB) View(fn func(resindex.Txn) error) error {
	return db.ViewUnder(nil, fn)
}

// ViewUnder is View with the snapshot taken while l is held, and l held
// until fn returns: for a caller that keeps state of its own beside the
// store (the engine's in-memory indexes) and changes it only while it
// holds l exclusively around a commit, so that it reads the two as one.
// l is taken after the store's own lock, so a change too large for one
// transaction, which holds that lock while it is applied, never waits
// for a reader that waits for it.
func (db *DB) ViewUnder(l sync.Locker, fn func(resindex.Txn) error) error {
	if err := db.broken(); err != nil {
		return err
	}
	db.large.RLock()
	defer db.large.RUnlock()
	if err := db.usable(); err != nil { // a compaction failed, or Close ran, meanwhile
		return err
	}
	if l != nil {
		l.Lock()
		defer l.Unlock()
	}
	return db.bdb.View(func(bt *badger.Txn) error { return fn(&Txn{bt: bt}) })
}
