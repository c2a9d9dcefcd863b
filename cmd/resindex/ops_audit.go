package main

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/resindex/resindex/store"
)

var (
	auditOKDesc = prometheus.NewDesc("resindex_audit_chain_ok",
		"1 when the audit log's hash chain verified intact at the last check, 0 when it was broken (absent until the first check).", nil, nil)
	auditAtDesc = prometheus.NewDesc("resindex_audit_last_verified_timestamp_seconds",
		"When the audit chain was last checked, intact or not (Unix time).", nil, nil)
)

// auditWatch verifies the audit chain as a server starts and then every
// audit.verify_every, and tells the last result when scraped.
type auditWatch struct {
	mu      sync.Mutex
	checked time.Time // zero: not yet
	ok      bool
}

// start verifies at once and then every interval, on a goroutine, until
// the returned stop; an interval of 0 verifies never.
func (a *auditWatch) start(ctx context.Context, db *store.DB, every time.Duration, log *slog.Logger) func() {
	if every <= 0 {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			a.verify(db, log)
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return func() { cancel(); <-done }
}

// verify checks the chain once. A break is logged at error level with
// the number of the first entry at fault and nothing of its content; a
// store that cannot be read (closing) leaves the last result.
func (a *auditWatch) verify(db *store.DB, log *slog.Logger) {
	n, err := db.VerifyAudit()
	broken := errors.Is(err, store.ErrAuditBroken)
	switch {
	case broken:
		// VerifyAudit counts the entries that verified, in order: the
		// next is the first at fault.
		log.Error("audit: the hash chain is broken: run resindex audit verify", "entry", n+1)
		log.Debug("audit: the hash chain is broken", "err", err)
	case err != nil:
		log.Warn("audit: could not verify the hash chain", "err", err)
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.checked, a.ok = time.Now(), !broken
}

func (a *auditWatch) Describe(ch chan<- *prometheus.Desc) { ch <- auditOKDesc; ch <- auditAtDesc }

func (a *auditWatch) Collect(ch chan<- prometheus.Metric) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.checked.IsZero() {
		return
	}
	ok := 0.0
	if a.ok {
		ok = 1
	}
	ch <- prometheus.MustNewConstMetric(auditOKDesc, prometheus.GaugeValue, ok)
	ch <- prometheus.MustNewConstMetric(auditAtDesc, prometheus.GaugeValue, float64(a.checked.UnixNano())/1e9)
}
