package main

import (
	"context"
	"fmt"
	"slices"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/internal/cli"
	"github.com/resindex/resindex/internal/searchbench"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
)

// benchConfig is what bench is asked to measure.
type benchConfig struct {
	queries int
	seed    uint64
	role    string // api: the role the searches are made in
	// ingest, when it names canonical timelines, is applied on a
	// goroutine of this process while the searches run.
	ingest ingestConfig
}

// runBench measures the index in place. `bench search` times searches a
// member of staff would make, built from records drawn at random from the
// store, and reports latency and how often the right person is in the
// first ten results; `bench api` makes them through the JSON API, and
// `bench ui` through the staff UI's pages (each search's first person's
// page and household page too). It prints figures only, never resident
// data.
func runBench(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || (args[0] != "search" && args[0] != "api" && args[0] != "ui") {
		return fmt.Errorf("want 'bench search|api|ui --data DIR [--queries N] [--seed S]': %w", errUsage)
	}
	fs := cli.NewFlags(e.stderr, "bench "+args[0], "--data DIR [--config FILE] [--model FILE] [--queries 1000] [--seed 1] [--role ROLE] [--ingest-canonical DIR --ingest-since DATE]")
	cf := addConfigFlags(fs, true)
	var c benchConfig
	fs.IntVar(&c.queries, "queries", 1000, "records to draw; each gives up to three queries")
	fs.Uint64Var(&c.seed, "seed", 1, "seed for drawing records")
	fs.StringVar(&c.role, "role", "safeguarding", "api and ui: the role the searches are made in")
	fs.Var((*cli.Multi)(&c.ingest.canonical), "ingest-canonical", "apply this canonical timeline (file or directory of *.ndjson, repeatable) to the store while the searches run, as 'ingest --canonical' does, in this process")
	fs.StringVar(&c.ingest.since, "ingest-since", "", "with --ingest-canonical: apply only versions at or after this moment (a date or an RFC 3339 time), as 'ingest --since' does")
	if err := cli.Parse(fs, args[1:]); err != nil {
		return err
	}
	m, err := cf.main()
	if err != nil {
		return err
	}
	if m.Config.Data == "" || c.queries <= 0 {
		fs.Usage()
		return fmt.Errorf("--data and a positive --queries are required: %w", errUsage)
	}
	if c.ingest.since != "" && len(c.ingest.canonical) == 0 {
		return fmt.Errorf("--ingest-since needs --ingest-canonical: %w", errUsage)
	}
	c.ingest.quiet = true
	defer m.Close()
	if err := m.OpenEngine(engineSetup{preload: true}); err != nil {
		return err
	}
	switch args[0] {
	case "api":
		return benchAPI(ctx, e, m, c, nil)
	case "ui":
		return benchAPI(ctx, e, m, c, &uiPages{})
	}
	return benchSearch(ctx, e, m.DB, m.Engine, c)
}

// benchSearch times searches made straight through the engine.
func benchSearch(ctx context.Context, e *env, db *store.DB, eng *resolver.Engine, c benchConfig) error {
	drawn, err := draw(db, c, func(id string) string { return id })
	if err != nil {
		return err
	}
	search := func(q resindex.Query, want string) (bool, error) {
		hits, err := eng.Search(q, 10)
		return slices.ContainsFunc(hits, func(h resindex.Hit) bool { return h.PersonID == want }), err
	}
	results, err := whileIngesting(ctx, e, eng, c.ingest, func() (searchbench.Results, error) {
		return searchbench.Run(drawn, nil, search)
	})
	if err != nil {
		return err
	}
	results.Print(e.stdout, len(drawn))
	return nil
}

// draw draws records at random from the store, each with its person as
// the search names it.
func draw(db *store.DB, c benchConfig, name func(personID string) string) ([]searchbench.Drawn, error) {
	sample, err := resolver.Sample(db, c.queries, c.seed)
	if err != nil {
		return nil, err
	}
	drawn := make([]searchbench.Drawn, len(sample))
	for i, s := range sample {
		drawn[i] = searchbench.Drawn{Record: s.Record, Want: name(s.PersonID)}
	}
	return drawn, nil
}
