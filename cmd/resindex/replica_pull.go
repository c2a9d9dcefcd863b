package main

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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
	// idleRead bounds a wait for the next bytes of a stream (a whole copy
	// may take longer than any bound on the whole).
	idleRead time.Duration
	lastPull atomic.Int64 // when the last pull succeeded (Unix ns; 0: none yet)
	maxStale time.Duration
	// batchKeys bounds a batch's keys (replicaBatchKeys; tests make it small).
	batchKeys int
	// compactStore compacts the replica's store (db.Compact; a test's
	// stands for a process that dies first).
	compactStore func() error
}

func newReplica(db *store.DB, writer string, secret []byte, log *slog.Logger, reg prometheus.Registerer) (*replica, error) {
	changes, err := writerURL(writer)
	if err != nil {
		return nil, err
	}
	return &replica{db: db, changes: changes, secret: secret, client: replicationClient(), idleRead: replicaIdleRead, batchKeys: replicaBatchKeys,
		log: log, metrics: newReplicaMetrics(reg), compactStore: db.Compact}, nil
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
// came. A position the writer's store no longer backs (another
// generation: compacted, restored; or deletions it no longer keeps
// marks of) takes the copy again, whole, and then compacts the replica's
// own store: that is how an erasure the writer compacted away leaves the
// replica's files too.
func (r *replica) pull(ctx context.Context) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t0 := time.Now()
	pos, err := r.db.ReplicaPosition()
	if err != nil {
		return 0, err
	}
	n, upTo, whole, err := r.pullFrom(ctx, pos)
	if whole {
		r.log.Warn("replica: the writer's store was compacted or restored, or this replica was away longer than the writer keeps deletions; copying it whole again", "position", pos.Next)
		n, upTo, _, err = r.pullFrom(ctx, store.ReplicaPos{Compact: true, Held: true})
	}
	if err == nil {
		err = r.compactIfDue()
	}
	r.metrics.observe(n, upTo, err)
	if err != nil {
		return n, err
	}
	r.lastPull.Store(time.Now().UnixNano())
	level := slog.LevelInfo
	if n == 0 {
		level = slog.LevelDebug
	}
	r.log.Log(ctx, level, "replica: changes applied", "since", pos.Next, "up_to", upTo, "keys", n, "seconds", time.Since(t0).Seconds())
	return n, nil
}

// compactIfDue rewrites the replica's store after a whole copy into a
// store that held data, so that what the copy deleted (an erased person)
// is gone from its files. The position says it is due (ReplicaPos.Compact)
// from the copy's first write until this succeeds, so a copy stopped and
// resumed, or a process that died before compacting, still compacts. The
// engine stays up: its reads wait for the compaction as for a large
// change.
func (r *replica) compactIfDue() error {
	pos, err := r.db.ReplicaPosition()
	if err != nil || !pos.Compact || pos.Copy != nil {
		return err
	}
	t0 := time.Now()
	if err := r.compactStore(); err != nil {
		return fmt.Errorf("replica: compact after a whole copy: %w", err)
	}
	pos.Compact = false
	if err := r.db.ApplyReplicated(nil, &pos, nil, nil); err != nil {
		return fmt.Errorf("replica: compacted after a whole copy: %w", err)
	}
	r.log.Info("replica: compacted its store after a whole copy", "seconds", time.Since(t0).Seconds())
	return nil
}

// Batches bound what one write holds: the replica's readers see each
// batch whole.
const (
	replicaBatchKeys  = 20_000
	replicaBatchBytes = 16 << 20
)

// pullFrom pulls and applies the changes since a position: Next 0 is a
// whole copy (resumed after its last key when one was stopped part way),
// after which whatever the copy did not write is gone from the writer
// and is deleted. It reports whole, and applies nothing, when only a
// whole copy will do (see pull).
func (r *replica) pullFrom(ctx context.Context, pos store.ReplicaPos) (n int, upTo uint64, whole bool, err error) {
	before, after := r.db.Version(), []byte(nil)
	if c := pos.Copy; pos.Next == 0 && c != nil {
		before, after = c.Before, c.After
	}
	wr, resp, err := r.get(ctx, pos.Next, after)
	if err != nil {
		return 0, 0, false, err
	}
	defer resp.Body.Close()
	head, err := readHead(resp.Header)
	if err != nil {
		return 0, 0, false, err
	}
	if pos.Next > 0 && (head.pos.Generation != pos.Generation || pos.Next <= head.horizon || head.pos.Next < pos.Next) {
		return 0, 0, true, nil
	}
	if c := pos.Copy; pos.Next == 0 && c != nil && (head.pos.Generation != pos.Generation || c.UpTo < head.horizon) {
		resp.Body.Close()
		r.log.Info("replica: the writer's store changed generation since this copy began; beginning it again")
		// What the first part applied may be deleted by the new copy.
		return r.pullFrom(ctx, store.ReplicaPos{Compact: true, Held: pos.Held})
	}
	if pos.Next > 0 {
		n, last, err := r.applyStream(wr, head.pos, nil)
		if err == nil && n == 0 && head.pos.Next == pos.Next && head.pos.Generation == pos.Generation {
			return 0, pos.Next - 1, false, nil // nothing new: not even the position to write
		}
		next := head.pos
		next.Compact = pos.Compact // a compaction still due stays due
		if err == nil {
			err = r.apply(last, &next) // the last batch with the position, in one write
		}
		return n, head.pos.Next - 1, false, err
	}
	n, err = r.copyWhole(wr, pos, head.pos, before)
	return n, head.pos.Next - 1, false, err
}

