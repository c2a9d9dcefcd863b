package main

import (
	"context"
	"fmt"
	"time"

	"github.com/resindex/resindex/connectors/file"
	"github.com/resindex/resindex/internal/cli"
	"github.com/resindex/resindex/internal/latency"
	"github.com/resindex/resindex/internal/ndjson"
	"github.com/resindex/resindex/internal/progress"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
)

// ingestConfig is what an ingest of canonical timelines is asked to do.
type ingestConfig struct {
	canonical  []string
	population int
	since      string // as given: with before and latest they name the stream
	before     string
	latest     bool
	bulk       bool
	quiet      bool
	cpuProfile string
	group      int
}

func runIngest(ctx context.Context, e *env, args []string) error {
	fs := cli.NewFlags(e.stderr, "ingest", "(--canonical DIR | --source NAME --file PATH [--full]) --data DIR [--key-file FILE] [--model model.json] [--config FILE]")
	var c ingestConfig
	fs.Var((*cli.Multi)(&c.canonical), "canonical", "canonical NDJSON file, or a directory of *.ndjson (repeatable)")
	cf := addConfigFlags(fs, true)
	fs.IntVar(&c.population, "population", 0, "records the prior is reckoned for, fixed when the store is built (default: the configuration's, else the records in the input)")
	fs.StringVar(&c.since, "since", "", "apply only versions at or after this moment (a date, 2006-01-02, meaning its midnight UTC, or an RFC 3339 time)")
	fs.StringVar(&c.before, "before", "", "apply only versions before this moment (a date or an RFC 3339 time)")
	fs.BoolVar(&c.latest, "latest", false, "apply only each record's newest version in range: a snapshot load, for an initial load of a council's records")
	fs.BoolVar(&c.bulk, "bulk", false, "load each record's newest version in range into an empty store through the batch linker: the fast first load of a council's records (implies --latest)")
	var x extractConfig
	fs.StringVar(&x.Source, "source", "", "with --file: the source system the extract comes from (its mapping reads it)")
	fs.StringVar(&x.Path, "file", "", "an extract of one source system (CSV, NDJSON or a JSON document), read through the source's mapping")
	fs.BoolVar(&x.Full, "full", false, "with --file: the extract is complete, so the source's records missing from it are deleted")
	fs.StringVar(&x.mappings, "mappings", "", "directory of the council's own source mappings (YAML), added to the shipped ones")
	fs.StringVar(&x.AsOf, "as-of", "", "with --file: the time the extract was taken (RFC 3339; default the file's modification time): the version of rows that carry none, and of --full's deletes")
	fs.Float64Var(&x.MaxDeleteShare, "max-delete-share", 0.5, "with --full: refuse to delete more than this share of the source's records (a wrong or cut-short file)")
	fs.BoolVar(&c.quiet, "quiet", false, "no progress on stderr")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile here (for performance work)")
	fs.IntVar(&c.group, "group-size", file.DefaultGroup, "apply up to this many changes in one store transaction, each with its own position (1: one at a time)")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	m, err := cf.main()
	if err != nil {
		return err
	}
	m.Create = true // ingest makes the store it loads
	defer m.Close()
	if err := c.refuseShared(m, e.stderr); err != nil {
		return err
	}
	if x.Source != "" || x.Path != "" {
		x.quiet = c.quiet
		return ingestExtract(ctx, e, m, x)
	}
	if len(c.canonical) == 0 || m.Config.Data == "" {
		fs.Usage()
		return fmt.Errorf("--canonical (or --source and --file) and --data are required: %w", errUsage)
	}
	stop, err := cli.CPUProfile(c.cpuProfile)
	if err != nil {
		return err
	}
	defer stop()
	return ingestCanonical(ctx, e, m, c)
}

