package store

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// Txn is one transaction: every read sees one snapshot, every write
// commits together or not at all. A large change (see large.go) reads a
// snapshot and keeps its writes in an overlay until it commits.
type Txn struct {
	bt *badger.Txn
	ov overlay // nil unless this is a large change
	// marks: deletions are marked for read replicas (replicate.go).
	marks bool
}

// Get returns a copy of the value at key, or resindex.ErrNotFound.
func (t *Txn) Get(key []byte) ([]byte, error) {
	if v, ok := t.ov[string(key)]; ok {
		if v == nil {
			return nil, resindex.ErrNotFound
		}
		return slices.Clone(v), nil
	}
	item, err := t.bt.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, resindex.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: get: %w", err)
	}
	return item.ValueCopy(nil)
}

// Set writes a value.
func (t *Txn) Set(key, val []byte) error {
	if t.ov != nil {
		t.ov[string(key)] = append([]byte{}, val...) // never nil: nil is a delete
		return nil
	}
	if len(key) > maxKey {
		// Badger's own error would quote the key, which may hold resident data.
		return fmt.Errorf("store: set: a key of %d bytes (prefix %q) is over the %d-byte limit", len(key), layout.PrefixOf(key), maxKey)
	}
	if err := t.bt.Set(key, val); err != nil {
		return fmt.Errorf("store: set: %w", err)
	}
	return nil
}

// Delete removes a key; a missing key is not an error.
func (t *Txn) Delete(key []byte) error {
	if mark, ok := deletionMark(t.marks, key); ok {
		if err := t.Set(mark, deletedAt()); err != nil {
			return err
		}
	}
	if t.ov != nil {
		t.ov[string(key)] = nil
		return nil
	}
	if err := t.bt.Delete(key); err != nil {
		return fmt.Errorf("store: delete: %w", err)
	}
	return nil
}

// Scan calls fn for every key with the prefix, in key order. The slices
// are valid only during the call. fn returning an error stops the scan.
func (t *Txn) Scan(prefix []byte, fn func(key, val []byte) error) error {
	return t.scan(prefix, nil, true, fn)
}

// ScanKeys calls fn for every key with the prefix, without reading values.
func (t *Txn) ScanKeys(prefix []byte, fn func(key []byte) error) error {
	return t.scan(prefix, nil, false, func(k, _ []byte) error { return fn(k) })
}

// ScanKeysFrom is ScanKeys starting at the first key at or after from:
// a page of a long list without walking the pages before it.
func (t *Txn) ScanKeysFrom(prefix, from []byte, fn func(key []byte) error) error {
	return t.scan(prefix, from, false, func(k, _ []byte) error { return fn(k) })
}

// scan walks the snapshot's keys with the prefix (from the first at or
// after from, if given), merged with the overlay's (which win, and hide
// deleted keys).
func (t *Txn) scan(prefix, from []byte, values bool, fn func(key, val []byte) error) error {
	start := prefix
	if bytes.Compare(from, prefix) > 0 {
		start = from
	}
	var ovKeys []string
	for k := range t.ov {
		if strings.HasPrefix(k, string(prefix)) && k >= string(start) {
			ovKeys = append(ovKeys, k)
		}
	}
	slices.Sort(ovKeys)
	fromOverlay := func(k string) error {
		if v := t.ov[k]; v != nil {
			return fn([]byte(k), v)
		}
		return nil
	}
	it := t.bt.NewIterator(badger.IteratorOptions{PrefetchValues: values, PrefetchSize: 64, Prefix: prefix})
	defer it.Close()
	i := 0
	for it.Seek(start); it.ValidForPrefix(prefix); it.Next() {
		item := it.Item()
		k := item.Key()
		for ; i < len(ovKeys) && ovKeys[i] < string(k); i++ {
			if err := fromOverlay(ovKeys[i]); err != nil {
				return err
			}
		}
		if i < len(ovKeys) && ovKeys[i] == string(k) {
			if err := fromOverlay(ovKeys[i]); err != nil {
				return err
			}
			i++
			continue
		}
		var err error
		if values {
			err = item.Value(func(v []byte) error { return fn(k, v) })
		} else {
			err = fn(k, nil)
		}
		if err != nil {
			return err
		}
	}
	for ; i < len(ovKeys); i++ {
		if err := fromOverlay(ovKeys[i]); err != nil {
			return err
		}
	}
	return nil
}

// maxKey is Badger's limit on a key's length.
const maxKey = 65000
