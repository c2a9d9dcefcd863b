package resolver

import (
	"fmt"
	"slices"
	"sync"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/matcher"
)

// profileEntry is a stored record's match profile, kept between changes.
// Every change compares each new record with dozens of stored ones, so
// the entry is annotated (term frequencies) in place before a change uses
// it, from the count cells resolved the first time: no string hashing or
// map probing per value, and no copy of the profile.
type profileEntry struct {
	p        matcher.Profile
	refs     []countRef // the counts Annotate read, in the order it reads them
	recorded bool
}

// countRef is one value's count cell, with its key for the change's delta.
type countRef struct {
	key  uint64
	cell *uint32
}

// profiles returns the annotated profiles of stored records, in order.
// Counts are read after this change updated them; a profile is annotated
// once per change. The profiles are the engine's: valid for this change,
// and not to be modified.
func (e *Engine) profiles(t resindex.Txn, keys []resindex.RecordKey) ([]*matcher.Profile, error) {
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
		e.annotate(en)
		e.cache.profiles[k] = &en.p
		out[i] = &en.p
	}
	return out, nil
}

// unannotated returns a stored record's profile without term frequencies
// (or with this change's, if it has them already): for scoring where only
// the other side's frequencies count.
func (e *Engine) unannotated(t resindex.Txn, k resindex.RecordKey) (*matcher.Profile, error) {
	if p, ok := e.cache.profiles[k]; ok {
		return p, nil
	}
	en, err := e.entry(t, k)
	if err != nil {
		return nil, err
	}
	// The entry's frequencies are scratch, set afresh whenever a change
	// annotates it.
	en.p.ClearFrequencies()
	return &en.p, nil
}

// entry returns a stored record's profile entry: the cached one unless
// this change wrote the record, whose entry lives for the change only.
func (e *Engine) entry(t resindex.Txn, k resindex.RecordKey) (*profileEntry, error) {
	written := slices.Contains(e.cache.written, k)
	if en, ok := e.parsed[k]; ok && !written {
		return en, nil
	}
	r, found, err := loadRecord(t, k)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("resolver: record %s is indexed but not stored", k)
	}
	en := &profileEntry{p: matcher.NewProfile(&r)}
	if !written {
		if e.parsed == nil || len(e.parsed) >= e.opts.ProfileCache {
			e.parsed = map[resindex.RecordKey]*profileEntry{}
		}
		e.parsed[k] = en
	}
	return en, nil
}

// annotate sets an entry's term frequencies from the current counts: the
// first time through Annotate, noting the cells it reads; after that by
// replaying them.
func (e *Engine) annotate(en *profileEntry) {
	own := 1 + e.opts.Model.ExpectedMatchesPerRecord
	d := e.cache.counts
	if !en.recorded {
		rc := &recordingCounts{d: d}
		matcher.Annotate(rc, own, &en.p)
		en.refs, en.recorded = rc.refs, d.Records() > 0
		return
	}
	matcher.Annotate(&replayCounts{d: d, refs: en.refs}, own, &en.p)
}

// recordingCounts serves counts and notes the cells it served.
type recordingCounts struct {
	d    *deltaCounts
	refs []countRef
}

func (r *recordingCounts) Count(kind byte, value string) uint32 {
	k := r.d.base.key(kind, value)
	ref := countRef{key: k, cell: r.d.base.cell(k)}
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
					if err := r.UnmarshalBinary(it.val); err != nil {
						continue // read again, and reported, when a change meets it
					}
					ens = append(ens, &profileEntry{p: matcher.NewProfile(&r)})
				}
				out <- ens
			}
		})
	}
	go func() { wg.Wait(); close(out) }()
	e.parsed = map[resindex.RecordKey]*profileEntry{}
	done := make(chan struct{})
	go func() {
		for ens := range out {
			for _, en := range ens {
				if len(e.parsed) < e.opts.ProfileCache {
					e.parsed[en.p.Key] = en
				}
			}
		}
		close(done)
	}()
	var batch []item
	err := e.store.View(func(t resindex.Txn) error {
		return t.Scan([]byte("r/"), func(key, val []byte) error {
			batch = append(batch, item{k: parseRecID(string(key[2:])), val: slices.Clone(val)})
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
