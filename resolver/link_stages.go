package resolver

import (
	"cmp"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/matcher"
)

// parallel runs f over [0,n) in chunks of 4096 on the given number of
// workers (at least one), calling progress after each chunk.
func parallel(n, workers int, progress func(done int), f func(lo, hi int)) {
	parallelChunks(n, 4096, workers, progress, f)
}

func parallelChunks(n, chunk, workers int, progress func(done int), f func(lo, hi int)) {
	workers = max(workers, 1)
	var next, done atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				lo := int(next.Add(int64(chunk))) - chunk
				if lo >= n {
					return
				}
				hi := min(lo+chunk, n)
				f(lo, hi)
				progress(int(done.Add(int64(hi - lo))))
			}
		})
	}
	wg.Wait()
}

// Profiles normalises records into profiles on all workers and annotates
// each with the term frequencies of the whole set, as the model reckons
// them.
func Profiles(records []resindex.Record, m *matcher.Model, workers int, progress func(done, total int)) []matcher.Profile {
	ps, freq := newProfiles(records, workers, false, progress)
	annotate(ps, freq, m, workers)
	return ps
}

// newProfiles makes the profiles and counts their values; with release,
// each record is cleared once its profile is made.
func newProfiles(records []resindex.Record, workers int, release bool, progress func(done, total int)) ([]matcher.Profile, *matcher.Frequencies) {
	n := len(records)
	ps := make([]matcher.Profile, n)
	parallel(n, workers, func(d int) { progress(d, n) }, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			ps[i] = matcher.NewProfile(&records[i])
			if release {
				records[i] = resindex.Record{}
			}
		}
	})
	matcher.RankByKey(ps)
	return ps, matcher.CountFrequencies(ps, workers)
}

// annotate stores each profile's term frequencies; a value's count is
// discounted by the records a person typically has, which the model's
// prior says.
func annotate(ps []matcher.Profile, freq *matcher.Frequencies, m *matcher.Model, workers int) {
	parallel(len(ps), workers, func(int) {}, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			matcher.Annotate(freq, m, &ps[i])
		}
	})
}

func (l *linker) profiles(records []resindex.Record) {
	n := len(records)
	ps, freq := newProfiles(records, l.opts.Workers, l.opts.ReleaseRecords, func(d, t int) { l.opts.Progress("profiles", d, t) })
	if l.opts.Fit != nil {
		// Fitting compares levels only: term frequencies wait for the
		// fitted prior, which sets how a person's own records discount.
		l.stage("fitting", func() {
			model, rep := Fit(ps, l.opts.Model, *l.opts.Fit, l.opts.Workers, l.opts.Progress)
			l.opts.Model, l.res.Fit = model, &rep
		})
	}
	annotate(ps, freq, l.opts.Model, l.opts.Workers)
	l.keys = make([]matcher.BlockingKeys, n)
	parallel(n, l.opts.Workers, func(int) {}, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			l.keys[i] = matcher.NewBlockingKeys(&ps[i])
		}
	})
	l.res.Profiles = ps
	l.res.Keys = make([]resindex.RecordKey, n)
	for i := range ps {
		l.res.Keys[i] = ps[i].Key
	}
	l.res.Scorer = matcher.NewScorer(l.opts.Model, cmp.Or(l.opts.Population, n))
	l.setTruth()
}

// setTruth numbers the true persons so that pair completeness can be
// counted as pairs are produced.
func (l *linker) setTruth() {
	if l.opts.Truth == nil {
		return
	}
	ids := map[string]int32{}
	sizes := map[int32]int64{}
	l.truth = make([]int32, len(l.res.Keys))
	for i, k := range l.res.Keys {
		t, ok := l.opts.Truth[k]
		if !ok {
			l.truth[i] = -1
			continue
		}
		id, ok := ids[t]
		if !ok {
			id = int32(len(ids))
			ids[t] = id
		}
		l.truth[i] = id
		sizes[id]++
	}
	for _, s := range sizes {
		l.res.Stats.TruePairs += s * (s - 1) / 2
	}
}

// blockEntry places one record under one blocking key.
type blockEntry struct {
	hash uint64
	rec  int32
	rule matcher.Rule
}

// block lists every (key, record) and sorts the list so that each block is
// a run of equal keys. Both the listing and the sort are shared by the
// workers: records in chunks, each listed into 256 buckets by the key's top
// byte, then each bucket gathered from the chunks and sorted.
func (l *linker) block() {
	const chunk = 1 << 16
	parts := make([][256][]blockEntry, (len(l.keys)+chunk-1)/chunk)
	parallelChunks(len(l.keys), chunk, l.opts.Workers, func(int) {}, func(lo, hi int) {
		part := &parts[lo/chunk]
		for i := lo; i < hi; i++ {
			for r := matcher.Rule(0); r < matcher.NumRules; r++ {
				for _, h := range l.keys[i].Rule(r) {
					part[h>>56] = append(part[h>>56], blockEntry{hash: h, rec: int32(i), rule: r})
				}
			}
		}
	})
	l.entries = sortBuckets(parts, l.opts.Workers, func(x, y blockEntry) int {
		return cmp.Or(cmp.Compare(x.hash, y.hash), cmp.Compare(x.rec, y.rec))
	})
}

// sortBuckets gathers items listed into 256 buckets (by the top byte of
// their hash, so that bucket order is hash order) from several parts,
// sorts each bucket on the workers and returns them in one slice.
func sortBuckets[T any](parts [][256][]T, workers int, compare func(x, y T) int) []T {
	var buckets [256][]T
	parallelChunks(256, 8, workers, func(int) {}, func(lo, hi int) {
		for b := lo; b < hi; b++ {
			for p := range parts {
				buckets[b] = append(buckets[b], parts[p][b]...)
				parts[p][b] = nil
			}
			slices.SortFunc(buckets[b], compare)
		}
	})
	total := 0
	for b := range buckets {
		total += len(buckets[b])
	}
	out := make([]T, 0, total)
	for b := range buckets {
		out = append(out, buckets[b]...)
		buckets[b] = nil
	}
	return out
}

// runs returns the [start,end) bounds of each block with two or more records.
func (l *linker) runs() [][2]int32 {
	var out [][2]int32
	for i := 0; i < len(l.entries); {
		j := i + 1
		for j < len(l.entries) && l.entries[j].hash == l.entries[i].hash {
			j++
		}
		if j-i > 1 {
			out = append(out, [2]int32{int32(i), int32(j)})
		}
		i = j
	}
	return out
}
