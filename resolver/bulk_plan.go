package resolver

import (
	"cmp"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/matcher"
)

// bulkPlan is what a bulk load writes besides the records and the review
// queue: the blocking, postcode and UPRN index entries (indexKeys of every
// profile) and the term-frequency counts, derived on all cores and put in
// key order. Badger takes keys in order at about half the cost of keys in
// hash order (its memtable is a skip list), and the blocking entries, the
// bulk of a load's keys, are keyed by hash.
type bulkPlan struct {
	// order is each record's entry within a block (sort key, \x01,
	// record ID, as layout.Block puts them after the block's prefix), by
	// which a block's entries sort.
	order   []string
	blocks  []bulkBlock  // in key order, a record's entry once
	entries []string     // postcode and UPRN entries, in key order
	counts  []valueCount // in key order
}

// bulkBlock is one blocking index entry: block h, record i.
type bulkBlock struct {
	h uint64
	i int32
}

type valueCount struct {
	kv matcher.KindValue
	n  int
}

// planPart is one worker's share of a plan.
type planPart struct {
	blocks  []bulkBlock
	entries []string
	counts  map[matcher.KindValue]int
}

// planBulk derives the plan of a link's records.
func planBulk(res *LinkResult) *bulkPlan {
	n := len(res.Profiles)
	pl := &bulkPlan{order: make([]string, n)}
	w := runtime.GOMAXPROCS(0)
	parts := make([]planPart, w)
	var wg sync.WaitGroup
	for j := range w {
		wg.Go(func() { parts[j] = pl.derive(res, j*n/w, (j+1)*n/w) })
	}
	wg.Wait()
	total := 0
	for _, p := range parts {
		total += len(p.blocks)
	}
	pl.blocks = make([]bulkBlock, 0, total)
	counts := parts[0].counts
	for j, p := range parts {
		pl.blocks = append(pl.blocks, p.blocks...)
		pl.entries = append(pl.entries, p.entries...)
		if j == 0 {
			continue
		}
		for kv, c := range p.counts {
			counts[kv] += c
		}
	}
	wg.Go(func() {
		slices.Sort(pl.entries)
		pl.entries = slices.Compact(pl.entries)
		pl.counts = sortedCounts(counts)
	})
	pl.sortBlocks(w)
	wg.Wait()
	return pl
}

// derive makes the plan's share of records lo to hi.
func (pl *bulkPlan) derive(res *LinkResult, lo, hi int) planPart {
	part := planPart{counts: map[matcher.KindValue]int{}}
	for i := lo; i < hi; i++ {
		p := &res.Profiles[i]
		pl.order[i] = blockSortKey(p) + "\x01" + layout.RecID(p.Key)
		bk := matcher.NewBlockingKeys(p)
		for _, h := range allKeys(&bk) {
			part.blocks = append(part.blocks, bulkBlock{h, int32(i)})
		}
		for _, kv := range matcher.Values(p) {
			part.counts[kv]++
			if kv.Kind == matcher.FreqPostcode {
				part.entries = append(part.entries, string(layout.Postcode(kv.Value, p.Key)))
			}
		}
		for _, a := range p.Addresses {
			if a.UPRN == "" {
				continue
			}
			for _, mk := range a.IndexKeys() {
				part.entries = append(part.entries, string(layout.UPRN(mk, a.Place(), a.UPRN, p.Key)))
			}
		}
	}
	return part
}

// sortBlocks puts the blocking entries in key order, on w cores: the
// hashes are uniform, so splitting them by their top bits, in place,
// splits the work evenly.
func (pl *bulkPlan) sortBlocks(w int) {
	var wg sync.WaitGroup
	var split func(bs []bulkBlock, bit uint, parts int)
	split = func(bs []bulkBlock, bit uint, parts int) {
		if parts < 2 || bit == 0 {
			wg.Go(func() { slices.SortFunc(bs, pl.compareBlocks) })
			return
		}
		i, j := 0, len(bs)
		for i < j { // entries with the bit clear first
			if bs[i].h>>(bit-1)&1 == 0 {
				i++
				continue
			}
			j--
			bs[i], bs[j] = bs[j], bs[i]
		}
		split(bs[:i], bit-1, parts/2)
		split(bs[i:], bit-1, parts-parts/2)
	}
	split(pl.blocks, 64, w)
	wg.Wait()
	pl.blocks = slices.Compact(pl.blocks)
}

// compareBlocks orders blocking entries as their keys (layout.Block)
// sort: by block, then sort key and record.
func (pl *bulkPlan) compareBlocks(a, b bulkBlock) int {
	if c := cmp.Compare(a.h, b.h); c != 0 {
		return c
	}
	return strings.Compare(pl.order[a.i], pl.order[b.i])
}

// sortedCounts lists counts in the order of their keys (layout.Freq: kind,
// then value).
func sortedCounts(counts map[matcher.KindValue]int) []valueCount {
	out := make([]valueCount, 0, len(counts))
	for kv, n := range counts {
		out = append(out, valueCount{kv, n})
	}
	slices.SortFunc(out, func(a, b valueCount) int {
		return cmp.Or(cmp.Compare(a.kv.Kind, b.kv.Kind), strings.Compare(a.kv.Value, b.kv.Value))
	})
	return out
}

// uprn is the plan's UPRN index entries, in key order.
func (pl *bulkPlan) uprn() uprnIndex {
	lo, _ := slices.BinarySearch(pl.entries, layout.UPRNPrefix)
	hi := lo
	for hi < len(pl.entries) && strings.HasPrefix(pl.entries[hi], layout.UPRNPrefix) {
		hi++
	}
	return uprnIndex(pl.entries[lo:hi])
}
