package resolver

import (
	"fmt"
	"hash/maphash"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/matcher"
)

// profileEntry is a stored record's match profile, kept between
// operations. Its profile never changes once cached (reads share it with
// the change in progress); each operation annotates a copy (term
// frequencies) from the count cells resolved the first time: no string
// hashing or map probing per value.
type profileEntry struct {
	p matcher.Profile
	// refs are the count cells Annotate reads, in the order it reads
	// them; nil until recorded. Set once, by whichever operation records
	// them first, and never changed after, so any may read them.
	refs atomic.Pointer[[]countRef]
	// ann is the profile annotated with the published counts of one
	// generation, shared by the reads of that generation (nil until a
	// read needs it): reads far outnumber the profiles a change
	// annotates, and copying a profile for every candidate of every
	// search cost a third of a search. mu is held while it is annotated.
	mu  sync.Mutex
	ann atomic.Pointer[annotated]
}

// annotated is a profile annotated with the counts of one generation.
type annotated struct {
	gen atomic.Uint64
	p   matcher.Profile
}

// countRef is one value's count cell, with its key for the change's delta.
type countRef struct {
	key  uint64
	cell *uint32
}

// profiles returns the annotated profiles of stored records, in order.
// Counts are read after this change updated them; a profile is annotated
// once per operation. The profiles are the operation's: valid for it, and
// not to be modified.
func (e *reader) profiles(t resindex.Txn, keys []resindex.RecordKey) ([]*matcher.Profile, error) {
	out := make([]*matcher.Profile, len(keys))
	for i, k := range keys {
		if p, ok := e.cache.profiles[k]; ok {
			out[i] = p
			continue
		}
		en, err := e.entry(t, k)
		if err != nil {
			return nil, err
		}
		p := e.annotate(en)
		e.cache.profiles[k] = p
		out[i] = p
	}
	return out, nil
}

// unannotated returns a stored record's profile without term frequencies
// (or with this operation's, if it has them already): for scoring where
// only the other side's frequencies count. Cached profiles are never
// annotated, so the cached one serves as it is.
func (e *reader) unannotated(t resindex.Txn, k resindex.RecordKey) (*matcher.Profile, error) {
	if p, ok := e.cache.profiles[k]; ok {
		return p, nil
	}
	en, err := e.entry(t, k)
	if err != nil {
		return nil, err
	}
	return &en.p, nil
}

// entry returns a stored record's profile entry: the cached one unless
// this change wrote the record, whose new entry joins the cache when the
// change commits.
func (e *reader) entry(t resindex.Txn, k resindex.RecordKey) (*profileEntry, error) {
	written := slices.Contains(e.cache.written, k)
	staged, inGroup := e.cache.staged[k] // written earlier in the change's group
	if written {
		if en, ok := e.cache.fresh[k]; ok {
			return en, nil
		}
	} else if inGroup {
		if staged != nil {
			return staged, nil
		}
	} else if en := e.parsed.get(k); en != nil {
		return en, nil
	}
	r, found, err := loadRecord(t, k)
	if err != nil {
		return nil, err
	}
	if !found || r.Deleted {
		return nil, fmt.Errorf("resolver: record %s is indexed but not stored", k)
	}
	en := newEntry(matcher.NewProfile(&r))
	if written || inGroup {
		e.cache.fresh[k] = en
	} else {
		e.parsed.put(en)
	}
	return en, nil
}

// profileCache holds profile entries between operations, keyed by a
// 64-bit hash of the record key: a million-entry map keyed by the strings
// themselves spent most of a look-up comparing them. The entry's own key
// is checked, so a hash shared by two records only costs a reload. Reads
// and the change in progress share it, so it has a lock of its own.
type profileCache struct {
	mu   sync.RWMutex
	seed maphash.Seed
	m    map[uint64]*profileEntry
	max  int
	// shared counts the entries with a shared annotation (each about
	// 0.6 KB more), at most max/4: reads touch a fraction of the records,
	// and past it a read annotates its own copies.
	shared atomic.Int64
}

// shareAnnotation reserves room for one more shared annotation.
func (c *profileCache) shareAnnotation() bool {
	if c.shared.Add(1) > int64(c.max/4) {
		c.shared.Add(-1)
		return false
	}
	return true
}

func newProfileCache(max int) *profileCache {
	return &profileCache{seed: maphash.MakeSeed(), m: map[uint64]*profileEntry{}, max: max}
}

func (c *profileCache) hash(k resindex.RecordKey) uint64 {
	return maphash.String(c.seed, k.ID) ^ maphash.String(c.seed, k.Source)*0x9E3779B97F4A7C15
}

func (c *profileCache) get(k resindex.RecordKey) *profileEntry {
	c.mu.RLock()
	en := c.m[c.hash(k)]
	c.mu.RUnlock()
	if en != nil && en.p.Key == k {
		return en
	}
	return nil
}

// put caches an entry; past the bound the cache starts afresh.
func (c *profileCache) put(en *profileEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		c.m = map[uint64]*profileEntry{}
		c.shared.Store(0)
	}
	h := c.hash(en.p.Key)
	c.release(c.m[h])
	c.m[h] = en
}

func (c *profileCache) drop(k resindex.RecordKey) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h := c.hash(k)
	c.release(c.m[h])
	delete(c.m, h)
}

// release gives back the room of an entry's shared annotation as the
// entry leaves the cache.
func (c *profileCache) release(en *profileEntry) {
	if en != nil && en.ann.Load() != nil {
		c.shared.Add(-1)
	}
}

