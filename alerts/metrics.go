package alerts

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/resindex/resindex"
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
	reg.MustRegister(m.deliveries, m.raised, &inboxCollector{s: s, every: CountEvery, desc: prometheus.NewDesc("resindex_alerts",
		"Safeguarding alerts and lookup notifications in the store, by status (counted at most once a minute).", []string{"status"}, nil)})
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

// inboxCollector counts the alerts by status when scraped, keeping the
// count for every.
type inboxCollector struct {
	s     Store
	desc  *prometheus.Desc
	every time.Duration
	mu    sync.Mutex // one count at a time; scrapes meanwhile wait for it
	at    time.Time
	last  Counts
}

func (c *inboxCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *inboxCollector) Collect(ch chan<- prometheus.Metric) {
	n, err := c.count(time.Now())
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	for status, v := range map[string]int{"new": n.New, "acknowledged": n.Acknowledged, "closed": n.Closed} {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(v), status)
	}
}

// count is the inbox's counts, taken again once every has passed.
func (c *inboxCollector) count(now time.Time) (Counts, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.at.IsZero() && now.Sub(c.at) < c.every {
		return c.last, nil
	}
	n, err := countInbox(c.s)
	if err != nil {
		return n, err
	}
	c.at, c.last = now, n
	return n, nil
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
			switch a.Status {
			case resindex.AlertNew:
				c.New++
			case resindex.AlertAcknowledged:
				c.Acknowledged++
			case resindex.AlertClosed:
				c.Closed++
			}
			return nil
		})
	})
	return c, err
}
