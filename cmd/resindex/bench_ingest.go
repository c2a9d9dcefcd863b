package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/connectors/file"
	"github.com/resindex/resindex/internal/searchbench"
	"github.com/resindex/resindex/resolver"
)

// whileIngesting runs measure; with canonical timelines to ingest, it
// runs it while they are applied through the same engine on a goroutine,
// as a server's searches run while Kafka feeds it. The searches start
// once the first change has been applied, and when they end the ingest
// stops after the change in hand: its positions are stored with each
// change, so the same 'ingest --canonical --since' resumes where it
// stopped and the store stays consistent.
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
	ictx, stop := context.WithCancel(ctx)
	defer stop()
	ca := &countingApplier{eng: eng, started: make(chan struct{})}
	done := make(chan error, 1)
	go func() {
		_, err := file.Replay(ictx, ca, stream, tl.Changes, e.stderr, nil)
		ca.start() // an empty timeline must not hold the searches back
		done <- err
	}()
	<-ca.started
	before := ca.applied.Load()
	results, err := measure()
	during := ca.applied.Load() - before
	stop()
	if ierr := <-done; ierr != nil && !errors.Is(ierr, context.Canceled) {
		return nil, fmt.Errorf("ingest during the searches: %w", ierr)
	}
	fmt.Fprintf(e.stdout, "ingesting %d changes from %v while searching: %d applied during the searches (%d in all)\n",
		len(tl.Changes), c.canonical, during, ca.applied.Load())
	return results, err
}

// countingApplier applies through the engine and counts the changes
// applied, signalling the first.
type countingApplier struct {
	eng     *resolver.Engine
	applied atomic.Int64
	once    sync.Once
	started chan struct{}
}

func (a *countingApplier) Apply(rec resindex.Record, pos resindex.Position) (bool, error) {
	ok, err := a.eng.Apply(rec, pos)
	if err == nil {
		a.applied.Add(1)
		a.start()
	}
	return ok, err
}

func (a *countingApplier) start() { a.once.Do(func() { close(a.started) }) }