// full reports whether the cache is at its bound.
func (c *profileCache) full() bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m) >= c.max
}

// annotate returns an entry's profile with its term frequencies from the
// counts as this operation sees them: a read's is shared with the other
// reads of the same counts (annotateShared); otherwise, or past the bound
// on shared copies, a copy of the operation's own.
func (e *reader) annotate(en *profileEntry) *matcher.Profile {
	if e.reading {
		if p := e.annotateShared(en); p != nil {
			return p
		}
	}
	p := copyProfile(&en.p)
	e.annotateInto(en, &p)
	return &p
}

// copyProfile copies a profile as far as Annotate writes it: the
// addresses hold frequencies too.
func copyProfile(p *matcher.Profile) matcher.Profile {
	q := *p
	q.Addresses = slices.Clone(p.Addresses)
	return q
}

// annotateInto sets p's term frequencies (p is en's profile or a copy
// of it) from the counts as this operation sees them: the first time
// through Annotate, recording the count cells it reads; after that by
// replaying them.
func (e *reader) annotateInto(en *profileEntry, p *matcher.Profile) {
	d := e.cache.counts
	if refs := en.refs.Load(); refs != nil {
		matcher.Annotate(&replayCounts{d: d, refs: *refs}, e.opts.Model, p)
		return
	}
	rc := &recordingCounts{d: d}
	matcher.Annotate(rc, e.opts.Model, p)
	// A value without a cell yet (new in a change) is looked up again
	// next time, when the cell exists.
	if d.Records() > 0 && !rc.missing {
		en.refs.Store(&rc.refs)
	}
}

// annotateShared is annotate for a read: the entry's profile annotated
// with the published counts, made once a generation of the counts and
// shared by every read of that generation. No read writes it while
// another reads it: it is written only when its generation is not the
// current one, which no read of the current generation uses, and reads
// of older generations ended before the counts changed (publish waits
// for them). nil when the bound on shared copies is reached.
func (e *reader) annotateShared(en *profileEntry) *matcher.Profile {
	gen := e.countsGen
	if a := en.ann.Load(); a != nil && a.gen.Load() == gen {
		return &a.p
	}
	en.mu.Lock()
	defer en.mu.Unlock()
	a := en.ann.Load()
	switch {
	case a == nil && !e.parsed.shareAnnotation():
		return nil
	case a == nil:
		a = &annotated{p: copyProfile(&en.p)}
	case a.gen.Load() == gen:
		return &a.p
	}
	e.annotateInto(en, &a.p)
	a.gen.Store(gen)
	en.ann.Store(a)
	return &a.p
}

// recordingCounts serves counts and notes the cells it served. It makes
// no cell (reads may be looking the cells up): a value without one is
// noted as missing.
type recordingCounts struct {
	d       *deltaCounts
	refs    []countRef
	missing bool
}

func (r *recordingCounts) Count(kind byte, value string) uint32 {
	k := r.d.base.key(kind, value)
	ref := countRef{key: k, cell: r.d.base.cells[k]}
	// An empty value is never counted, so never has a cell: its count is
	// 0 whenever it is asked for.
	r.missing = r.missing || (ref.cell == nil && value != "")
	r.refs = append(r.refs, ref)
	return r.d.value(ref)
}

func (r *recordingCounts) Records() int { return r.d.Records() }

// replayCounts serves the counts of the cells recorded for a profile, in
// the same order: Annotate reads the same values of the same profile in
// the same order every time.
type replayCounts struct {
	d    *deltaCounts
	refs []countRef
	i    int
}

func (r *replayCounts) Count(kind byte, value string) uint32 {
	if r.i >= len(r.refs) { // cannot happen; stay correct if it does
		return r.d.Count(kind, value)
	}
	ref := r.refs[r.i]
	r.i++
	return r.d.value(ref)
}

func (r *replayCounts) Records() int { return r.d.Records() }

// preload fills the profile cache with every stored record (up to its
// bound), normalising on all cores, so that a long run of changes starts
// with the cache warm rather than reading each candidate from the store
// the first time it is met.
func (e *Engine) preload(workers int) error {
	type item struct {
		k   resindex.RecordKey
		val []byte
	}
	in := make(chan []item, workers*2)
	out := make(chan []*profileEntry, workers*2)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Go(func() {
			for batch := range in {
				ens := make([]*profileEntry, 0, len(batch))
				for _, it := range batch {
					var r resindex.Record
					if err := layout.DecodeRecord(it.val, &r); err != nil || r.Deleted {
						continue // corrupt: read again, and reported, when a change meets it
					}
					ens = append(ens, newEntry(matcher.NewProfile(&r)))
				}
				out <- ens
			}
		})
	}
	go func() { wg.Wait(); close(out) }()
	done := make(chan struct{})
	go func() {
		for ens := range out {
			for _, en := range ens {
				if !e.parsed.full() {
					e.parsed.put(en)
				}
			}
		}
		close(done)
	}()
	var batch []item
	err := e.store.View(func(t resindex.Txn) error {
		return t.Scan([]byte(layout.RecordPrefix), func(key, val []byte) error {
			batch = append(batch, item{k: layout.RecordOf(key), val: slices.Clone(val)})
			if len(batch) == 1024 {
				in <- batch
				batch = nil
			}
			return nil
		})
	})
	if len(batch) > 0 {
		in <- batch
	}
	close(in)
	<-done
	return err
}
