package store

import (
	"bytes"
	"errors"
	"fmt"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/resindex/resindex/layout"
)

// Changes is one pull's view of the store: the replicated keys changed at
// or after Since, read from one snapshot, with what a replica needs to
// know before it applies them, all from that snapshot: the version the
// snapshot was read at (UpTo), the horizon (the newest version whose
// deletion marks were dropped) and the store's generation.
type Changes struct {
	Since, UpTo, Horizon uint64
	Generation           string
	// After, if set, skips the keys up to and including it: a whole
	// copy resumed after the last key a replica applied.
	After   []byte
	txn     *badger.Txn
	release func()
}

// OpenChanges opens a snapshot for a pull from since (0: every key). The
// snapshot does not hold up the store's other readers and writers
// (snapshot.go); Close must be called.
func (db *DB) OpenChanges(since uint64) (*Changes, error) {
	txn, release, err := db.snapshot()
	if err != nil {
		return nil, err
	}
	c := &Changes{Since: since, UpTo: txn.ReadTs(), txn: txn, release: release}
	if c.Generation, err = generationIn(txn); err == nil {
		c.Horizon, err = db.horizonIn(&Txn{bt: txn})
	}
	if err != nil {
		release()
		return nil, fmt.Errorf("store: changes since %d: %w", since, err)
	}
	return c, nil
}

// Close lets the snapshot go.
func (c *Changes) Close() {
	if c.release != nil {
		c.release()
		c.release = nil
	}
}

// Send calls fn with the newest state of every replicated key
// (layout.Replicated) whose newest version is at or after Since, deleted
// keys included, in key order (after After, if set).
func (c *Changes) Send(fn func(layout.KeyChange) error) error {
	opts := badger.IteratorOptions{AllVersions: true}
	if c.Since > 0 {
		opts.SinceTs = c.Since - 1 // Badger's bound is exclusive
	}
	it := c.txn.NewIterator(opts)
	defer it.Close()
	var last []byte
	for it.Seek(c.After); it.Valid(); it.Next() {
		item := it.Item()
		if c.After != nil && bytes.Equal(item.Key(), c.After) {
			continue
		}
		// Versions of a key come newest first: only the first counts.
		if last != nil && bytes.Equal(item.Key(), last) {
			continue
		}
		last = item.KeyCopy(last)
		if err := c.send(item, last, fn); err != nil {
			return err
		}
	}
	return nil
}

func (c *Changes) send(item *badger.Item, key []byte, fn func(layout.KeyChange) error) error {
	switch {
	case item.Version() < c.Since:
		return nil
	case bytes.HasPrefix(key, []byte(layout.DeletedPrefix)):
		if c.Since == 0 {
			// A whole copy: the replica deletes what it did not bring
			// (StaleAtOrBefore). A mark would send its key out of key
			// order, and a copy resumed after it would go back.
			return nil
		}
		return markedDeletion(c.txn, item, fn)
	case !layout.Replicated(key):
		return nil
	}
	kc := layout.KeyChange{Key: bytes.Clone(key), Deleted: item.IsDeletedOrExpired()}
	if !kc.Deleted {
		var err error
		if kc.Value, err = item.ValueCopy(nil); err != nil {
			return fmt.Errorf("store: changed since %d: %w", c.Since, err)
		}
	}
	return fn(kc)
}

// ChangedSince is OpenChanges, Send and Close: it returns the snapshot's
// version, and the next pull starts at upTo+1.
func (db *DB) ChangedSince(since uint64, fn func(layout.KeyChange) error) (upTo uint64, err error) {
	c, err := db.OpenChanges(since)
	if err != nil {
		return 0, err
	}
	defer c.Close()
	if err := c.Send(fn); err != nil {
		return 0, err
	}
	return c.UpTo, nil
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
