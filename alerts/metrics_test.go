package alerts_test

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/alerts"
	"github.com/resindex/resindex/resolver"
)

// TestRaisedCounted: the rule counts each alert it raises by kind, once,
// as the change that raised it commits; changes that raise none add
// nothing.
func TestRaisedCounted(t *testing.T) {
	b := newBorough(t)
	reg := prometheus.NewRegistry()
	rule := alerts.NewRule(resolver.InTxn{}, alerts.Options{Now: func() time.Time { return now }})
	rule.Metrics = alerts.NewMetrics(reg, b.db)
	eng, err := resolver.NewEngine(b.db, resolver.EngineOptions{Population: 100, Watcher: rule})
	if err != nil {
		t.Fatal(err)
	}
	b.eng = eng
	raised := func() float64 {
		t.Helper()
		return testutil.ToFloat64(rule.Metrics.Raised(resindex.AlertNewAdult))
	}
	family(b)
	if n := raised(); n != 0 {
		t.Fatalf("the family's own arrival counted %v alerts", n)
	}
	b.apply(newAdult())
	b.apply(rec("council_tax", "CT9", "Dave", "Hart", "1990-07-08", home, moved, "2025-05-28")) // the same move again
	if n, in := raised(), len(b.alerts()); n != 1 || in != 1 {
		t.Errorf("raised counted %v, inbox holds %d; want 1 and 1", n, in)
	}
}
