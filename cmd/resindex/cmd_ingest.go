package main

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/evaluate"
	"github.com/resindex/resindex/internal/ndjson"
	"github.com/resindex/resindex/matcher"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
)

func runIngest(e *env, args []string) error {
	fs := newFlags(e, "ingest", "(--canonical DIR | --source NAME --file PATH [--full]) --data DIR [--key-file FILE] [--model model.json] [--config FILE]")
	var ins multiFlag
	fs.Var(&ins, "canonical", "canonical NDJSON file, or a directory of *.ndjson (repeatable)")
	ef := addEngineFlags(fs)
	population := fs.Int("population", 0, "records the prior is reckoned for, fixed when the store is built (default: the configuration's, else the records in the input)")
	var sel selection
	fs.StringVar(&sel.since, "since", "", "apply only versions at or after this moment (a date, 2006-01-02, meaning its midnight UTC, or an RFC 3339 time)")
	fs.StringVar(&sel.before, "before", "", "apply only versions before this moment (a date or an RFC 3339 time)")
	fs.BoolVar(&sel.latest, "latest", false, "apply only each record's newest version in range: a snapshot load, for an initial load of a council's records")
	bulk := fs.Bool("bulk", false, "load each record's newest version in range into an empty store through the batch linker: the fast first load of a council's records (implies --latest)")
	source := fs.String("source", "", "with --file: the source system the extract comes from (its mapping reads it)")
	extract := fs.String("file", "", "an extract of one source system (CSV, NDJSON or a JSON document), read through the source's mapping")
	full := fs.Bool("full", false, "with --file: the extract is complete, so the source's records missing from it are deleted")
	mappings := fs.String("mappings", "", "directory of the council's own source mappings (YAML), added to the shipped ones")
	asOf := fs.String("as-of", "", "with --file: the time the extract was taken (RFC 3339; default the file's modification time): the version of rows that carry none, and of --full's deletes")
	maxDelete := fs.Float64("max-delete-share", 0.5, "with --full: refuse to delete more than this share of the source's records (a wrong or cut-short file)")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile here (for performance work)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := ef.resolve(); err != nil {
		return err
	}
	if *source != "" || *extract != "" {
		return ingestExtract(e, ef, extractOptions{source: *source, path: *extract, full: *full, mappings: *mappings, quiet: *quiet,
			asOf: *asOf, maxDeleteShare: *maxDelete})
	}
	if len(ins) == 0 || *ef.data == "" {
		fs.Usage()
		return fmt.Errorf("--canonical (or --source and --file) and --data are required: %w", errUsage)
	}
	if err := sel.parse(); err != nil {
		return err
	}
	stop, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stop()
	model, err := ef.loadModel()
	if err != nil {
		return err
	}
	prog := newProgress(e.stderr, *quiet)
	changes, keys, err := readTimeline(e, ins, prog)
	if err != nil {
		return err
	}
	sel.latest = sel.latest || *bulk
	changes = sel.apply(changes)
	stream, err := sel.stream(ins)
	if err != nil {
		return err
	}
	if *bulk {
		return bulkLoad(e, ef, model, *population, stream, changes, prog)
	}
	prog.logf("opening the store")
	db, eng, err := ef.open(model, engineSetup{population: *population, initial: keys, preload: true})
	if err != nil {
		return err
	}
	defer db.Close()
	return replay(e, eng, stream, changes, prog)
}

// bulkLoad loads the newest versions into an empty store through the
// batch linker.
func bulkLoad(e *env, ef engineFlags, model *matcher.Model, population int, stream string, changes []ndjson.HeaderLine, prog *progress) error {
	start := time.Now()
	var recs []resindex.Record
	for _, c := range changes {
		if c.Header.Deleted {
			continue
		}
		rec, err := ndjson.DecodeRecord(c.Line)
		if err != nil {
			fmt.Fprintf(e.stderr, "%s:line %d: %v (skipped)\n", c.File, c.No, err)
			continue
		}
		recs = append(recs, rec)
	}
	db, err := ef.storeFlags.open()
	if err != nil {
		return err
	}
	defer db.Close()
	opts := ef.engineOptions(model, engineSetup{population: population})
	batch := func(fn func(set func(k, v []byte) error) error) error {
		return db.Chunked(func(w *store.Writer) error { return fn(w.Set) })
	}
	stop := func() bool { return e.context().Err() != nil }
	_, persons, err := resolver.BulkLoad(db, batch, recs, resolver.BulkOptions{Engine: opts, Stream: "bulk:" + stream, Progress: prog.update, Stop: stop})
	if err != nil {
		return err
	}
	if persons == 0 && len(recs) > 0 {
		prog.logf("bulk load: this input is loaded already; nothing to do")
		return nil
	}
	prog.logf("bulk load: %d records, %d persons in %.1f s", len(recs), persons, time.Since(start).Seconds())
	return nil
}

