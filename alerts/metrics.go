package alerts

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/internal/kept"
	"github.com/resindex/resindex/layout"
)

// Metrics count webhook deliveries and tell the inbox's size; declared
// here, registered on the one registry main builds.
type Metrics struct {
	deliveries *prometheus.CounterVec
	raised     *prometheus.CounterVec
}

// NewMetrics registers the alert metrics: deliveries by endpoint and
// outcome, alerts the rule raised by kind, and alerts in the store by status and kind (read at scrape).
func NewMetrics(reg prometheus.Registerer, s Store) *Metrics {
	m := &Metrics{deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "resindex_alert_deliveries_total",
		Help: "Webhook delivery attempts of safeguarding alerts, by endpoint and outcome (delivered, retry, failed: a dead letter).",
	}, []string{"endpoint", "outcome"}),
		raised: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "resindex_alerts_raised_total",
			Help: "Safeguarding alerts and lookup notifications raised, counted once stored, by kind.",
		}, []string{"kind"})}
	reg.MustRegister(m.deliveries, m.raised, newInboxCollector(s, prometheus.NewDesc("resindex_alerts",
		"Safeguarding alerts and lookup notifications in the store, by status (counted at most once a minute).", []string{"status"}, nil)))
	return m
}

func (m *Metrics) raisedOne(kind string) {
	if m != nil {
		m.raised.WithLabelValues(kind).Inc()
	}
}

func (m *Metrics) delivered(endpoint, outcome string) {
	if m != nil {
		m.deliveries.WithLabelValues(endpoint, outcome).Inc()
	}
}

// CountEvery is how often the inbox is counted again at most: a count
// reads and decodes every alert, so not on every scrape.
const CountEvery = time.Minute

// inboxCollector counts the alerts by status when scraped: at most once
// every CountEvery, in the background (internal/kept).
type inboxCollector struct {
	counts *kept.Value[Counts]
	desc   *prometheus.Desc
}

func newInboxCollector(s Store, desc *prometheus.Desc) *inboxCollector {
	return &inboxCollector{desc: desc, counts: &kept.Value[Counts]{Every: CountEvery, Read: func() (Counts, error) { return countInbox(s) }}}
}

func (c *inboxCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *inboxCollector) Collect(ch chan<- prometheus.Metric) {
	n, err := c.counts.Get(time.Now())
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	for status, v := range map[string]int{"new": n.New, "acknowledged": n.Acknowledged, "closed": n.Closed} {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(v), status)
	}
}

// Deliveries is the counter of one endpoint's deliveries with one
// outcome.
func (m *Metrics) Deliveries(endpoint, outcome string) prometheus.Counter {
	return m.deliveries.WithLabelValues(endpoint, outcome)
}

// Raised is the counter of alerts of one kind the rule raised.
func (m *Metrics) Raised(kind string) prometheus.Counter {
	return m.raised.WithLabelValues(kind)
}

// countInbox counts the alerts by status, reading each alert's status
// alone: no list is built or sorted.
func countInbox(s Store) (Counts, error) {
	var c Counts
	err := s.View(func(t resindex.Txn) error {
		return t.Scan([]byte(layout.AlertPrefix), func(k, v []byte) error {
			var a struct {
				Status string `json:"status"`
			}
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("alerts: alert %s is corrupt: %w", k[len(layout.AlertPrefix):], err)
			}
			c.add(a.Status)
			return nil
		})
	})
	return c, err
}
