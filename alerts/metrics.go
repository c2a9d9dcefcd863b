package alerts

import "github.com/prometheus/client_golang/prometheus"

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
	reg.MustRegister(m.deliveries, m.raised, &inboxCollector{s: s, desc: prometheus.NewDesc("resindex_alerts",
		"Safeguarding alerts and lookup notifications in the store, by status.", []string{"status"}, nil)})
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

// inboxCollector counts the alerts by status when scraped.
type inboxCollector struct {
	s    Store
	desc *prometheus.Desc
}

func (c *inboxCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *inboxCollector) Collect(ch chan<- prometheus.Metric) {
	_, n, err := List(c.s, Filter{})
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
