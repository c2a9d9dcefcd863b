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

// Replayed counts what a replay did.
type Replayed struct {
	Read    int             // changes in the timeline
	Applied int             // changes that took effect
	Elapsed time.Duration   // from the first change to the last
	Latency []time.Duration // of each Apply
}

// Replay applies a timeline's changes one at a time. Positions number
// the changes in timeline order, so a rerun after a crash skips what was
// applied and applies each change exactly once. A line whose record does
// not decode is reported on log and skipped. When ctx ends, Replay
// finishes the change in hand and returns ctx's error; what it did so far
// is returned with any error.
func Replay(ctx context.Context, a Applier, stream string, changes []ndjson.HeaderLine, log io.Writer, prog Progress) (Replayed, error) {
	prog = orSilent(prog)
	r := Replayed{Read: len(changes), Latency: make([]time.Duration, 0, len(changes))}
	start := time.Now()
	for i, c := range changes {
		if ctx.Err() != nil {
			prog.Logf("stopped after %d of %d changes; run the same command again to resume", i, len(changes))
			r.Elapsed = time.Since(start)
			return r, fmt.Errorf("interrupted: %w", ctx.Err())
		}
		rec, err := ndjson.DecodeRecord(c.Line)
		if err != nil {
			fmt.Fprintf(log, "%s:line %d: %v (skipped)\n", c.File, c.No, err)
			continue
		}
		t0 := time.Now()
		ok, err := a.Apply(rec, resindex.Position{Stream: stream, Offset: int64(i + 1)})
		if err != nil {
			r.Elapsed = time.Since(start)
			return r, err
		}
		r.Latency = append(r.Latency, time.Since(t0))
		if ok {
			r.Applied++
		}
		prog.Update("applying", i+1, len(changes))
	}
	r.Elapsed = time.Since(start)
	return r, nil
}