// copyWhole applies a whole copy's stream, each batch with the copy's
// progress, and then deletes what the copy did not write again.
func (r *replica) copyWhole(wr *store.WireReader, from, head store.ReplicaPos, before uint64) (int, error) {
	progress := store.CopyProgress{UpTo: head.Next - 1, Before: before}
	if from.Copy != nil {
		progress.UpTo = from.Copy.UpTo // what changed since is pulled next
	}
	at := func(last []byte) *store.ReplicaPos {
		p := progress
		p.After = last
		return &store.ReplicaPos{Generation: head.Generation, Copy: &p, Compact: from.Compact, Held: from.Held}
	}
	n, last, err := r.applyStream(wr, head, at)
	if err == nil && len(last) > 0 {
		err = r.apply(last, at(last[len(last)-1].Key))
	}
	if err != nil {
		return n, err
	}
	stale, err := r.db.StaleAtOrBefore(before)
	if err != nil {
		return n, err
	}
	return n + len(stale), r.apply(stale, &store.ReplicaPos{Next: progress.UpTo + 1, Generation: head.Generation, Compact: from.Compact})
}

// applyStream applies a stream in full batches, each with the position
// progress gives after its last key (nil: none), checks the stream ends
// where its header said, and returns the last, partial batch for the
// caller to apply with the position it ends at.
func (r *replica) applyStream(wr *store.WireReader, head store.ReplicaPos, progress func(last []byte) *store.ReplicaPos) (int, []store.KeyChange, error) {
	var batch []store.KeyChange
	n, size := 0, 0
	flush := func() error {
		var pos *store.ReplicaPos
		if progress != nil && len(batch) > 0 {
			pos = progress(batch[len(batch)-1].Key)
		}
		err := r.apply(batch, pos)
		batch, size = nil, 0
		return err
	}
	for {
		c, err := wr.Next()
		if errors.Is(err, store.ErrStreamEnd) {
			break
		}
		if err != nil {
			return n, nil, err
		}
		batch, n, size = append(batch, c), n+1, size+len(c.Key)+len(c.Value)
		if len(batch) >= r.batchKeys || size >= replicaBatchBytes {
			if err := flush(); err != nil {
				return n, nil, err
			}
		}
	}
	if wr.UpTo()+1 != head.Next {
		return n, nil, fmt.Errorf("replica: the stream ended at version %d, its header said %d", wr.UpTo(), head.Next-1)
	}
	return n, batch, nil
}

// pullHead is what a stream's headers say: the position after it (the
// writer's generation, and its version + 1) and the horizon.
type pullHead struct {
	pos     store.ReplicaPos
	horizon uint64
}

func readHead(h http.Header) (pullHead, error) {
	upTo, err := strconv.ParseUint(h.Get(upToHeader), 10, 64)
	if err != nil {
		return pullHead{}, fmt.Errorf("replica: the writer sent no %s header: is it an older version?", upToHeader)
	}
	horizon, err := parseSince(h.Get(horizonHeader))
	if err != nil {
		return pullHead{}, fmt.Errorf("replica: the writer's %s header is not a number", horizonHeader)
	}
	return pullHead{pos: store.ReplicaPos{Next: upTo + 1, Generation: h.Get(generationHeader)}, horizon: horizon}, nil
}

// get asks the writer for its changes since a position.
func (r *replica) get(ctx context.Context, since uint64, after []byte) (*store.WireReader, *http.Response, error) {
	ctx, cancel := context.WithCancel(ctx)
	u := fmt.Sprintf("%s?since=%d", r.changes, since)
	if len(after) > 0 {
		u += "&after=" + hex.EncodeToString(after)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		cancel()
		return nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+string(r.secret))
	resp, err := r.client.Do(req)
	if err != nil {
		cancel()
		return nil, nil, fmt.Errorf("replica: pull from the writer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		cancel()
		return nil, nil, fmt.Errorf("replica: pull from the writer: %s", resp.Status)
	}
	resp.Body = newIdleBody(resp.Body, r.idleRead, cancel)
	wr, err := store.NewWireReader(resp.Body)
	if err != nil {
		resp.Body.Close()
		return nil, nil, err
	}
	return wr, resp, nil
}

// apply writes a batch (and, if pos is not nil, the position after it),
// through the engine once there is one, so that its in-memory indexes
// follow the keys. A position alone is no change to the index: it is
// written beside the engine, which it does not concern.
func (r *replica) apply(batch []store.KeyChange, pos *store.ReplicaPos) error {
	if len(batch) == 0 && pos == nil {
		return nil
	}
	if r.eng == nil || len(batch) == 0 {
		return r.db.ApplyReplicated(batch, pos, nil, nil)
	}
	return r.eng.Follow(batch, func(l sync.Locker, published func()) error {
		return r.db.ApplyReplicated(batch, pos, l, published)
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
