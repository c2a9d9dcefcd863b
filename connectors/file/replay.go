package file

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/internal/ndjson"
)

// Applier is what the file connector needs of the engine: apply one
// change, with its source position, and say whether it took effect. The
// engine stores the position with the change, so a rerun skips what was
// applied.
type Applier interface {
	Apply(rec resindex.Record, pos resindex.Position) (bool, error)
}

// GroupApplier is an Applier that also applies several changes in one
// transaction, each with its own position (the engine's ApplyGroup): it
// reports, for the changes handled from the first, whether each took
// effect, and when that is fewer than all, the error of the next.
type GroupApplier interface {
	Applier
	ApplyGroup(recs []resindex.Record, ps []resindex.Position) ([]bool, error)
}

// DefaultGroup is how many changes Replay applies in one transaction
// through a GroupApplier: enough that a commit's fixed cost is shared,
// few enough that a change waits little for its group and that the
// transaction's range reads stay cheap (Badger sorts a transaction's
// pending writes for every iterator). Measured on step 2 of the
// 100,000- and million-record timelines (docs/BENCHMARKS.md): 8 to 16
// cost the least CPU a change.
const DefaultGroup = 8

// Replayed counts what a replay did.
type Replayed struct {
	Read    int           // changes in the timeline
	Applied int           // changes that took effect
	Elapsed time.Duration // from the first change to the last
	// Latency is each change's, from when the writer took it (with its
	// group) until it had committed.
	Latency []time.Duration
}

// Replay applies a timeline's changes in order, in groups of
// DefaultGroup through a GroupApplier (one at a time otherwise). See
// ReplayGroups.
func Replay(ctx context.Context, a Applier, stream string, changes []ndjson.HeaderLine, log io.Writer, prog Progress) (Replayed, error) {
	return ReplayGroups(ctx, a, stream, changes, log, prog, DefaultGroup)
}

// ReplayGroups applies a timeline's changes in order, up to size of them
// in one transaction when a is a GroupApplier. Positions number the
// changes in timeline order, so a rerun after a crash skips what was
// applied and applies each change exactly once. Lines are decoded on
// another goroutine, ahead of the changes being applied. A line whose
// record does not decode is reported on log and skipped. When ctx ends,
// Replay finishes the group in hand and returns ctx's error; what it did
// so far is returned with any error.
func ReplayGroups(ctx context.Context, a Applier, stream string, changes []ndjson.HeaderLine, log io.Writer, prog Progress, size int) (Replayed, error) {
	prog = orSilent(prog)
	ga, grouped := a.(GroupApplier)
	if !grouped {
		size = 1
	}
	size = max(size, 1)
	r := Replayed{Read: len(changes), Latency: make([]time.Duration, 0, len(changes))}
	start := time.Now()
	dctx, stop := context.WithCancel(ctx)
	defer stop()
	decoded := decodeAhead(dctx, changes, 4*size)
	var g pending
	next := 0 // changes before it are handled
	for next < len(changes) {
		if ctx.Err() != nil {
			prog.Logf("stopped after %d of %d changes; run the same command again to resume", next, len(changes))
			r.Elapsed = time.Since(start)
			return r, fmt.Errorf("interrupted: %w", ctx.Err())
		}
		g.take(decoded, size, log, stream)
		t0 := time.Now()
		var res []bool
		var err error
		if grouped && len(g.recs) > 1 {
			res, err = ga.ApplyGroup(g.recs, g.ps)
		} else if len(g.recs) == 1 {
			var ok bool
			if ok, err = a.Apply(g.recs[0], g.ps[0]); err == nil {
				res = []bool{ok}
			}
		}
		d := time.Since(t0)
		for _, ok := range res {
			r.Latency = append(r.Latency, d)
			if ok {
				r.Applied++
			}
		}
		if err != nil {
			r.Elapsed = time.Since(start)
			return r, err
		}
		next = g.through
		prog.Update("applying", next, len(changes))
	}
	r.Elapsed = time.Since(start)
	return r, nil
}

// decodedLine is a timeline line decoded, at its index.
type decodedLine struct {
	i   int
	rec resindex.Record
	err error
	src ndjson.HeaderLine
}

// decodeAhead decodes changes in order on a goroutine, at most ahead
// of them before the writer takes them, until ctx ends.
func decodeAhead(ctx context.Context, changes []ndjson.HeaderLine, ahead int) <-chan decodedLine {
	out := make(chan decodedLine, ahead)
	go func() {
		defer close(out)
		for i, c := range changes {
			rec, err := ndjson.DecodeRecord(c.Line)
			select {
			case out <- decodedLine{i: i, rec: rec, err: err, src: c}:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// pending is the group in hand: the changes taken, at their positions.
type pending struct {
	recs    []resindex.Record
	ps      []resindex.Position
	through int // index after the last line taken
}

// take takes the next group: at least one change (waiting for it), then
// up to size as they are decoded, without waiting for more. A line that
// does not decode is reported on log and skipped.
func (g *pending) take(in <-chan decodedLine, size int, log io.Writer, stream string) {
	g.recs, g.ps = g.recs[:0], g.ps[:0]
	add := func(d decodedLine) {
		g.through = d.i + 1
		if d.err != nil {
			fmt.Fprintf(log, "%s:line %d: %v (skipped)\n", d.src.File, d.src.No, d.err)
			return
		}
		g.recs = append(g.recs, d.rec)
		g.ps = append(g.ps, resindex.Position{Stream: stream, Offset: int64(d.i + 1)})
	}
	for len(g.recs) == 0 {
		d, ok := <-in
		if !ok {
			return
		}
		add(d)
	}
	for len(g.recs) < size {
		select {
		case d, ok := <-in:
			if !ok {
				return
			}
			add(d)
		default:
			return
		}
	}
}
