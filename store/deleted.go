package store

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// Badger forgets a deletion once a compaction finds nothing older of the
// key below it (closing the store compacts, so a restart is enough): a
// read replica that had not copied the deletion by then would keep the
// key for ever. So a store that serves replicas marks each deleted
// replicated key (layout.Deleted) with when it went, ChangedSince sends
// the marks as deletions, and PruneDeleted drops marks old enough that
// every replica has them, noting the newest version dropped (the
// horizon): a replica whose position is at or before it copies the store
// whole again instead.

// deletionMark is the mark a deletion of key writes, if any.
func deletionMark(marks bool, key []byte) ([]byte, bool) {
	if !marks || !layout.Replicated(key) || len(key)+len(layout.DeletedPrefix) > maxKey {
		return nil, false
	}
	return layout.Deleted(key), true
}

func deletedAt() []byte { return strconv.AppendInt(nil, time.Now().Unix(), 10) }

// KeepDeleted makes the store mark deletions from now on, in this and
// every later process that opens it: a writer serving replicas calls it.
func (db *DB) KeepDeleted() error {
	if err := db.Update(func(t resindex.Txn) error { return t.Set(layout.KeepDeleted, nil) }); err != nil {
		return fmt.Errorf("store: keep deletions for replicas: %w", err)
	}
	db.keepDeleted.Store(true)
	return nil
}

func (db *DB) loadKeepDeleted() error {
	err := db.bdb.View(func(t *badger.Txn) error {
		_, err := t.Get(layout.KeepDeleted)
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		db.keepDeleted.Store(err == nil)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: open: %w", err)
	}
	return nil
}

// PruneDeleted drops the deletion marks made before a time and returns
// how many; the horizon moves on to the newest version dropped. The marks
// are read and dropped in one transaction: a mark written again between
// a read and a drop would be dropped with the horizon short of its new
// version (the transaction conflicts and is run again instead).
func (db *DB) PruneDeleted(before time.Time) (int, error) {
	var n int
	err := db.Update(func(t resindex.Txn) error {
		keys, horizon, err := marksBefore(t.(*Txn).bt, before)
		if n = len(keys); err != nil || n == 0 {
			return err
		}
		if db.pruneRead != nil {
			db.pruneRead()
		}
		old, err := db.horizonIn(t)
		if err != nil {
			return err
		}
		for _, k := range keys {
			if err := t.Delete(k); err != nil { // a mark's own deletion is not marked
				return err
			}
		}
		return t.Set(layout.Horizon, strconv.AppendUint(nil, max(old, horizon), 10))
	})
	if err != nil {
		return 0, fmt.Errorf("store: prune deletion marks: %w", err)
	}
	return n, nil
}

// marksBefore lists the deletion marks made before a time, and the
// newest version among them.
func marksBefore(bt *badger.Txn, before time.Time) (keys [][]byte, horizon uint64, err error) {
	it := bt.NewIterator(badger.IteratorOptions{PrefetchValues: true, Prefix: []byte(layout.DeletedPrefix)})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		v, err := item.ValueCopy(nil)
		if err != nil {
			return nil, 0, err
		}
		if at, err := strconv.ParseInt(string(v), 10, 64); err == nil && at >= before.Unix() {
			continue
		}
		keys, horizon = append(keys, item.KeyCopy(nil)), max(horizon, item.Version())
	}
	return keys, horizon, nil
}

// Horizon is the newest version of a deletion mark pruned: a replica
// positioned at or before it may have missed a deletion.
func (db *DB) Horizon() (uint64, error) {
	var h uint64
	err := db.View(func(t resindex.Txn) error {
		var err error
		h, err = db.horizonIn(t)
		return err
	})
	return h, err
}

func (db *DB) horizonIn(t resindex.Txn) (uint64, error) {
	v, err := t.Get(layout.Horizon)
	if errors.Is(err, resindex.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	h, err := strconv.ParseUint(string(v), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("store: the replication horizon is corrupt: %w", err)
	}
	return h, nil
}
