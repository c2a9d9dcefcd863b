package resolver

import (
	"bytes"
	"encoding/binary"
	"slices"
	"strings"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/matcher"
)

// memBlocks is the engine's copy of the blocking index: block hash →
// entries (sort key, \x01, record ID) in order. Scanning a block in Badger
// for every key of every change costs an iterator each; the engine is the
// only writer, so it keeps the index in memory. A change edits it as it
// goes, so that the change sees its own edits, and the edits are undone if
// its transaction does not commit.
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
		return t.ScanKeys([]byte(layout.BlockPrefix), func(key []byte) error {
			h := binary.BigEndian.Uint64(key[2:10])
			mb.m[h] = append(mb.m[h], string(key[10:]))
			return nil
		})
	})
	return mb, err // keys come in order, so each block is sorted
}

// setIndex adds or removes an index entry in the store and, for a
// blocking entry, in memory, noting the edit so that it can be undone.
func (e *Engine) setIndex(t resindex.Txn, key []byte, add bool) error {
	var err error
	if add {
		err = t.Set(key, nil)
	} else {
		err = t.Delete(key)
	}
	if err != nil || !bytes.HasPrefix(key, []byte(layout.BlockPrefix)) {
		return err
	}
	d := blockDelta{h: binary.BigEndian.Uint64(key[2:10]), entry: string(key[10:]), add: add}
	if e.blocks.apply(d) {
		e.cache.onAbort(func() { e.blocks.apply(blockDelta{h: d.h, entry: d.entry, add: !d.add}) })
	}
	return nil
}

// apply makes one edit and reports whether it changed anything.
func (mb *memBlocks) apply(d blockDelta) bool {
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
	default:
		return false
	}
	return true
}

// block calls fn with the IDs (recID) of the members of one block to
// compare with a record: all of them, or in an oversized block its nearest
// neighbours in sort order, as the batch linker windows them.
func (e *Engine) block(h uint64, sk, selfID string, fn func(id string)) {
	e.blockWindow(h, sk, selfID, e.opts.Window, fn)
}

// blockWindow is block with a given window.
func (e *Engine) blockWindow(h uint64, sk, selfID string, window int, fn func(id string)) {
	entries := e.blocks.m[h]
	i, found := slices.BinarySearch(entries, sk+"\x01"+selfID)
	n, after := len(entries), window
	if !found { // a query, or a record not indexed: as if inserted at i
		n++
		after--
	}
	if n > e.opts.MaxBlock {
		lo, hi := max(i-window, 0), min(i+after+1, len(entries))
		entries = entries[lo:hi]
	}
	for _, en := range entries {
		if id := en[strings.IndexByte(en, '\x01')+1:]; id != selfID {
			fn(id)
		}
	}
}

// partners returns the IDs (recID) of the records a profile is compared
// with: the members of its blocks (windowed), without duplicates, in no
// particular order.
func (e *Engine) partners(p *matcher.Profile) []string {
	bk := matcher.NewBlockingKeys(p)
	sk, self := blockSortKey(p), layout.RecID(p.Key)
	seen := map[string]bool{}
	var out []string
	for _, h := range allKeys(&bk) {
		e.block(h, sk, self, func(id string) {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		})
	}
	return out
}

// blockSortKey orders the members of a block: the batch linker's order.
func blockSortKey(p *matcher.Profile) string {
	return p.Family + "|" + strings.Join(p.Given, " ") + "|" + p.DOB.String()
}

func allKeys(bk *matcher.BlockingKeys) []uint64 {
	var out []uint64
	for r := matcher.Rule(0); r < matcher.NumRules; r++ {
		out = append(out, bk.Rule(r)...)
	}
	return out
}
