package main

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// replicaMetrics say how a read replica keeps up: a replica whose last
// successful pull is old serves stale answers.
type replicaMetrics struct {
	pulls       *prometheus.CounterVec
	keys        prometheus.Counter
	lastSuccess prometheus.Gauge
	version     prometheus.Gauge
}

func newReplicaMetrics(reg prometheus.Registerer) *replicaMetrics {
	m := &replicaMetrics{
		pulls: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "resindex_replica_pulls_total",
			Help: "Pulls of the writer's changes, by outcome (ok, error)."}, []string{"outcome"}),
		keys: prometheus.NewCounter(prometheus.CounterOpts{Name: "resindex_replica_keys_applied_total",
			Help: "Keys copied from the writer's store (set or deleted)."}),
		lastSuccess: prometheus.NewGauge(prometheus.GaugeOpts{Name: "resindex_replica_last_pull_timestamp_seconds",
			Help: "When the last successful pull finished (Unix seconds)."}),
		version: prometheus.NewGauge(prometheus.GaugeOpts{Name: "resindex_replica_writer_version",
			Help: "The writer's store version the replica has copied up to."}),
	}
	reg.MustRegister(m.pulls, m.keys, m.lastSuccess, m.version)
	return m
}

func (m *replicaMetrics) observe(keys int, upTo uint64, err error) {
	if err != nil {
		m.pulls.WithLabelValues("error").Inc()
		return
	}
	m.pulls.WithLabelValues("ok").Inc()
	m.keys.Add(float64(keys))
	m.lastSuccess.Set(float64(time.Now().UnixNano()) / 1e9)
	m.version.Set(float64(upTo))
}
