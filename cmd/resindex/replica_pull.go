package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
)

// A replica's pulls: each asks the writer for what changed since its
// position (replication_writer.go serves it) and applies the stream in
// batches through the engine.

// replica pulls the writer's changes into its store, through its engine
// once it has one. Pulls never overlap.
type replica struct {
	mu      sync.Mutex
	db      *store.DB
	eng     *resolver.Engine // nil for the first copy, which the engine then loads
	changes string           // the writer's replication URL
	secret  []byte
	client  *http.Client
	log     *slog.Logger
	metrics *replicaMetrics
}

func newReplica(db *store.DB, writer string, secret []byte, log *slog.Logger, reg prometheus.Registerer) (*replica, error) {
	changes, err := writerURL(writer)
	if err != nil {
		return nil, err
	}
	return &replica{db: db, changes: changes, secret: secret,
		client: &http.Client{Timeout: 10 * time.Minute}, log: log, metrics: newReplicaMetrics(reg)}, nil
}

// writerURL is the replication endpoint of the writer at a base URL.
func writerURL(writer string) (string, error) {
	u, err := url.Parse(writer)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("--replica-of %q: want the writer's base URL, http(s)://HOST:PORT: %w", writer, errUsage)
	}
	return strings.TrimSuffix(writer, "/") + replicationPath, nil
}

// pull brings the store up to the writer's, and reports how many keys
// came. A writer whose versions went back below the replica's position
// has a rebuilt store (compacted, restored): the copy is taken again,
// whole.
func (r *replica) pull(ctx context.Context) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t0 := time.Now()
	since, err := r.db.ReplicaSince()
	if err != nil {
		return 0, err
	}
	n, upTo, whole, err := r.pullFrom(ctx, since)
	if whole {
		r.log.Warn("replica: the writer's store was rebuilt, or this replica was away longer than the writer keeps deletions; copying it whole again", "position", since)
		n, upTo, _, err = r.pullFrom(ctx, 0)
	}
	r.metrics.observe(n, upTo, err)
	if err != nil {
		return n, err
	}
	level := slog.LevelInfo
	if n == 0 {
		level = slog.LevelDebug
	}
	r.log.Log(ctx, level, "replica: changes applied", "since", since, "up_to", upTo, "keys", n, "seconds", time.Since(t0).Seconds())
	return n, nil
}

// Batches bound what one write holds: the replica's readers see each
// batch whole.
const (
	replicaBatchKeys  = 20_000
	replicaBatchBytes = 16 << 20
)

// pullFrom pulls and applies the changes since a position: 0 is a
// whole copy, after which whatever the copy did not write is gone from
// the writer and is deleted. It reports whole, and applies nothing, when
// only a whole copy will do: the writer's versions went back below the
// position (its store was rebuilt: compacted, restored), or it no longer
// keeps the marks of deletions at the position (its horizon).
func (r *replica) pullFrom(ctx context.Context, since uint64) (n int, upTo uint64, whole bool, err error) {
	before := r.db.Version()
	wr, resp, err := r.get(ctx, since)
	if err != nil {
		return 0, 0, false, err
	}
	defer resp.Body.Close()
	if h, _ := parseSince(resp.Header.Get(horizonHeader)); since > 0 && since <= h {
		return 0, 0, true, nil
	}
	n, upTo, err = r.applyStream(wr, since, before)
	return n, upTo, err == nil && since > 0 && upTo+1 < since, err
}

// applyStream applies a stream in batches, the position with the last.
func (r *replica) applyStream(wr *store.WireReader, since, before uint64) (int, uint64, error) {
	var batch []store.KeyChange
	n, size := 0, 0
	for {
		c, err := wr.Next()
		if errors.Is(err, store.ErrStreamEnd) {
			break
		}
		if err != nil {
			return n, 0, err
		}
		batch, n, size = append(batch, c), n+1, size+len(c.Key)+len(c.Value)
		if len(batch) >= replicaBatchKeys || size >= replicaBatchBytes {
			if err := r.apply(batch, 0); err != nil {
				return n, 0, err
			}
			batch, size = nil, 0
		}
	}
	next := wr.UpTo() + 1
	if since > 0 {
		if wr.UpTo()+1 < since {
			return n, wr.UpTo(), nil // a rebuilt writer: the caller copies it whole
		}
		return n, wr.UpTo(), r.apply(batch, next)
	}
	if err := r.apply(batch, 0); err != nil {
		return n, 0, err
	}
	stale, err := r.db.StaleAtOrBefore(before)
	if err != nil {
		return n, 0, err
	}
	return n + len(stale), wr.UpTo(), r.apply(stale, next)
}

// get asks the writer for its changes since a position.
func (r *replica) get(ctx context.Context, since uint64) (*store.WireReader, *http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("%s?since=%d", r.changes, since), nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+string(r.secret))
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("replica: pull from the writer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, nil, fmt.Errorf("replica: pull from the writer: %s", resp.Status)
	}
	wr, err := store.NewWireReader(resp.Body)
	if err != nil {
		resp.Body.Close()
		return nil, nil, err
	}
	return wr, resp, nil
}

// apply writes a batch (and, if next is not 0, the position after it),
// through the engine once there is one, so that its in-memory indexes
// follow the keys.
func (r *replica) apply(batch []store.KeyChange, next uint64) error {
	if len(batch) == 0 && next == 0 {
		return nil
	}
	if r.eng == nil {
		return r.db.ApplyReplicated(batch, next, nil, nil)
	}
	return r.eng.Follow(batch, func(l sync.Locker, published func()) error {
		return r.db.ApplyReplicated(batch, next, l, published)
	})
}

// run pulls every poll and whenever kicked, until ctx ends.
func (r *replica) run(ctx context.Context, poll time.Duration, kick <-chan struct{}) {
	tick := time.NewTicker(poll)
	defer tick.Stop()
	var failing time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-kick:
		}
		_, err := r.pull(ctx)
		if ctx.Err() != nil {
			return
		}
		failing = r.logPull(err, failing)
	}
}

// logPull logs a failed pull (the first of a run, then one a minute:
// a writer down for an hour is not 3,600 lines) and the first success
// after failures; it returns when the failures started (zero: none).
func (r *replica) logPull(err error, failing time.Time) time.Time {
	switch {
	case err == nil && !failing.IsZero():
		r.log.Info("replica: pulling from the writer again", "failed_for_seconds", time.Since(failing).Seconds())
		return time.Time{}
	case err == nil:
		return failing
	case failing.IsZero():
		r.log.Warn("replica: pulling from the writer failed; trying again every poll", "err", err)
		return time.Now()
	case time.Since(failing).Truncate(time.Second)%time.Minute == 0:
		r.log.Warn("replica: pulling from the writer still fails", "failed_for_seconds", time.Since(failing).Seconds(), "err", err)
	}
	return failing
}

// firstCopy pulls until a pull succeeds: the engine loads its indexes
// from the store, so it opens on a copy, not on an empty store.
func (r *replica) firstCopy(ctx context.Context, poll time.Duration) error {
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