// selection picks the versions an ingest applies.
type selection struct {
	since, before string // as given: they name the stream (see stream)
	latest        bool
	// from and to are since and before as versions compare with them.
	from, to string
}

// parse checks the bounds and writes a date as its midnight UTC, so that
// versions compare with them as instants (CompareVersions), whatever
// their offsets and fractions.
func (s *selection) parse() error {
	for _, b := range []struct {
		flag    string
		in, out *string
	}{{"--since", &s.since, &s.from}, {"--before", &s.before, &s.to}} {
		t, err := optionalTime(b.flag, *b.in)
		if err != nil {
			return err
		}
		if !t.IsZero() {
			*b.out = t.Format(time.RFC3339Nano)
		}
	}
	return nil
}

// apply filters a timeline in version order.
func (s selection) apply(changes []ndjson.HeaderLine) []ndjson.HeaderLine {
	out := changes[:0]
	for _, c := range changes {
		v := c.Header.Version
		if (s.from == "" || resindex.CompareVersions(v, s.from) >= 0) && (s.to == "" || resindex.CompareVersions(v, s.to) < 0) {
			out = append(out, c)
		}
	}
	clear(changes[len(out):]) // let the lines not kept be freed
	if !s.latest {
		return out
	}
	// The timeline is in version order, so a record's last entry is its
	// newest version.
	last := map[resindex.RecordKey]int{}
	for i, c := range out {
		last[c.Header.Key()] = i
	}
	snap := out[:0]
	for i, c := range out {
		if last[c.Header.Key()] == i {
			snap = append(snap, c)
		}
	}
	clear(out[len(snap):])
	return snap
}

// stream names the source position of an ingest: the input files (name,
// size, modification time) and the selection. Rerunning the same ingest
// after a crash resumes where it stopped; another input or selection is
// another stream and is applied in full (versions already stored are
// no-ops).
func (s selection) stream(ins []string) (string, error) {
	files, err := inputFiles(ins)
	if err != nil {
		return "", err
	}
	h, err := inputsHash(files, fmt.Sprintf("since=%s before=%s latest=%t", s.since, s.before, s.latest))
	return "ingest:" + h, err
}

// inputsHash names a set of input files (path, size, modification time)
// and how they are read: the same input read the same way has the same
// name, so a rerun resumes where the last stopped.
func inputsHash(files []string, how string) (string, error) {
	h := sha256.New()
	for _, name := range files {
		fi, err := os.Stat(name)
		if err != nil {
			return "", fmt.Errorf("input: %w", err)
		}
		abs, _ := filepath.Abs(name)
		fmt.Fprintf(h, "%s\x00%d\x00%d\n", abs, fi.Size(), fi.ModTime().UnixNano())
	}
	fmt.Fprint(h, how)
	return hex.EncodeToString(h.Sum(nil)[:8]), nil
}

// readTimeline reads every version of every record and puts them in
// version order (then file and line, so the order, and the positions
// derived from it, are the same on every run).
func readTimeline(e *env, ins []string, prog *progress) ([]ndjson.HeaderLine, int, error) {
	files, err := inputFiles(ins)
	if err != nil {
		return nil, 0, err
	}
	var out []ndjson.HeaderLine
	keys := map[resindex.RecordKey]bool{}
	r := &lineReport{e: e}
	for _, name := range files {
		if err := readChanges(name, &out, keys, r, prog); err != nil {
			return nil, 0, err
		}
	}
	slices.SortStableFunc(out, func(a, b ndjson.HeaderLine) int {
		if c := resindex.CompareVersions(a.Header.Version, b.Header.Version); c != 0 {
			return c
		}
		if c := cmp.Compare(a.File, b.File); c != 0 {
			return c
		}
		return cmp.Compare(a.No, b.No)
	})
	return out, len(keys), nil
}

func readChanges(name string, out *[]ndjson.HeaderLine, keys map[resindex.RecordKey]bool, r *lineReport, prog *progress) error {
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("input: %w", err)
	}
	defer f.Close()
	_, err = ndjson.ReadHeaders(f, runtime.GOMAXPROCS(0), func(hl ndjson.HeaderLine) {
		hl.File = name
		*out = append(*out, hl)
		keys[hl.Header.Key()] = true
		if len(*out)%16384 == 0 {
			prog.update("reading", len(*out), 0)
		}
	}, func(le *ndjson.LineError) { r.bad(name, le) })
	return err
}

