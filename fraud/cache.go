package fraud

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Cache keeps the latest run of both checks for a running server: pages
// and the API read it, and a run older than MaxAge is refreshed in the
// background (a run over a million records takes tens of seconds, too
// long for a request to wait on). The first caller waits for the first run.
type Cache struct {
	scan   Scan
	maxAge time.Duration
	now    func() time.Time

	mu      sync.Mutex
	reports map[Kind]Report
	at      time.Time
	running chan struct{} // closed when the run in progress ends
	err     error
}

// DefaultMaxAge is how old a run may be before the next read refreshes it.
const DefaultMaxAge = time.Hour

// NewCache returns a cache over scan; maxAge 0 takes DefaultMaxAge.
func NewCache(scan Scan, maxAge time.Duration) *Cache {
	if maxAge <= 0 {
		maxAge = DefaultMaxAge
	}
	return &Cache{scan: scan, maxAge: maxAge, now: time.Now}
}

// Report returns the latest run of one check (every finding, whatever its
// score: callers filter) and when it ran. It starts a refresh when the run
// is stale, and waits only when there is no run yet.
func (c *Cache) Report(ctx context.Context, k Kind) (Report, time.Time, error) {
	c.mu.Lock()
	if c.reports == nil || c.now().Sub(c.at) > c.maxAge {
		c.startLocked()
	}
	if c.reports == nil {
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
		return Report{}, time.Time{}, c.err
	}
	return c.reports[k], c.at, nil
}

// Refresh starts a run now unless one is in progress; it returns at once.
func (c *Cache) Refresh() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.startLocked()
}

// Running reports whether a run is in progress.
func (c *Cache) Running() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.running != nil
}

func (c *Cache) startLocked() {
	if c.running != nil {
		return
	}
	done := make(chan struct{})
	c.running = done
	go func() {
		reps, err := Run(c.scan, []Kind{Subletting, SPD}, Options{})
		c.mu.Lock()
		defer c.mu.Unlock()
		c.running, c.err = nil, err
		if err != nil {
			slog.Error("fraud: the checks failed", "err", err)
		} else {
			c.reports, c.at = map[Kind]Report{}, c.now()
			for _, r := range reps {
				c.reports[r.Kind] = r
			}
			slog.Info("fraud: checks run", "subletting", len(c.reports[Subletting].Findings), "spd", len(c.reports[SPD].Findings), "took", reps[0].Took)
		}
		close(done)
	}()
}
