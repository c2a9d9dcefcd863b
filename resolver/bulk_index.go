package resolver

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// bulkBatch is how many keys the encoder hands the writer at a time.
const bulkBatch = 4096

// bulkKV is one key and value for the writer.
type bulkKV struct{ k, v []byte }

// bulkIndex writes the records, their blocking, postcode and UPRN entries,
// the term-frequency counts and the review queue, in key order kind by
// kind, then marks the store as indexed: through fill if set, else
// through batch.
func bulkIndex(s Store, batch Batcher, fill Filler, ix bulkInput, stream string) error {
	if fill != nil {
		err := bulkFill(s, fill, ix, stream)
		if !errors.Is(err, resindex.ErrNotFillable) {
			return err
		}
		// The store holds keys of its own among the index's (an audit
		// entry, say): the fill changed nothing; written in batches.
	}
	return batch(func(set func(key, val []byte) error) error {
		if err := ix.encode(set, true); err != nil {
			return err
		}
		// Last, so that it commits only with everything before it.
		return set(layout.BulkLoad, []byte(bulkPersons+":"+stream))
	})
}

// bulkFill writes the index straight into the store's tables. The load's
// mark and the records' count go first (a fill cut short leaves the mark
// that says to fill again); once the index is whole the mark moves on.
func bulkFill(s Store, fill Filler, ix bulkInput, stream string) error {
	head := map[string][]byte{
		string(layout.BulkLoad):     []byte(bulkIndexing + ":" + stream),
		string(layout.RecordsCount): layout.EncodeCount(int64(len(ix.res.Keys))),
	}
	replace := []string{layout.BlockPrefix, layout.FreqPrefix, layout.PostcodePrefix, layout.UPRNPrefix, layout.RecordPrefix, layout.ReviewPrefix}
	if err := fill(replace, head, func(put func(key, val []byte) error) error { return ix.encode(put, false) }); err != nil {
		return fmt.Errorf("resolver: bulk load index: %w", err)
	}
	return setBulkStage(s, bulkPersons, stream)
}

// Filler writes a bulk load's index straight into a new store's tables
// (store.DB.Fill): it drops the keys under the prefixes in replace, writes
// head, then the keys fn puts, in key order.
type Filler func(replace []string, head map[string][]byte, fn func(put func(key, val []byte) error) error) error

// bulkInput is what the index is made of.
type bulkInput struct {
	enc      [][]byte // the records, encoded (layout.EncodeRecord)
	byKey    map[resindex.RecordKey]int
	res      *LinkResult
	plan     *bulkPlan
	progress func(string, int, int)
}

// encode puts every key of the index in key order (withCount: the
// records' count too). The keys are made and encoded on one goroutine
// while set runs on this one (and Badger's own writer on a third).
func (ix bulkInput) encode(set func(key, val []byte) error, withCount bool) error {
	ch := make(chan []bulkKV, 8)
	stop := make(chan struct{})
	go func() {
		defer close(ch)
		e := &bulkEncoder{ch: ch, stop: stop}
		e.write(ix, withCount)
	}()
	err := func() error {
		for kvs := range ch {
			for _, kv := range kvs {
				if err := set(kv.k, kv.v); err != nil {
					return err
				}
			}
		}
		return nil
	}()
	close(stop)
	for range ch { // let the encoder end if set failed
	}
	return err
}

// errEncoderStopped ends an encoder whose writer has gone.
var errEncoderStopped = errors.New("resolver: bulk index writer stopped")

// bulkEncoder makes the keys and values in order and sends them in batches.
type bulkEncoder struct {
	ch   chan<- []bulkKV
	stop <-chan struct{}
	buf  []bulkKV
}

func (e *bulkEncoder) put(k, v []byte) error {
	e.buf = append(e.buf, bulkKV{k, v})
	if len(e.buf) < bulkBatch {
		return nil
	}
	return e.flush()
}

