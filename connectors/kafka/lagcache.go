package kafka

import (
	"context"
	"sync"
	"time"
)

// LagEvery is how long one reading of the group's lag stands: the lag
// gauge and /readyz both read it through RecentLag, so however often
// Prometheus scrapes and probes ask, the brokers are asked for the lag
// (metadata, end offsets, the group's offsets) at most once in it.
const LagEvery = 5 * time.Second

// lagCache is the last reading of the lag, with when it was taken.
type lagCache struct {
	mu  sync.Mutex // one reading at a time; callers meanwhile wait and share it
	at  time.Time
	lag int64
	err error
}

// RecentLag is Lag as read within the last LagEvery. An error stands as
// long as a lag would (the brokers did not answer), except when ctx
// ended first: that says nothing of the brokers, so the next caller asks
// again.
func (c *Consumer) RecentLag(ctx context.Context) (int64, error) {
	lc := &c.lagCache
	lc.mu.Lock()
	defer lc.mu.Unlock()
	if !lc.at.IsZero() && time.Since(lc.at) < LagEvery {
		return lc.lag, lc.err
	}
	lag, err := c.Lag(ctx)
	if err != nil && ctx.Err() != nil {
		return 0, err
	}
	lc.at, lc.lag, lc.err = time.Now(), lag, err
	return lag, err
}
