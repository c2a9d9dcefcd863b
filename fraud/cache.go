package fraud

import (
	"cmp"
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/resindex/resindex"
)

// Cache keeps the latest run of both checks for a running server: pages
// and the API read it, and a run older than MaxAge is refreshed in the
// background (a run over a million records takes tens of seconds, too
// long for a request to wait on). The first caller waits for the first run.
type Cache struct {
	scan   Scan
	maxAge time.Duration
	now    func() time.Time
	// stop ends a run in progress (Close): a run reads the whole store,
	// and the store must not close under it.
	stop   context.Context
	cancel context.CancelFunc

	mu      sync.Mutex
	reports map[Kind]Report
	at      time.Time
	running chan struct{} // closed when the run in progress ends
	err     error
	// stale: the run in progress began before Forget; its result is
	// thrown away and a run started afresh.
	stale bool
}

// DefaultMaxAge is how old a run may be before the next read refreshes it.
const DefaultMaxAge = time.Hour

// NewCache returns a cache over scan; maxAge 0 takes DefaultMaxAge.
func NewCache(scan Scan, maxAge time.Duration) *Cache {
	if maxAge <= 0 {
		maxAge = DefaultMaxAge
	}
	stop, cancel := context.WithCancel(context.Background())
	return &Cache{scan: scan, maxAge: maxAge, now: time.Now, stop: stop, cancel: cancel}
}

// Close ends a run in progress, waits for it to give up, and starts no
// other: call it before closing the store.
func (c *Cache) Close() {
	c.cancel()
	c.mu.Lock()
	wait := c.running
	c.mu.Unlock()
	if wait != nil {
		<-wait
	}
}

// stoppable is the cache's scan, giving up once the cache is closed.
func (c *Cache) stoppable(fn func(string, *resindex.Record, resindex.Property) error) error {
	return c.scan(func(pid string, r *resindex.Record, p resindex.Property) error {
		if err := c.stop.Err(); err != nil {
			return err
		}
		return fn(pid, r, p)
	})
}

// Report returns the latest run of one check (every finding, whatever its
// score: callers filter) and when it ran. It starts a refresh when the run
// is stale, and waits only when there is no run yet.
func (c *Cache) Report(ctx context.Context, k Kind) (Report, time.Time, error) {
	c.mu.Lock()
	if c.reports == nil || c.now().Sub(c.at) > c.maxAge {
		c.startLocked()
	}
	for c.reports == nil && c.running != nil {
		wait := c.running
		c.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return Report{}, time.Time{}, ctx.Err()
		}
		c.mu.Lock()
	}
	defer c.mu.Unlock()
	if c.reports == nil {
		return Report{}, time.Time{}, cmp.Or(c.err, c.stop.Err())
	}
	return c.reports[k], c.at, nil
}

// Refresh starts a run now unless one is in progress; it returns at once.
func (c *Cache) Refresh() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.startLocked()
}

// Forget drops the run held, and the result of any run in progress,
// after an erasure: no finding may name a person who is gone. A run in
// progress is followed by a fresh one; otherwise the next read starts
// one. A cache nobody has read (a command's) starts nothing.
func (c *Cache) Forget() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reports = nil
	c.stale = c.running != nil
}

// Running reports whether a run is in progress.
func (c *Cache) Running() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.running != nil
}

func (c *Cache) startLocked() {
	if c.running != nil || c.stop.Err() != nil {
		return
	}
	done := make(chan struct{})
	c.running = done
	go func() {
		began := time.Now()
		reps, err := Run(c.stoppable, []Kind{Subletting, SPD}, Options{})
		c.mu.Lock()
		defer c.mu.Unlock()
		c.running, c.err = nil, err
		switch {
		case c.stop.Err() != nil:
			slog.Info("fraud: checks given up: closing")
		case c.stale:
			// Begun before Forget: it may name an erased person.
			c.stale = false
			close(done)
			c.startLocked()
			return
		case err != nil:
			// The error may name a source record: resident data, kept to debug.
			slog.Error("fraud: the checks failed; debug logging says where")
			slog.Debug("fraud: the checks failed", "err", err)
		default:
			c.reports, c.at = map[Kind]Report{}, c.now()
			for _, r := range reps {
				c.reports[r.Kind] = r
			}
			slog.Info("fraud: checks run", "subletting", len(c.reports[Subletting].Findings), "spd", len(c.reports[SPD].Findings), "took", time.Since(began))
		}
		close(done)
	}()
}