func (e *bulkEncoder) flush() error {
	if len(e.buf) == 0 {
		return nil
	}
	select {
	case e.ch <- e.buf:
		e.buf = make([]bulkKV, 0, bulkBatch)
		return nil
	case <-e.stop:
		return errEncoderStopped
	}
}

// write sends every key of the index in order: blocks (b/), counts (f/),
// postcode and UPRN entries (i/), records (r/), the records' count (s/),
// the review queue (w/).
func (e *bulkEncoder) write(ix bulkInput, withCount bool) {
	steps := []func() error{
		func() error { return e.blocks(ix.plan, ix.progress) },
		func() error { return e.counts(ix.plan) },
		func() error { return e.entries(ix.plan) },
		func() error { return e.records(ix.enc, ix.byKey, ix.res, ix.progress) },
		func() error {
			if !withCount {
				return nil
			}
			return e.put(layout.RecordsCount, layout.EncodeCount(int64(len(ix.res.Keys))))
		},
		func() error { return e.review(ix.res) },
		e.flush,
	}
	for _, step := range steps {
		if step() != nil {
			return
		}
	}
}

// review puts the review queue's pairs (bulkReviewQueue) in key order.
func (e *bulkEncoder) review(res *LinkResult) error {
	var keys [][]byte
	if err := bulkReviewQueue(res, func(k, _ []byte) error { keys = append(keys, k); return nil }); err != nil {
		return err
	}
	slices.SortFunc(keys, bytes.Compare)
	for _, k := range slices.CompactFunc(keys, bytes.Equal) {
		if err := e.put(k, nil); err != nil {
			return err
		}
	}
	return nil
}

// blocks puts the blocking entries. Each key is its block's prefix and
// the record's order (the bytes layout.Block makes), copied into chunks of
// a megabyte rather than made one by one: there are a dozen a record.
func (e *bulkEncoder) blocks(pl *bulkPlan, progress func(string, int, int)) error {
	var prefix, arena []byte
	for j, b := range pl.blocks {
		if j == 0 || b.h != pl.blocks[j-1].h {
			prefix = layout.BlockOf(b.h)
		}
		n := len(prefix) + len(pl.order[b.i])
		if cap(arena)-len(arena) < n {
			arena = make([]byte, 0, max(1<<20, n))
		}
		start := len(arena)
		arena = append(append(arena, prefix...), pl.order[b.i]...)
		if err := e.put(arena[start:len(arena):len(arena)], nil); err != nil {
			return err
		}
		if j%(1<<20) == 0 {
			progress("writing blocking index", j, len(pl.blocks))
		}
	}
	return nil
}

func (e *bulkEncoder) counts(pl *bulkPlan) error {
	for _, c := range pl.counts {
		if err := e.put(layout.Freq(c.kv.Kind, c.kv.Value), layout.EncodeCount(int64(c.n))); err != nil {
			return err
		}
	}
	return nil
}

func (e *bulkEncoder) entries(pl *bulkPlan) error {
	for _, k := range pl.entries {
		if err := e.put([]byte(k), nil); err != nil {
			return err
		}
	}
	return nil
}

// records writes the records in key order (Link's keys are).
func (e *bulkEncoder) records(enc [][]byte, byKey map[resindex.RecordKey]int, res *LinkResult, progress func(string, int, int)) error {
	for i, k := range res.Keys {
		if err := e.put(layout.Record(k), enc[byKey[k]]); err != nil {
			return err
		}
		if i%65536 == 0 {
			progress("writing records", i, len(res.Keys))
		}
	}
	return nil
}

// encodeRecords encodes records as the store keeps them, on all cores.
func encodeRecords(recs []resindex.Record) [][]byte {
	out := make([][]byte, len(recs))
	n, w := len(recs), runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for j := range w {
		wg.Go(func() {
			for i := j * n / w; i < (j+1)*n/w; i++ {
				out[i] = layout.EncodeRecord(&recs[i])
			}
		})
	}
	wg.Wait()
	return out
}
