package main

import (
	"context"
	"log/slog"
	"time"
)

// goldenRefreshEvery is how often serve builds the golden records of
// children who have turned 18 since their records last changed.
const goldenRefreshEvery = 24 * time.Hour

// startGoldenRefresh runs the engine's golden record refresh daily until
// the returned stop is called (children.golden_records: consent; see
// docs/rights-children.md).
func startGoldenRefresh(ctx context.Context, m *Main, log *slog.Logger) func() {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(goldenRefreshEvery)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			n, err := m.Engine.RefreshGoldenRecords()
			if err != nil {
				log.Error("golden records of those turned 18: refresh failed; trying again tomorrow", "err", err)
			} else if n > 0 {
				log.Info("golden records built for persons turned 18", "persons", n)
			}
		}
	}()
	return func() { cancel(); <-done }
}
