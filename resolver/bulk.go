package resolver

import (
	"cmp"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// Batcher writes outside transactions, in batches that commit as they
// fill (store.DB.Chunked): for a bulk load, which is made resumable by
// its own marks instead.
type Batcher func(fn func(set func(key, val []byte) error) error) error

// BulkOptions configure a bulk load.
type BulkOptions struct {
	Engine EngineOptions
	// Stream names the load, for the marks that let a crashed load resume.
	Stream string
	// Progress, if set, is called with a stage and counts.
	Progress func(stage string, done, total int)
	// Stop, if set, is asked between groups of persons whether to stop.
	Stop func() bool
	// NoEngine: the caller needs no engine over the loaded store (ingest,
	// which exits), so BulkLoad returns nil and spares loading one.
	NoEngine bool
	// Fill, if set, writes the records and indexes straight into the
	// store's tables instead of through the Batcher: several times
	// faster, for a new store (store.DB.Fill).
	Fill Filler
}

// The bulk-load key (layout.BulkLoad) records a bulk load's stage and stream: "indexing:<stream>"
// while records and indexes are written, "persons:<stream>" while persons
// are, "done:<stream>" after. Engines other than the load's refuse a
// store whose load is not done.

// Bulk load stages.
const (
	bulkIndexing = "indexing"
	bulkPersons  = "persons"
	bulkDone     = "done"
)

// bulkPersonsPerChange is how many persons one transaction of a bulk load
// writes: far within a transaction's limit, few enough commits.
const bulkPersonsPerChange = 500

// BulkLoad fills an empty store with records (one version each, none
// deleted): the first load of a council's systems. The batch linker
// clusters them (all cores, as `link` does); their index entries and
// counts are written in batches; then the persons are written through the
// engine, a few hundred per transaction, with golden records, households
// and the change feed, exactly as changes would write them. A load that
// stops part way (stop returning true, or a crash) resumes when run again
// with the same stream and records. It returns the engine over the loaded
// store and the persons made.
func BulkLoad(s Store, batch Batcher, recs []resindex.Record, opts BulkOptions) (*Engine, int, error) {
	progress := opts.Progress
	if progress == nil {
		progress = func(string, int, int) {}
	}
	stage, err := bulkStage(s, opts.Stream)
	if err != nil {
		return nil, 0, err
	}
	eo := opts.Engine
	if eo.Population == 0 {
		eo.Population = cmp.Or(eo.InitialPopulation, len(recs))
	}
	eo.bulkLoad = true
	if stage == bulkDone { // this very load, run again: nothing to do
		e, err := NewEngine(s, eo)
		if e != nil {
			e.opts.bulkLoad = false
		}
		return e, 0, err
	}
	lo := LinkOptions{Model: eo.Model, MaxBlock: eo.MaxBlock, Window: eo.Window, Population: eo.Population, Progress: progress}
	if eo.Model == nil {
		// No model pinned: the store's is fitted to its first load, and
		// kept (settings) so that every later change scores as it did.
		lo.Fit = &FitOptions{Seed: 1}
	}
	res, err := Link(recs, lo)
	if err != nil {
		return nil, 0, err
	}
	eo.Model = res.Scorer.Model()
	// The persons' engine is made before the index is written: over an
	// empty store it loads nothing, and writing persons needs none of the
	// index in memory (a resumed load's loads what the store holds).
	e, err := NewEngine(s, eo)
	if err != nil {
		return nil, 0, err
	}
	byKey := make(map[resindex.RecordKey]int, len(recs))
	for i := range recs {
		byKey[recs[i].Key()] = i
	}
	// From here the records are held encoded, as the store keeps them:
	// a quarter of the memory (the caller's records can go).
	enc, newest := encodeRecords(recs), newestVersions(recs)
	pl := planBulk(res)
	// Planned: the profiles, a kilobyte or so a record, go before the
	// index is written, and the rest of the link with the index.
	res.Profiles = nil
	persons := clustersOf(res)
	uprn := slices.Clone(pl.uprn())
	if stage == "" || stage == bulkIndexing {
		if err := setBulkStage(s, bulkIndexing, opts.Stream); err != nil {
			return nil, 0, err
		}
		ix := bulkInput{enc: enc, byKey: byKey, res: res, plan: pl, progress: progress}
		if err := bulkIndex(s, batch, opts.Fill, ix, opts.Stream); err != nil {
			return nil, 0, err
		}
	}
	if err := writeBulkPersons(e, persons, enc, byKey, newest, uprn, opts, progress); err != nil {
		return nil, 0, err
	}
	if err := setBulkStage(s, bulkDone, opts.Stream); err != nil {
		return nil, 0, err
	}
	if opts.NoEngine {
		return nil, len(persons), nil
	}
	// Loaded: from here the engine's changes are news. It is made afresh,
	// loading the indexes the persons' engine was made without.
	eo.bulkLoad = false
	e, err = NewEngine(s, eo)
	if err != nil {
		return nil, 0, err
	}
	return e, len(persons), nil
}

// newestVersions is each source's latest version time among records
// (RFC 3339; sources without one are left out).
func newestVersions(recs []resindex.Record) map[string]string {
	newest := map[string]time.Time{}
	for i := range recs {
		if v, err := time.Parse(time.RFC3339, recs[i].Version); err == nil && v.After(newest[recs[i].Source]) {
			newest[recs[i].Source] = v
		}
	}
	out := make(map[string]string, len(newest))
	for src, v := range newest {
		out[src] = v.Format(time.RFC3339)
	}
	return out
}

// ErrLoadStopped is returned by a bulk load asked to stop; run it again
// to resume. It is of kind resindex.ErrUnavailable.
var ErrLoadStopped = resindex.NewError(resindex.ErrUnavailable, "resolver: bulk load stopped before the end; run it again to resume")

// bulkStage returns the stage of this stream's interrupted load ("" for
// an empty store), or an error if the store cannot take the load.
func bulkStage(s Store, stream string) (string, error) {
	stage := ""
	err := s.View(func(t resindex.Txn) error {
		v, err := t.Get(layout.BulkLoad)
		switch {
		case err == nil:
			st, str, _ := strings.Cut(string(v), ":")
			if str != stream {
				return errors.New("resolver: the store already holds a bulk load: load into a new store, or apply changes to this one")
			}
			stage = st
			return nil
		case !errors.Is(err, resindex.ErrNotFound):
			return err
		}
		return t.ScanKeys([]byte(layout.RecordPrefix), func([]byte) error {
			return errors.New("resolver: a bulk load needs an empty store; apply changes to this one instead")
		})
	})
	return stage, err
}

func setBulkStage(s Store, stage, stream string) error {
	return s.Update(func(t resindex.Txn) error { return t.Set(layout.BulkLoad, []byte(stage+":"+stream)) })
}

// checkBulk refuses a store whose bulk load has not finished.
func checkBulk(s Store) error {
	return s.View(func(t resindex.Txn) error {
		v, err := t.Get(layout.BulkLoad)
		if errors.Is(err, resindex.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if st, _, _ := strings.Cut(string(v), ":"); st != bulkDone {
			return errors.New("resolver: the store's bulk load has not finished: run the same `ingest --bulk` again to finish it")
		}
		return nil
	})
}

// clustersOf groups a link's records by person, in the order each
// person's first record comes.
func clustersOf(res *LinkResult) [][]resindex.RecordKey {
	index := map[string]int{}
	var out [][]resindex.RecordKey
	for i, k := range res.Keys {
		pid := res.PersonIDs[i]
		j, ok := index[pid]
		if !ok {
			j = len(out)
			index[pid] = j
			out = append(out, nil)
		}
		out[j] = append(out[j], k)
	}
	return out
}

// bulkReviewQueue queues the linked pairs in the review band that the
// clustering left in different persons.
func bulkReviewQueue(res *LinkResult, set func(key, val []byte) error) error {
	m := res.Scorer.Model()
	for _, ed := range res.Edges {
		if ed.Weight >= m.LinkThreshold || res.PersonIDs[ed.A] == res.PersonIDs[ed.B] {
			continue
		}
		if err := set(layout.Review(res.Keys[ed.A], res.Keys[ed.B]), nil); err != nil {
			return err
		}
	}
	return nil
}