// ingestCanonical applies canonical timelines to m's store: change by
// change through the engine, or with bulk through the batch linker. The
// caller closes m.
func ingestCanonical(ctx context.Context, e *env, m *Main, c ingestConfig) error {
	sel, err := c.selection()
	if err != nil {
		return err
	}
	if err := m.LoadModel(); err != nil {
		return err
	}
	prog := progress.New(e.stderr, c.quiet)
	tl, stream, err := readTimeline(e, c.canonical, sel, prog)
	if err != nil {
		return err
	}
	if c.bulk {
		return bulkLoad(ctx, e, m, c.population, stream, tl.Changes, prog)
	}
	prog.Logf("opening the store")
	if err := m.OpenEngine(engineSetup{population: c.population, initial: tl.Records, preload: true}); err != nil {
		return err
	}
	r, err := file.ReplayGroups(ctx, m.Engine, stream, tl.Changes, e.stderr, prog, c.group)
	reportReplay(prog, m.Engine, r)
	return err
}

// selection reads the time bounds; bulk implies latest.
func (c ingestConfig) selection() (file.Selection, error) {
	sel := file.Selection{Since: c.since, Before: c.before, Latest: c.latest || c.bulk}
	var err error
	if sel.From, err = cli.Time("--since", c.since); err != nil {
		return sel, err
	}
	sel.To, err = cli.Time("--before", c.before)
	return sel, err
}

// readTimeline reads the inputs' timeline, keeps what the selection
// picks, and names the stream of their positions.
func readTimeline(e *env, ins []string, sel file.Selection, prog *progress.Progress) (file.Timeline, string, error) {
	files, err := file.InputFiles(ins)
	if err != nil {
		return file.Timeline{}, "", err
	}
	tl, err := file.ReadSelection(files, sel, &file.LineReport{W: e.stderr}, prog)
	if err != nil {
		return tl, "", err
	}
	stream, err := sel.Stream(files)
	return tl, stream, err
}

// bulkLoad loads the newest versions into an empty store through the
// batch linker.
func bulkLoad(ctx context.Context, e *env, m *Main, population int, stream string, changes []ndjson.HeaderLine, prog *progress.Progress) error {
	start := time.Now()
	recs := file.LiveRecords(changes, e.stderr)
	n := len(recs) // recs is not used after BulkLoad, which can let the records go as it encodes them
	if err := m.OpenStore(); err != nil {
		return err
	}
	batch := func(fn func(set func(k, v []byte) error) error) error {
		return m.DB.Chunked(func(w *store.Writer) error { return fn(w.Set) })
	}
	stop := func() bool { return ctx.Err() != nil }
	opts := resolver.BulkOptions{Engine: m.engineOptions(engineSetup{population: population}), Stream: "bulk:" + stream, Progress: prog.Update, Stop: stop, NoEngine: true, Fill: m.DB.Fill}
	_, persons, err := resolver.BulkLoad(m.DB, batch, recs, opts)
	if err != nil {
		return err
	}
	if persons == 0 && n > 0 {
		prog.Logf("bulk load: this input is loaded already; nothing to do")
		return nil
	}
	prog.Logf("bulk load: %d records, %d persons in %.1f s", n, persons, time.Since(start).Seconds())
	return nil
}

// reportReplay sums up an ingest: throughput, latency and the engine's
// work per change.
func reportReplay(prog *progress.Progress, eng *resolver.Engine, r file.Replayed) {
	prog.Logf("%d changes read, %d took effect, in %.1f s: %.0f changes/s; apply latency %s",
		r.Read, r.Applied, r.Elapsed.Seconds(), float64(len(r.Latency))/r.Elapsed.Seconds(), latency.Summary(r.Latency))
	if st := eng.Stats(); st.Changes > 0 {
		prog.Logf("per change: %.1f candidates compared, %.1f records re-clustered; %.0f%% of changes had nothing new for the matcher",
			float64(st.Candidates)/float64(st.Changes), float64(st.Reclustered)/float64(st.Changes), 100*float64(st.Unchanged)/float64(st.Changes))
	}
}
