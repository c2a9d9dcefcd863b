package store

import (
	"errors"
	"fmt"

	badger "github.com/dgraph-io/badger/v4"
)

// Txn is one transaction: every read sees one snapshot, every write
// commits together or not at all.
type Txn struct {
	bt *badger.Txn
}

// Get returns a copy of the value at key, or ErrNotFound.
func (t *Txn) Get(key []byte) ([]byte, error) {
	item, err := t.bt.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: get: %w", err)
	}
	return item.ValueCopy(nil)
}

// Set writes a value.
func (t *Txn) Set(key, val []byte) error {
	if err := t.bt.Set(key, val); err != nil {
		return fmt.Errorf("store: set: %w", err)
	}
	return nil
}

// Delete removes a key; a missing key is not an error.
func (t *Txn) Delete(key []byte) error {
	if err := t.bt.Delete(key); err != nil {
		return fmt.Errorf("store: delete: %w", err)
	}
	return nil
}

// Scan calls fn for every key with the prefix, in key order. The slices
// are valid only during the call. fn returning an error stops the scan.
func (t *Txn) Scan(prefix []byte, fn func(key, val []byte) error) error {
	it := t.bt.NewIterator(badger.IteratorOptions{PrefetchValues: true, PrefetchSize: 64, Prefix: prefix})
	defer it.Close()
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		item := it.Item()
		err := item.Value(func(v []byte) error { return fn(item.Key(), v) })
		if err != nil {
			return err
		}
	}
	return nil
}

// ScanKeys calls fn for every key with the prefix, without reading values.
func (t *Txn) ScanKeys(prefix []byte, fn func(key []byte) error) error {
	it := t.bt.NewIterator(badger.IteratorOptions{Prefix: prefix})
	defer it.Close()
	for it.Seek(prefix); it.ValidForPrefix(prefix); it.Next() {
		if err := fn(it.Item().Key()); err != nil {
			return err
		}
	}
	return nil
}
