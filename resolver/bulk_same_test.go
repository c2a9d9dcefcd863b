package resolver

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/matcher"
	"github.com/resindex/resindex/store"
	"github.com/resindex/resindex/synth"
)

// TestBulkLoadSameStore: the bulk load writes the very store the code
// before issue 18 wrote (legacyBulkLoad, kept below as it was), key for key
// and value for value, whole or stopped and resumed; only the store's own
// random identity differs.
func TestBulkLoadSameStore(t *testing.T) {
	recs := sameBorough(t, 1500, 7)
	now := func() time.Time { return time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC) }
	opts := BulkOptions{Stream: "b", Engine: EngineOptions{Now: now}}
	legacy := sameStore(t)
	if err := legacyBulkLoad(legacy, sameBatcher(legacy), recs, opts); err != nil {
		t.Fatal(err)
	}
	whole := sameStore(t)
	if _, _, err := BulkLoad(whole, sameBatcher(whole), recs, opts); err != nil {
		t.Fatal(err)
	}
	sameKeys(t, "whole", legacy, whole)

	resumed := sameStore(t)
	stopped := opts
	groups := 0
	stopped.Stop = func() bool { groups++; return groups > 2 }
	if _, _, err := BulkLoad(resumed, sameBatcher(resumed), recs, stopped); err != ErrLoadStopped {
		t.Fatalf("stopped load: err = %v", err)
	}
	opts.NoEngine = true
	if e, _, err := BulkLoad(resumed, sameBatcher(resumed), recs, opts); err != nil || e != nil {
		t.Fatalf("resumed load: engine %v, err %v", e, err)
	}
	sameKeys(t, "resumed", legacy, resumed)

	filled := sameStore(t)
	opts.Fill = filled.Fill
	if _, _, err := BulkLoad(filled, sameBatcher(filled), recs, opts); err != nil {
		t.Fatal(err)
	}
	sameKeys(t, "filled", legacy, filled)

	// A fill cut short part way leaves the load's mark; the load run
	// again fills afresh.
	cut := sameStore(t)
	opts.Fill = func(replace []string, head map[string][]byte, fn func(put func(k, v []byte) error) error) error {
		return cut.Fill(replace, head, func(put func(k, v []byte) error) error {
			n := 0
			return fn(func(k, v []byte) error {
				if n++; n > 5000 {
					return errors.New("cut short")
				}
				return put(k, v)
			})
		})
	}
	if _, _, err := BulkLoad(cut, sameBatcher(cut), recs, opts); err == nil {
		t.Fatal("a fill cut short: no error")
	}
	if stage, err := bulkStage(cut, opts.Stream); err != nil || stage != bulkIndexing {
		t.Fatalf("after a fill cut short: stage %q, err %v", stage, err)
	}
	opts.Fill = cut.Fill
	if _, _, err := BulkLoad(cut, sameBatcher(cut), recs, opts); err != nil {
		t.Fatal(err)
	}
	sameKeys(t, "filled again", legacy, cut)

	// A store that served before its first load holds an audit entry,
	// which sorts among the index's keys: the fill refuses it before
	// changing anything, and the load writes in batches instead.
	audited := sameStore(t)
	if _, err := audited.AppendAudit([]byte(`{"action":"search"}`)); err != nil {
		t.Fatal(err)
	}
	opts.Fill = audited.Fill
	if _, _, err := BulkLoad(audited, sameBatcher(audited), recs, opts); err != nil {
		t.Fatalf("a store with an audit entry: %v", err)
	}
	sameKeys(t, "audited", withAudit(t, legacy, audited), audited)
}