// replay applies the timeline through the engine. Positions number the
// changes in timeline order, so a rerun after a crash skips what was
// applied and applies each change exactly once.
func replay(e *env, eng *resolver.Engine, stream string, changes []ndjson.HeaderLine, prog *progress) error {
	applied := 0
	lat := make([]time.Duration, 0, len(changes))
	start := time.Now()
	ctx := e.context()
	defer func() { reportReplay(prog, eng, len(changes), applied, time.Since(start), lat) }()
	for i, c := range changes {
		if ctx.Err() != nil {
			prog.logf("stopped after %d of %d changes; run the same command again to resume", i, len(changes))
			return fmt.Errorf("interrupted: %w", ctx.Err())
		}
		rec, err := ndjson.DecodeRecord(c.Line)
		if err != nil {
			fmt.Fprintf(e.stderr, "%s:line %d: %v (skipped)\n", c.File, c.No, err)
			continue
		}
		t0 := time.Now()
		ok, err := eng.Apply(rec, resindex.Position{Stream: stream, Offset: int64(i + 1)})
		if err != nil {
			return err
		}
		lat = append(lat, time.Since(t0))
		if ok {
			applied++
		}
		prog.update("applying", i+1, len(changes))
	}
	return nil
}

// reportReplay sums up an ingest: throughput, latency and the engine's
// work per change.
func reportReplay(prog *progress, eng *resolver.Engine, read, applied int, el time.Duration, lat []time.Duration) {
	prog.logf("%d changes read, %d took effect, in %.1f s: %.0f changes/s; apply latency %s",
		read, applied, el.Seconds(), float64(len(lat))/el.Seconds(), latencySummary(lat))
	if st := eng.Stats(); st.Changes > 0 {
		prog.logf("per change: %.1f candidates compared, %.1f records re-clustered; %.0f%% of changes had nothing new for the matcher",
			float64(st.Candidates)/float64(st.Changes), float64(st.Reclustered)/float64(st.Changes), 100*float64(st.Unchanged)/float64(st.Changes))
	}
}

// latencySummary gives the median, 99th percentile and maximum of a set
// of durations, in milliseconds.
func latencySummary(d []time.Duration) string {
	if len(d) == 0 {
		return "n/a"
	}
	slices.Sort(d)
	q := func(p float64) float64 { return float64(d[int(p*float64(len(d)-1))]) / 1e6 }
	return fmt.Sprintf("p50 %.2f ms, p99 %.2f ms, max %.2f ms", q(0.5), q(0.99), q(1))
}

func runExport(e *env, args []string) error {
	if len(args) > 0 && args[0] == "changes" {
		return storeToFile(e, "export changes", "change feed to write (NDJSON, one entry a line with its sequence number)", args[1:], writeChanges)
	}
	if len(args) > 0 && args[0] == "model" {
		return storeToFile(e, "export model", "match model JSON to write (the model the store was built with, for link --model)", args[1:], writeStoredModel)
	}
	if len(args) == 0 || args[0] != "clusters" {
		return fmt.Errorf("want 'export clusters', 'export changes' or 'export model' with --data DIR --out FILE: %w", errUsage)
	}
	return storeToFile(e, "export clusters", "clusters CSV to write (source,id,person_id)", args[1:], func(db *store.DB, w io.Writer) error {
		var as []resindex.Assignment
		if err := resolver.Export(db, func(a resindex.Assignment) error { as = append(as, a); return nil }); err != nil {
			return err
		}
		return evaluate.WriteAssignments(w, as)
	})
}

// openStore opens the store a command works on.
func openStore(dir, keyFile string) (*store.DB, error) {
	opts, err := storeOptions(dir, keyFile)
	if err != nil {
		return nil, err
	}
	return store.Open(opts)
}

// writeStoredModel writes the store's model as JSON.
func writeStoredModel(db *store.DB, w io.Writer) error {
	m, ok, err := resolver.StoredModel(db)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("export model: the store holds no model yet (it is kept from the first change or bulk load)")
	}
	data, err := m.MarshalIndent()
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// writeChanges writes the outbox as NDJSON: {"seq":N,"change":{…}}.
func writeChanges(db *store.DB, w io.Writer) error {
	return db.Outbox(0, 0, func(seq uint64, payload []byte) error {
		_, err := fmt.Fprintf(w, "{\"seq\":%d,\"change\":%s}\n", seq, payload)
		return err
	})
}
