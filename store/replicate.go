package store

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"sync"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// A read replica copies the writer's store physically, key by key, rather
// than resolving the changes again: the engine's decisions depend on the
// order changes came in, so only the writer's own keys give an equal
// index. Badger numbers every commit (its version), so "every key whose
// newest version is at or after N" is a change feed of the store itself,
// read with an iterator that skips every table older than N.

// KeyChange is a key's newest state, as replicated.
type KeyChange = layout.KeyChange

// ChangedSince calls fn with the newest state of every replicated key
// (layout.Replicated) whose newest version is at or after since, deleted
// keys included, all from one snapshot, and returns the snapshot's
// version: the next pull starts at upTo+1. since 0 is every key.
func (db *DB) ChangedSince(since uint64, fn func(layout.KeyChange) error) (upTo uint64, err error) {
	if err := db.broken(); err != nil {
		return 0, err
	}
	// Shared, so the snapshot holds all of a large change or none of it.
	db.large.RLock()
	defer db.large.RUnlock()
	if err := db.broken(); err != nil {
		return 0, err
	}
	txn := db.bdb.NewTransaction(false)
	defer txn.Discard()
	opts := badger.IteratorOptions{AllVersions: true}
	if since > 0 {
		opts.SinceTs = since - 1 // Badger's bound is exclusive
	}
	it := txn.NewIterator(opts)
	defer it.Close()
	var last []byte
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		// Versions of a key come newest first: only the first counts.
		if last != nil && bytes.Equal(item.Key(), last) {
			continue
		}
		last = item.KeyCopy(last)
		if item.Version() < since {
			continue
		}
		if bytes.HasPrefix(last, []byte(layout.DeletedPrefix)) {
			if err := markedDeletion(txn, item, fn); err != nil {
				return 0, err
			}
			continue
		}
		if !layout.Replicated(last) {
			continue
		}
		c := layout.KeyChange{Key: bytes.Clone(last), Deleted: item.IsDeletedOrExpired()}
		if !c.Deleted {
			if c.Value, err = item.ValueCopy(nil); err != nil {
				return 0, fmt.Errorf("store: changed since %d: %w", since, err)
			}
		}
		if err := fn(c); err != nil {
			return 0, err
		}
	}
	return txn.ReadTs(), nil
}

// markedDeletion sends a deletion mark's key as deleted, unless it has
// been set again since (then it is sent as that change).
func markedDeletion(txn *badger.Txn, mark *badger.Item, fn func(layout.KeyChange) error) error {
	key := mark.KeyCopy(nil)[len(layout.DeletedPrefix):]
	if mark.IsDeletedOrExpired() || !layout.Replicated(key) {
		return nil // a pruned mark
	}
	_, err := txn.Get(key)
	switch {
	case errors.Is(err, badger.ErrKeyNotFound):
		return fn(layout.KeyChange{Key: key, Deleted: true})
	case err != nil:
		return fmt.Errorf("store: changed since: %w", err)
	}
	return nil
}

// ApplyReplicated writes a writer's key changes into a replica's store,
// with the replica's own versions, and, if next is not 0, the replica's
// position (the writer version to pull from next) in the same write: one
// transaction when it fits, else a large change (still all or nothing).
// A crash before it commits leaves the old position, so the pull is made
// again and applied again, which changes nothing twice. The commit is
// made while l (if any) is held, and committed then run, as ApplyUnder.
func (db *DB) ApplyReplicated(changes []layout.KeyChange, next uint64, l sync.Locker, committed func()) error {
	for _, c := range changes {
		if !layout.Replicated(c.Key) || len(c.Key) == 0 {
			// Never the replica's own audit chain or position.
			return fmt.Errorf("store: a replicated change to a %q key, which each process keeps for itself", layout.PrefixOf(c.Key))
		}
	}
	err := db.update(func(t resindex.Txn) error {
		for _, c := range changes {
			var err error
			if c.Deleted {
				err = t.Delete(c.Key)
			} else {
				err = t.Set(c.Key, c.Value)
			}
			if err != nil {
				return err
			}
		}
		if next == 0 {
			return nil
		}
		return t.Set(layout.ReplicaSince, strconv.AppendUint(nil, next, 10))
	}, l, committed)
	if err != nil {
		return fmt.Errorf("store: apply %d replicated changes: %w", len(changes), err)
	}
	return nil
}

// ReplicaSince is the writer version a replica pulls from next: 0 for a
// store that has never pulled (a first, full copy).
func (db *DB) ReplicaSince() (uint64, error) {
	var since uint64
	err := db.View(func(t resindex.Txn) error {
		v, err := t.Get(layout.ReplicaSince)
		if errors.Is(err, resindex.ErrNotFound) {
			return nil
		}
		if err == nil {
			since, err = strconv.ParseUint(string(v), 10, 64)
		}
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: replica position: %w", err)
	}
	return since, nil
}

// Version is the newest version committed to the store: a replica's
// full copy starts after it, so that whatever the copy did not write
// again is known to be gone from the writer (StaleAtOrBefore).
func (db *DB) Version() uint64 { return db.bdb.MaxVersion() }

// StaleAtOrBefore lists, as deletions, the replicated keys last written at
// or before version v: after a full copy started past v, the keys the
// writer no longer holds.
func (db *DB) StaleAtOrBefore(v uint64) ([]layout.KeyChange, error) {
	var out []layout.KeyChange
	err := db.View(func(t resindex.Txn) error {
		it := t.(*Txn).bt.NewIterator(badger.IteratorOptions{})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			if item.Version() <= v && layout.Replicated(item.Key()) {
				out = append(out, layout.KeyChange{Key: item.KeyCopy(nil), Deleted: true})
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: stale replicated keys: %w", err)
	}
	return out, nil
}

// ReplicatedKeys calls fn with every replicated key and its value, in key
// order: what two stores must agree on to be equal copies.
func (db *DB) ReplicatedKeys(fn func(key, val []byte) error) error {
	return db.View(func(t resindex.Txn) error {
		return t.Scan(nil, func(k, v []byte) error {
			if !layout.Replicated(k) {
				return nil
			}
			return fn(k, v)
		})
	})
}
