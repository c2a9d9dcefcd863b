package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// firstCopy pulls until a pull succeeds when the store has never been
// copied: the engine loads its indexes from the store, so it opens on a
// copy, not on an empty store. A store that holds a copy (or held one
// before the whole copy it was making when stopped) is served as it is
// while the writer cannot be reached; the pulls catch it up.
func (r *replica) firstCopy(ctx context.Context, poll time.Duration) error {
	pos, err := r.db.ReplicaPosition()
	if err != nil {
		return err
	}
	if pos.Next > 0 || (pos.Copy != nil && pos.Held) {
		if _, err := r.pull(ctx); err != nil {
			r.log.Warn("replica: the writer cannot be reached; serving the copy this store holds until it can", "err", err)
		}
		return nil
	}
	for {
		_, err := r.pull(ctx)
		if err == nil {
			return nil
		}
		r.log.Warn("replica: copying the writer's store failed; trying again", "err", err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(poll):
		}
	}
}

// addReadiness adds the replica's check to the server's readiness:
// a copy whose last successful pull is older than replication.max_staleness
// (or that has not pulled since the process started) is not ready.
func (r *replica) addReadiness(p *probes) {
	c := p.checks.Load()
	if c == nil {
		return
	}
	stale := r.staleness
	c.replica.Store(&stale)
}

// staleness is the readiness reason, "" when fresh enough. It names
// only times.
func (r *replica) staleness() string {
	last := r.lastPull.Load()
	if last == 0 {
		return "replication: no pull from the writer has succeeded since this replica started"
	}
	if age := time.Since(time.Unix(0, last)); age > r.maxStale {
		return fmt.Sprintf("replication: the last successful pull was %.0f s ago (replication.max_staleness %s)", age.Seconds(), r.maxStale)
	}
	return ""
}

// probesWhileCopying serves the metrics listener (if configured) while a
// replica takes its first copy and then opens its engine (which preloads
// its indexes: minutes for a big store), before its API exists: /healthz
// ok, /readyz "starting", the replica's pull metrics. A liveness probe
// that found no listener would restart the replica, over and over. The
// server's ops.start takes this listener over (it serves the same
// registry and probes); the returned stop stops it only if it has not.
func probesWhileCopying(m *Main, log *slog.Logger) (func(), error) {
	if m.Config.MetricsAddr == "" {
		return func() {}, nil
	}
	s, err := startMetrics(m.Config.MetricsAddr, m.ops.reg, m.ops.probes, log)
	if err != nil {
		return nil, err
	}
	m.ops.early = s
	return func() {
		if m.ops.early == s {
			m.ops.early = nil
			s.Stop()
		}
	}, nil
}

// beforeReplicaEngine runs just before a replica opens its engine (a
// test's holds it there, as a slow preload would).
var beforeReplicaEngine = func() {}
