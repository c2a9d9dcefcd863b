package file

import (
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/internal/ndjson"
)

// Background replays a timeline on a goroutine while its caller does
// something else through the same engine, as a server's searches run
// while Kafka feeds it (bench measures searches this way). Stopping it
// ends the replay after the change in hand: positions are stored with
// each change, so replaying the same timeline again resumes where it
// stopped and the store stays consistent.
type Background struct {
	a       Applier
	applied atomic.Int64
	once    sync.Once
	started chan struct{}
	stop    context.CancelFunc
	done    chan error
	// stopOnce takes the replay's error from done once; err keeps it.
	stopOnce sync.Once
	err      error
}

// StartReplay starts replaying changes on a goroutine (see Replay): in
// groups if a applies groups, when stopping ends the replay after the
// group in hand.
func StartReplay(ctx context.Context, a Applier, stream string, changes []ndjson.HeaderLine, log io.Writer) *Background {
	ctx, stop := context.WithCancel(ctx)
	b := &Background{a: a, started: make(chan struct{}), stop: stop, done: make(chan error, 1)}
	go func() {
		var through Applier = b
		if _, ok := a.(GroupApplier); ok {
			through = grouped{b}
		}
		_, err := Replay(ctx, through, stream, changes, log, nil)
		b.start() // an empty timeline must not hold the caller back
		b.done <- err
	}()
	return b
}

// Apply applies through the caller's applier, counting the changes
// applied and signalling the first.
func (b *Background) Apply(rec resindex.Record, pos resindex.Position) (bool, error) {
	ok, err := b.a.Apply(rec, pos)
	if err == nil {
		b.applied.Add(1)
		b.start()
	}
	return ok, err
}

// grouped is a Background whose applier applies groups: a replay
// through it applies groups too (one at a time otherwise).
type grouped struct{ *Background }

// ApplyGroup applies a group through the caller's applier, counting as
// Apply does.
func (g grouped) ApplyGroup(recs []resindex.Record, ps []resindex.Position) ([]bool, error) {
	out, err := g.a.(GroupApplier).ApplyGroup(recs, ps)
	if len(out) > 0 {
		g.applied.Add(int64(len(out)))
		g.start()
	}
	return out, err
}

func (b *Background) start() { b.once.Do(func() { close(b.started) }) }

// Started is closed once the first change has been applied, or the
// replay has ended without one.
func (b *Background) Started() <-chan struct{} { return b.started }

// Applied counts the changes applied so far (including those that had no
// effect: a repeated version).
func (b *Background) Applied() int64 { return b.applied.Load() }

// Stop ends the replay after the change in hand and returns its error:
// none when it was stopped or had finished. Stopping again returns the
// same.
func (b *Background) Stop() error {
	b.stop()
	b.stopOnce.Do(func() { b.err = <-b.done })
	if b.err != nil && !errors.Is(b.err, context.Canceled) {
		return b.err
	}
	return nil
}
