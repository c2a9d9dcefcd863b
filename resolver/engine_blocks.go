package resolver

import (
	"encoding/binary"
	"slices"

	"github.com/resindex/resindex"
)

// memBlocks is the engine's copy of the blocking index: block hash →
// entries (sort key, \x01, record ID) in order. Scanning a block in Badger
// for every key of every change costs an iterator each; the engine is the
// only writer, so it keeps the index in memory and applies each change's
// edits once its transaction commits.
type memBlocks struct {
	m map[uint64][]string
}

// blockDelta is one edit of the blocking index made by a change.
type blockDelta struct {
	h     uint64
	entry string
	add   bool
}

// loadBlocks reads the blocking index from the store.
func loadBlocks(s Store) (*memBlocks, error) {
	mb := &memBlocks{m: map[uint64][]string{}}
	err := s.View(func(t resindex.Txn) error {
		return t.ScanKeys([]byte("b/"), func(key []byte) error {
			h := binary.BigEndian.Uint64(key[2:10])
			mb.m[h] = append(mb.m[h], string(key[10:]))
			return nil
		})
	})
	return mb, err // keys come in order, so each block is sorted
}

// setBlock adds or removes a record's entry in a block, in the store now
// and in memory when the change commits.
func (e *Engine) setBlock(t resindex.Txn, h uint64, sk string, k resindex.RecordKey, add bool) error {
	key := blockKey(h, sk, k)
	var err error
	if add {
		err = t.Set(key, nil)
	} else {
		err = t.Delete(key)
	}
	if err == nil {
		e.cache.blocks = append(e.cache.blocks, blockDelta{h: h, entry: string(key[10:]), add: add})
	}
	return err
}

// commit applies a committed change's edits.
func (mb *memBlocks) commit(ds []blockDelta) {
	for _, d := range ds {
		entries := mb.m[d.h]
		i, found := slices.BinarySearch(entries, d.entry)
		switch {
		case d.add && !found:
			mb.m[d.h] = slices.Insert(entries, i, d.entry)
		case !d.add && found:
			entries = slices.Delete(entries, i, i+1)
			if len(entries) == 0 {
				delete(mb.m, d.h)
			} else {
				mb.m[d.h] = entries
			}
		}
	}
}
