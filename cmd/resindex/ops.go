package main

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/resindex/resindex/alerts"
	"github.com/resindex/resindex/connectors/kafka"
	"github.com/resindex/resindex/internal/httpserve"
	"github.com/resindex/resindex/internal/progress"
	"github.com/resindex/resindex/resolver"
)

// ops is a server's operational face (serve's, demo's): the one metrics
// registry with the engine's, store's and alerts' series on it, the
// health and readiness probes that the metrics listener and the API both
// answer, and the audit chain's watch.
type ops struct {
	reg    *prometheus.Registry
	probes *probes
	apply  prometheus.Histogram
	audit  *auditWatch
	// alerts are made once, on first use, over the open store: both the
	// alert rule (wire) and webhook delivery count on them.
	alertsOnce sync.Once
	alerts     *alerts.Metrics
	// early is a metrics listener already serving reg and probes (a
	// replica's, from before its engine): start takes it over.
	early *httpserve.Server
}

// newOps makes a server's registry and the series it has before its
// store opens.
func newOps() *ops {
	o := &ops{reg: newRegistry(), probes: &probes{}, audit: &auditWatch{}}
	o.apply = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "resindex_apply_duration_seconds",
		Help:    "Time for the engine to apply one change (resolver Engine.Apply), waiting for the change before it included.",
		Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16)})
	o.reg.MustRegister(o.apply)
	return o
}

// wire gives the engine about to open its hooks: Apply's time, and the
// alert rule's count of alerts raised. A command that serves nothing has
// no ops and its engine no hooks.
func (o *ops) wire(m *Main, opts *resolver.EngineOptions) {
	if o == nil {
		return
	}
	opts.ObserveApply = func(d time.Duration) { o.apply.Observe(d.Seconds()) }
	if rule, ok := opts.Watcher.(*alerts.Rule); ok {
		rule.Metrics = o.alertMetrics(m)
	}
}

// alertMetrics are the alerts' series, made on first use.
func (o *ops) alertMetrics(m *Main) *alerts.Metrics {
	o.alertsOnce.Do(func() { o.alerts = alerts.NewMetrics(o.reg, m.DB) })
	return o.alerts
}

// alertRaised counts a notification the access service raised (a child
// on a plan looked up); nil without ops.
func (o *ops) alertRaised(m *Main) func(kind string) {
	if o == nil {
		return nil
	}
	return func(kind string) { o.alertMetrics(m).Raised(kind).Inc() }
}

// start registers the series read from the open store and engine, sets
// the readiness checks (the consumer's, if the server reads Kafka),
// starts the audit watch (serve only: auditEvery > 0) and the metrics
// listener if an address is configured, until the returned stop.
func (o *ops) start(ctx context.Context, m *Main, c *kafka.Consumer, log *slog.Logger, prog *progress.Progress) (func(), error) {
	o.alertMetrics(m)
	registerIndex(o.reg, m)
	o.reg.MustRegister(o.audit)
	checks := &readiness{store: m.DB.Ready, maxLag: m.Config.Readiness.Lag()}
	ctx, cancel := context.WithCancel(ctx)
	if c != nil {
		checks.lag = c.RecentLag // the lag gauge's reading too
		go checks.awaitCatchUp(ctx, kafka.LagEvery)
	}
	o.probes.checks.Store(checks)
	audited := o.audit.start(ctx, m.DB, m.Config.Audit.VerifyInterval(), log)
	stopAudit := func() { cancel(); audited() }
	addr := m.Config.MetricsAddr
	if addr == "" {
		return stopAudit, nil
	}
	ms, err := o.early, error(nil)
	o.early = nil
	if ms == nil {
		ms, err = startMetrics(addr, o.reg, o.probes, log)
	}
	if err != nil {
		stopAudit()
		return nil, err
	}
	prog.Logf("metrics at http://%s/metrics (health: /healthz, readiness: /readyz)", ms.Addr)
	return func() { ms.Stop(); stopAudit() }, nil
}
