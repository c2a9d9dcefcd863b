package resolver

import (
	"fmt"
	"slices"
	"strings"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/matcher"
)

// memBlocks is the engine's copy of the blocking index: block hash →
// entries (sort key, \x01, record ID) in order. Scanning a block in Badger
// for every key of every change costs an iterator each; the engine is the
// only writer, so it keeps the index in memory. A change edits copies of
// the blocks it touches, seen by it alone until it commits (publish).
type memBlocks struct {
	m map[uint64][]string
}

// loadBlocks reads the blocking index from the store.
func loadBlocks(s Store) (*memBlocks, error) {
	mb := &memBlocks{m: map[uint64][]string{}}
	err := s.View(func(t resindex.Txn) error {
		return t.ScanKeys([]byte(layout.BlockPrefix), func(key []byte) error {
			h, entry, ok := layout.ParseBlock(key)
			if !ok {
				return fmt.Errorf("resolver: a blocking index key of %d bytes is corrupt", len(key))
			}
			mb.m[h] = append(mb.m[h], entry)
			return nil
		})
	})
	return mb, err // keys come in order, so each block is sorted
}

// setIndex adds or removes an index entry in the store and, for a
// blocking entry, in the change's copy of its block.
func (e *change) setIndex(t resindex.Txn, key []byte, add bool) error {
	var err error
	if add {
		err = t.Set(key, nil)
	} else {
		err = t.Delete(key)
	}
	if err != nil {
		return err
	}
	if h, entry, ok := layout.ParseBlock(key); ok {
		e.editBlock(h, entry, add)
	}
	return nil
}

// editBlock adds or removes an entry in the change's copy of a block,
// copying the published block on the first edit: reads in progress keep
// the one they hold.
func (e *change) editBlock(h uint64, entry string, add bool) {
	entries, staged := e.cache.blocks[h]
	if !staged {
		entries = slices.Clone(e.blocks.m[h])
	}
	i, found := slices.BinarySearch(entries, entry)
	switch {
	case add && !found:
		entries = slices.Insert(entries, i, entry)
	case !add && found:
		entries = slices.Delete(entries, i, i+1)
	}
	e.cache.blocks[h] = entries
}

// entries are a block's entries as this operation sees them.
func (e *reader) entries(h uint64) []string {
	if entries, ok := e.cache.blocks[h]; ok {
		return entries
	}
	return e.blocks.m[h]
}

// block calls fn with the IDs (recID) of the members of one block to
// compare with a record: all of them, or in an oversized block its nearest
// neighbours in sort order, as the batch linker windows them.
func (e *reader) block(h uint64, sk, selfID string, fn func(id string)) {
	e.blockWindow(h, sk, selfID, e.opts.Window, fn)
}

// blockWindow is block with a given window.
func (e *reader) blockWindow(h uint64, sk, selfID string, window int, fn func(id string)) {
	entries := e.entries(h)
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
func (e *reader) partners(p *matcher.Profile) []string {
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