// withAudit is the reference store with the audit entries and head of
// another copied in (their times differ from store to store).
func withAudit(t *testing.T, ref, from *store.DB) *store.DB {
	t.Helper()
	out := sameStore(t)
	kept := dumpStore(t, from)
	err := out.Chunked(func(w *store.Writer) error {
		for k, v := range dumpStore(t, ref) {
			if err := w.Set([]byte(k), []byte(v)); err != nil {
				return err
			}
		}
		for k, v := range kept {
			if strings.HasPrefix(k, layout.AuditPrefix) || k == string(layout.AuditHead) {
				if err := w.Set([]byte(k), []byte(v)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameBorough(t testing.TB, persons int, seed uint64) []resindex.Record {
	cfg := synth.DefaultConfig()
	cfg.Persons, cfg.Seed = persons, seed
	b, err := synth.Generate(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	var all []resindex.Record
	for _, src := range resindex.Sources {
		all = append(all, b.Records[src]...)
	}
	return Latest(all)
}

func sameStore(t testing.TB) *store.DB {
	db, err := store.Open(store.Options{Dir: t.TempDir(), GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func sameBatcher(db *store.DB) Batcher {
	return func(fn func(set func(k, v []byte) error) error) error {
		return db.Chunked(func(w *store.Writer) error { return fn(w.Set) })
	}
}

// sameKeys fails unless the two stores hold the same keys and values but
// for the store's random identity.
func sameKeys(t *testing.T, name string, want, got *store.DB) {
	t.Helper()
	a, b := dumpStore(t, want), dumpStore(t, got)
	if len(a) < 10000 {
		t.Fatalf("%s: the reference store holds only %d keys", name, len(a))
	}
	bad := 0
	for k, v := range a {
		if w, ok := b[k]; !ok || !bytes.Equal([]byte(v), []byte(w)) {
			if bad++; bad <= 5 {
				t.Errorf("%s: key %q: got %q (held %v), want %q", name, k, w, ok, v)
			}
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			if bad++; bad <= 10 {
				t.Errorf("%s: key %q not in the reference store", name, k)
			}
		}
	}
	if bad > 0 {
		t.Fatalf("%s: %d keys differ of %d", name, bad, len(a))
	}
}

func dumpStore(t *testing.T, db *store.DB) map[string]string {
	out := map[string]string{}
	err := db.View(func(tx resindex.Txn) error {
		return tx.Scan(nil, func(k, v []byte) error {
			if !bytes.Equal(k, layout.StoreID) && !bytes.Equal(k, layout.Generation) {
				out[string(k)] = string(v)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// legacyBulkLoad is BulkLoad as it was before issue 18 (commit 7132c49):
// the reference the store must not move from.
func legacyBulkLoad(s Store, batch Batcher, recs []resindex.Record, opts BulkOptions) error {
	stage, err := bulkStage(s, opts.Stream)
	if err != nil || stage == bulkDone {
		return err
	}
	eo := opts.Engine
	if eo.Population == 0 {
		eo.Population = cmp.Or(eo.InitialPopulation, len(recs))
	}
	eo.bulkLoad = true
	lo := LinkOptions{Model: eo.Model, MaxBlock: eo.MaxBlock, Window: eo.Window, Population: eo.Population}
	if eo.Model == nil {
		lo.Fit = &FitOptions{Seed: 1}
	}
	res, err := Link(recs, lo)
	if err != nil {
		return err
	}
	eo.Model = res.Scorer.Model()
	if err := setBulkStage(s, bulkIndexing, opts.Stream); err != nil {
		return err
	}
	if err := legacyBulkIndex(batch, recs, res, opts.Stream); err != nil {
		return err
	}
	e, err := NewEngine(s, eo)
	if err != nil {
		return err
	}
	persons := clustersOf(res)
	newest := newestVersions(recs)
	for i := 0; i < len(persons); i += bulkPersonsPerChange {
		group := persons[i:min(i+bulkPersonsPerChange, len(persons))]
		pos := resindex.Position{Stream: opts.Stream, Offset: int64(i/bulkPersonsPerChange + 1)}
		_, err := e.transact(pos, func(o *change, t resindex.Txn) error {
			for src, v := range newest {
				if err := o.advanceClock(t, src, v); err != nil {
					return err
				}
			}
			for _, members := range group {
				pid, err := newPersonID(t)
				if err != nil {
					return err
				}
				if err := o.writePerson(t, pid, members, nil, ""); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("legacy bulk load persons: %w", err)
		}
	}
	return setBulkStage(s, bulkDone, opts.Stream)
}

func legacyBulkIndex(batch Batcher, recs []resindex.Record, res *LinkResult, stream string) error {
	byKey := make(map[resindex.RecordKey]int, len(recs))
	for i := range recs {
		byKey[recs[i].Key()] = i
	}
	counts := map[matcher.KindValue]int{}
	return batch(func(set func(key, val []byte) error) error {
		for i, k := range res.Keys {
			p := &res.Profiles[i]
			if err := set(layout.Record(k), layout.EncodeRecord(&recs[byKey[k]])); err != nil {
				return err
			}
			for key := range indexKeys(p) {
				if err := set([]byte(key), nil); err != nil {
					return err
				}
			}
			for _, kv := range matcher.Values(p) {
				counts[kv]++
			}
		}
		if err := bulkReviewQueue(res, set); err != nil {
			return err
		}
		for kv, n := range counts {
			if err := set(layout.Freq(byte(kv.Kind), kv.Value), layout.EncodeCount(int64(n))); err != nil {
				return err
			}
		}
		if err := set(layout.RecordsCount, layout.EncodeCount(int64(len(res.Keys)))); err != nil {
			return err
		}
		return set(layout.BulkLoad, []byte(bulkPersons+":"+stream))
	})
}
