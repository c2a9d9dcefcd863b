package resolver

import (
	"errors"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// bulkBatch is how many keys the encoder hands the writer at a time.
const bulkBatch = 4096

// bulkKV is one key and value for the writer.
type bulkKV struct{ k, v []byte }

// bulkIndex writes the records, their blocking, postcode and UPRN entries,
// the term-frequency counts and the review queue, in key order kind by
// kind, then marks the store as indexed. The keys are made and encoded on
// one goroutine while another hands them to the batch (and Badger's own
// writer a third).
func bulkIndex(batch Batcher, recs []resindex.Record, byKey map[resindex.RecordKey]int, res *LinkResult, pl *bulkPlan, stream string, progress func(string, int, int)) error {
	ch := make(chan []bulkKV, 8)
	stop := make(chan struct{})
	go func() {
		defer close(ch)
		e := &bulkEncoder{ch: ch, stop: stop}
		e.write(recs, byKey, res, pl, progress)
	}()
	err := batch(func(set func(key, val []byte) error) error {
		for kvs := range ch {
			for _, kv := range kvs {
				if err := set(kv.k, kv.v); err != nil {
					return err
				}
			}
		}
		// Last, so that it commits only with everything before it.
		return set(layout.BulkLoad, []byte(bulkPersons+":"+stream))
	})
	close(stop)
	for range ch { // let the encoder end if the batch ended early
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
func (e *bulkEncoder) write(recs []resindex.Record, byKey map[resindex.RecordKey]int, res *LinkResult, pl *bulkPlan, progress func(string, int, int)) {
	steps := []func() error{
		func() error { return e.blocks(res, pl, progress) },
		func() error { return e.counts(pl) },
		func() error { return e.entries(pl) },
		func() error { return e.records(recs, byKey, res, progress) },
		func() error { return e.put(layout.RecordsCount, layout.EncodeCount(int64(len(res.Keys)))) },
		func() error { return bulkReviewQueue(res, e.put) },
		e.flush,
	}
	for _, step := range steps {
		if step() != nil {
			return
		}
	}
}

func (e *bulkEncoder) blocks(res *LinkResult, pl *bulkPlan, progress func(string, int, int)) error {
	for j, b := range pl.blocks {
		if err := e.put(layout.Block(b.h, pl.sortKeys[b.i], res.Keys[b.i]), nil); err != nil {
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
func (e *bulkEncoder) records(recs []resindex.Record, byKey map[resindex.RecordKey]int, res *LinkResult, progress func(string, int, int)) error {
	for i, k := range res.Keys {
		if err := e.put(layout.Record(k), layout.EncodeRecord(&recs[byKey[k]])); err != nil {
			return err
		}
		if i%65536 == 0 {
			progress("writing records", i, len(res.Keys))
		}
	}
	return nil
}
