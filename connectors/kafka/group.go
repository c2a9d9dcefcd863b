package kafka

import (
	"context"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/resindex/resindex"
)

// GroupSink is a Sink that also applies several changes in one
// transaction, each with its own position (the engine's ApplyGroup): it
// reports, for the changes handled from the first, whether each took
// effect, and when that is fewer than all, the error of the next.
type GroupSink interface {
	Sink
	ApplyGroup(recs []resindex.Record, ps []resindex.Position) ([]bool, error)
}

// DefaultGroup bounds the messages applied in one transaction (see
// file.DefaultGroup for why eight).
const DefaultGroup = 8

// fetched is a message read from Kafka and decoded, ahead of the writer.
type fetched struct {
	m    kafkago.Message
	rec  resindex.Record
	derr error // it does not decode: dead-letter it
}

// fetchAhead reads and decodes messages on a goroutine, keeping up to
// ahead of them ready, until ctx ends; the channel is closed then.
// Decoding there runs on another core while the writer applies.
func (c *Consumer) fetchAhead(ctx context.Context, r *kafkago.Reader, ahead int) <-chan fetched {
	out := make(chan fetched, ahead)
	go func() {
		defer close(out)
		for {
			m, err := r.FetchMessage(ctx)
			switch {
			case ctx.Err() != nil:
				return
			case err != nil:
				c.log.Warn("kafka: fetch failed; retrying", "err", err)
				if sleep(ctx, time.Second) != nil {
					return
				}
				continue
			}
			f := fetched{m: m}
			f.rec, f.derr = c.decode(m)
			select {
			case out <- f:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// batch takes the messages in hand: first waits for one (until wait
// passes: then none), then takes those already fetched, up to size,
// never waiting to fill it.
func batch(ctx context.Context, in <-chan fetched, size int, wait time.Duration) ([]fetched, bool) {
	t := time.NewTimer(wait)
	defer t.Stop()
	var out []fetched
	select {
	case f, ok := <-in:
		if !ok {
			return nil, false
		}
		out = append(out, f)
	case <-t.C:
		return nil, true
	case <-ctx.Done():
		return nil, false
	}
	for len(out) < size {
		select {
		case f, ok := <-in:
			if !ok {
				return out, true
			}
			out = append(out, f)
		default:
			return out, true
		}
	}
	return out, true
}

// handleBatch handles messages in order: those handled before are
// skipped, those that do not decode dead-lettered, and each run of
// changes between them applied as one group (one at a time if the sink
// applies no groups). A message is added to p, to be committed to
// Kafka, only once its change has committed to the store.
func (c *Consumer) handleBatch(ctx context.Context, fs []fetched, p *pendingCommits) error {
	gs, grouped := c.sink.(GroupSink)
	var run []fetched
	flush := func() error {
		if len(run) == 0 {
			return nil
		}
		var err error
		if grouped && len(run) > 1 {
			err = c.applyGroup(ctx, gs, run, p)
		} else {
			for _, f := range run {
				if err = c.handle(ctx, f); err != nil {
					break
				}
				p.add(f.m)
			}
		}
		run = run[:0]
		return err
	}
	for _, f := range fs {
		stream := StreamName(f.m.Topic, f.m.Partition)
		last, seen, err := c.applied(ctx, stream)
		if err != nil {
			return err
		}
		if seen && f.m.Offset <= last || f.derr != nil || inRun(run, f.m) {
			// Skipped or dead-lettered after the changes before it; a
			// message met twice (a redelivery after a rebalance) in hand
			// once at a time, so its position is checked after the first.
			if err := flush(); err != nil {
				return err
			}
			if err := c.handle(ctx, f); err != nil {
				return err
			}
			p.add(f.m)
			continue
		}
		run = append(run, f)
	}
	return flush()
}

// inRun reports whether a run holds a message of the same partition at
// or after m's offset.
func inRun(run []fetched, m kafkago.Message) bool {
	for _, f := range run {
		if f.m.Topic == m.Topic && f.m.Partition == m.Partition && f.m.Offset >= m.Offset {
			return true
		}
	}
	return false
}

// applyGroup applies a run of decoded messages as one group, retrying
// what is left after a failure, as handle retries one change, until it
// passes or ctx ends.
func (c *Consumer) applyGroup(ctx context.Context, gs GroupSink, run []fetched, p *pendingCommits) error {
	recs := make([]resindex.Record, len(run))
	ps := make([]resindex.Position, len(run))
	for i, f := range run {
		recs[i], ps[i] = f.rec, resindex.Position{Stream: StreamName(f.m.Topic, f.m.Partition), Offset: f.m.Offset}
	}
	return c.retry(ctx, "apply", func() error {
		res, err := gs.ApplyGroup(recs, ps)
		for i, ok := range res {
			outcome := Applied
			if !ok {
				outcome = Unchanged
			}
			c.last[ps[i].Stream] = ps[i].Offset
			c.done(run[i].m, outcome)
			p.add(run[i].m)
		}
		recs, ps, run = recs[len(res):], ps[len(res):], run[len(res):]
		return err
	})
}
