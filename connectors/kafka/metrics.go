package kafka

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the connectors' Prometheus metrics, registered on the
// registry main builds.
type Metrics struct {
	messages  *prometheus.CounterVec
	retries   prometheus.Counter
	latency   prometheus.Histogram
	published prometheus.Counter
}

// NewMetrics makes the metrics and registers them on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "resindex_kafka_messages_total",
			Help: "Messages handled, by topic and outcome (applied, unchanged, skipped, dead_lettered)."}, []string{"topic", "outcome"}),
		retries: prometheus.NewCounter(prometheus.CounterOpts{Name: "resindex_kafka_retries_total",
			Help: "Failed attempts to apply, dead-letter or read a position, each retried."}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "resindex_kafka_event_to_change_seconds",
			Help:    "Time from a message's Kafka timestamp to its change committed in the store.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2.5, 14)}),
		published: prometheus.NewCounter(prometheus.CounterOpts{Name: "resindex_changes_published_total",
			Help: "Person changes published to the change-feed topic."}),
	}
	reg.MustRegister(m.messages, m.retries, m.latency, m.published)
	return m
}

var outcomeNames = [...]string{Applied: "applied", Unchanged: "unchanged", Skipped: "skipped", DeadLettered: "dead_lettered"}

func (m *Metrics) handled(topic string, o Outcome, produced, done time.Time) {
	if m == nil {
		return
	}
	m.messages.WithLabelValues(topic, outcomeNames[o]).Inc()
	if o == Applied && !produced.IsZero() {
		m.latency.Observe(done.Sub(produced).Seconds())
	}
}

func (m *Metrics) retried() {
	if m != nil {
		m.retries.Inc()
	}
}

func (m *Metrics) sent(n int) {
	if m != nil {
		m.published.Add(float64(n))
	}
}

// RegisterLag adds a gauge of the consumer group's lag, read from the
// brokers when scraped at most once every LagEvery (RecentLag), the
// reading /readyz uses too.
func (c *Consumer) RegisterLag(reg prometheus.Registerer) {
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "resindex_kafka_consumer_lag_messages",
		Help: "Messages on the consumer's topics not yet committed by its group (-1 when the brokers cannot be asked)."},
		func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			lag, err := c.RecentLag(ctx)
			if err != nil {
				return -1
			}
			return float64(lag)
		}))
}
