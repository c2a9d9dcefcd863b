package resolver

import (
	"fmt"
	"slices"
	"sort"
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
//
// A record's entry is the same in each of its blocks, so entries are
// interned once and blocks hold their numbers: a million records' index
// as strings was some ten million small objects for the collector to walk.
type memBlocks struct {
	m  map[uint64][]uint32 // block hash → entry numbers, in entry order
	in *interner
}

func newMemBlocks() *memBlocks {
	return &memBlocks{m: map[uint64][]uint32{}, in: newInterner()}
}

// loadBlocks reads the blocking index from the store.
func loadBlocks(s Store) (*memBlocks, error) {
	mb := newMemBlocks()
	err := s.View(func(t resindex.Txn) error {
		// Each record has one entry: sized for them at once, the table
		// is not grown a dozen times over while a million are read.
		n, err := getUint(t, layout.RecordsCount)
		if err != nil {
			return err
		}
		mb.in.byHash = make(map[uint64]uint32, n)
		mb.in.locs = make([]uint64, 0, n)
		return t.ScanKeys([]byte(layout.BlockPrefix), func(key []byte) error {
			h, entry, ok := layout.ParseBlock(key)
			if !ok {
				return fmt.Errorf("resolver: a blocking index key of %d bytes is corrupt", len(key))
			}
			mb.m[h] = append(mb.m[h], mb.in.intern(entry))
			return nil
		})
	})
	return mb, err // keys come in order, so each block is sorted
}

// publish makes a committed change's edited blocks (whole, in order;
// empty: removed) the engine's. Entries the block held before keep their
// numbers without being hashed again: an edit adds or removes one or two
// entries of a block that may hold thousands.
func (mb *memBlocks) publish(staged map[uint64][]string) {
	for h, entries := range staged {
		if len(entries) == 0 {
			delete(mb.m, h)
			continue
		}
		old, ids := mb.m[h], make([]uint32, len(entries))
		j := 0
		for i, en := range entries {
			// The change's copy holds the published entries themselves,
			// so an entry kept is told by its bytes' address alone.
			if j < len(old) && sameString(mb.in.str(old[j]), en) {
				ids[i] = old[j]
				j++
				continue
			}
			for j < len(old) && mb.in.str(old[j]) < en {
				j++
			}
			if j < len(old) && mb.in.str(old[j]) == en {
				ids[i] = old[j]
			} else {
				ids[i] = mb.in.intern(en)
			}
		}
		mb.m[h] = ids
	}
}

// blockView is one block as an operation sees it: the change's own copy
// if it edited the block, else the published one.
type blockView struct {
	staged []string
	ids    []uint32
	in     *interner
}

func (b blockView) len() int {
	if b.staged != nil {
		return len(b.staged)
	}
	return len(b.ids)
}

func (b blockView) at(i int) string {
	if b.staged != nil {
		return b.staged[i]
	}
	return b.in.str(b.ids[i])
}

// search finds an entry's place in the block, as slices.BinarySearch.
func (b blockView) search(entry string) (int, bool) {
	i := sort.Search(b.len(), func(i int) bool { return b.at(i) >= entry })
	return i, i < b.len() && b.at(i) == entry
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
		ids := e.blocks.m[h]
		entries = make([]string, len(ids), len(ids)+1)
		for i, id := range ids {
			entries[i] = e.blocks.in.str(id)
		}
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
func (e *reader) entries(h uint64) blockView {
	if entries, ok := e.cache.blocks[h]; ok {
		return blockView{staged: entries, in: e.blocks.in}
	}
	return blockView{ids: e.blocks.m[h], in: e.blocks.in}
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
	i, found := entries.search(sk + "\x01" + selfID)
	n, after := entries.len(), window
	if !found { // a query, or a record not indexed: as if inserted at i
		n++
		after--
	}
	lo, hi := 0, entries.len()
	if n > e.opts.MaxBlock {
		lo, hi = max(i-window, 0), min(i+after+1, entries.len())
	}
	for x := lo; x < hi; x++ {
		en := entries.at(x)
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
