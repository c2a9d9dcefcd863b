package main

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"
)

// readiness is what /readyz asks of a server: that its store answers
// and, when it reads Kafka, that the brokers answer with its consumer's
// lag, and that the consumer has caught up to within maxLag messages
// once since the server started. A check that is nil is not asked (no
// Kafka: an API-only server, the demo).
//
// Lag gates readiness only until that first catch-up: a writer is the
// council's only one, and a nightly CDC backlog of thousands of changes
// must not take it out of its Service while it still answers. Later lag
// is reported in /readyz's body and by resindex_kafka_consumer_lag_messages
// (alert on that), not by leaving the Service.
type readiness struct {
	store func() error
	// lag reads the consumer's lag; its reading also says the brokers
	// answer (metadata, offsets), so no separate ping is asked.
	lag    func(context.Context) (int64, error)
	maxLag int64
	// caughtUp is set once the consumer has been within maxLag.
	caughtUp atomic.Bool
	// replica, on a read replica, says why its copy is too stale to
	// serve ("" when it is not).
	// Set after the checks are in use (addReadiness), so atomic.
	replica atomic.Pointer[func() string]
}

// readyTimeout bounds one evaluation, every check run at once: within
// the probes' own 3 s timeout (deploy/), with room to answer.
const readyTimeout = 2 * time.Second

// verdict is one evaluation: short reasons the server is not ready
// (none: ready) and notes a ready server reports. Both name components
// and numbers, never data.
type verdict struct{ failing, notes []string }

// lagReading is one reading of the consumer's lag.
type lagReading struct {
	n   int64
	err error
}

// evaluate runs the checks concurrently under one deadline; a check
// that has not answered by then fails. Reasons come in the order store,
// Kafka.
func (r *readiness) evaluate(ctx context.Context) verdict {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	stored := make(chan error, 1) // buffered: a late answer is dropped
	go func() { stored <- r.store() }()
	lagged := make(chan lagReading, 1)
	if r.lag != nil {
		go func() { n, err := r.lag(ctx); lagged <- lagReading{n, err} }()
	}
	var v verdict
	select {
	case err := <-stored:
		if err != nil {
			v.failing = append(v.failing, "store: not open")
		}
	case <-ctx.Done():
		v.failing = append(v.failing, fmt.Sprintf("store: no answer within %v", readyTimeout))
	}
	if r.lag != nil {
		noAnswer := fmt.Sprintf("kafka: brokers not reachable (no answer within %v)", readyTimeout)
		select {
		case l := <-lagged:
			// A reading cut off by the deadline is no answer, whichever of
			// the two a select over both ready picks.
			if l.err != nil && ctx.Err() != nil && errors.Is(l.err, ctx.Err()) {
				v.failing = append(v.failing, noAnswer)
			} else {
				r.judgeLag(l, &v)
			}
		case <-ctx.Done():
			v.failing = append(v.failing, noAnswer)
		}
	}
	if stale := r.replica.Load(); stale != nil {
		if why := (*stale)(); why != "" {
			v.failing = append(v.failing, why)
		}
	}
	return v
}

// judgeLag adds the consumer's lag to v: failing until the consumer
// first catches up, a note after.
func (r *readiness) judgeLag(l lagReading, v *verdict) {
	switch {
	case l.err != nil:
		v.failing = append(v.failing, "kafka: brokers not reachable (consumer lag unknown)")
	case l.n <= r.maxLag:
		r.caughtUp.Store(true)
	case !r.caughtUp.Load():
		v.failing = append(v.failing, fmt.Sprintf("kafka: consumer %d messages behind (readiness.max_lag %d)", l.n, r.maxLag))
	default:
		v.notes = append(v.notes, fmt.Sprintf("kafka: consumer %d messages behind (ready: caught up since start)", l.n))
	}
}

// awaitCatchUp reads the lag every interval until the consumer first
// catches up, so that readiness does not depend on a probe asking at the
// right moment (a backlog that arrives before anyone asked would
// otherwise count as not yet caught up). It returns then, or when ctx
// ends.
func (r *readiness) awaitCatchUp(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for !r.caughtUp.Load() {
		c, cancel := context.WithTimeout(ctx, readyTimeout)
		if n, err := r.lag(c); err == nil && n <= r.maxLag {
			r.caughtUp.Store(true)
		}
		cancel()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
