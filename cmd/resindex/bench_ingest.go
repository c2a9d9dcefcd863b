package main

import (
	"context"
	"fmt"

	"github.com/resindex/resindex/connectors/file"
	"github.com/resindex/resindex/internal/searchbench"
	"github.com/resindex/resindex/resolver"
)

// whileIngesting runs measure; with canonical timelines to ingest, it
// runs it while they are applied through the same engine on a goroutine
// (see file.Background). The searches start once the first change has
// been applied, and when they end the ingest stops after the change in
// hand, so the same 'ingest --canonical --since' resumes where it stopped.
func whileIngesting(ctx context.Context, e *env, eng *resolver.Engine, c ingestConfig, measure func() (searchbench.Results, error)) (searchbench.Results, error) {
	if len(c.canonical) == 0 {
		return measure()
	}
	sel, err := c.selection()
	if err != nil {
		return nil, err
	}
	tl, stream, err := readTimeline(e, c.canonical, sel, nil)
	if err != nil {
		return nil, err
	}
	bg := file.StartReplay(ctx, eng, stream, tl.Changes, e.stderr)
	<-bg.Started()
	before := bg.Applied()
	results, err := measure()
	during := bg.Applied() - before
	if ierr := bg.Stop(); ierr != nil {
		return nil, fmt.Errorf("ingest during the searches: %w", ierr)
	}
	fmt.Fprintf(e.stdout, "ingesting %d changes from %v while searching: %d applied during the searches (%d in all)\n",
		len(tl.Changes), c.canonical, during, bg.Applied())
	return results, err
}
