package main

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/internal/kept"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
)

// registerIndex registers the series read from the engine and store when
// scraped: match decisions, persons, households, the review queue, the
// store's size and its value-log collections.
func registerIndex(reg prometheus.Registerer, m *Main) {
	counts := &kept.Value[indexCounts]{Every: countEvery, Read: func() (indexCounts, error) { return countKeys(m.DB) }}
	reg.MustRegister(&indexCollector{eng: m.Engine, db: m.DB, counts: counts})
}

var (
	decisionsDesc = prometheus.NewDesc("resindex_match_decisions_total",
		"Changes the engine committed since the process started, by what each decided (merged, split, review, new_person, joined, updated, deleted, unchanged).",
		[]string{"outcome"}, nil)
	personsDesc    = prometheus.NewDesc("resindex_persons", "Persons in the index (counted at most once a minute).", nil, nil)
	householdsDesc = prometheus.NewDesc("resindex_households", "Households in the index (counted at most once a minute).", nil, nil)
	reviewDesc     = prometheus.NewDesc("resindex_review_queue_pairs",
		"Pairs queued for the data stewards' review (counted at most once a minute; includes pairs since decided or re-scored, which the queue no longer shows).", nil, nil)
	sizeDesc = prometheus.NewDesc("resindex_store_size_bytes", "The store's size on disk, by part: lsm (keys and small values) or vlog (the value log).",
		[]string{"part"}, nil)
	gcDesc = prometheus.NewDesc("resindex_store_value_log_gc_runs_total",
		"Value-log garbage collections since the store opened, by result: rewrote, nothing (nothing worth rewriting) or error.", []string{"result"}, nil)
)

// indexCollector reads the index's series when scraped.
type indexCollector struct {
	eng    *resolver.Engine
	db     *store.DB
	counts *kept.Value[indexCounts] // counted at most every countEvery, in the background
}

func (c *indexCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{decisionsDesc, personsDesc, householdsDesc, reviewDesc, sizeDesc, gcDesc} {
		ch <- d
	}
}

func (c *indexCollector) Collect(ch chan<- prometheus.Metric) {
	decided := c.eng.Stats().Decided
	for d := range resolver.NumDecisions {
		ch <- prometheus.MustNewConstMetric(decisionsDesc, prometheus.CounterValue, float64(decided[d]), d.String())
	}
	if n, err := c.counts.Get(time.Now()); err != nil {
		for _, d := range []*prometheus.Desc{personsDesc, householdsDesc, reviewDesc} {
			ch <- prometheus.NewInvalidMetric(d, err)
		}
	} else {
		ch <- prometheus.MustNewConstMetric(personsDesc, prometheus.GaugeValue, float64(n.persons))
		ch <- prometheus.MustNewConstMetric(householdsDesc, prometheus.GaugeValue, float64(n.households))
		ch <- prometheus.MustNewConstMetric(reviewDesc, prometheus.GaugeValue, float64(n.review))
	}
	lsm, vlog := c.db.Size()
	ch <- prometheus.MustNewConstMetric(sizeDesc, prometheus.GaugeValue, float64(lsm), "lsm")
	ch <- prometheus.MustNewConstMetric(sizeDesc, prometheus.GaugeValue, float64(vlog), "vlog")
	gc := c.db.GCRuns()
	ch <- prometheus.MustNewConstMetric(gcDesc, prometheus.CounterValue, float64(gc.Rewrote), "rewrote")
	ch <- prometheus.MustNewConstMetric(gcDesc, prometheus.CounterValue, float64(gc.Nothing), "nothing")
	ch <- prometheus.MustNewConstMetric(gcDesc, prometheus.CounterValue, float64(gc.Failed), "error")
}

// countEvery is how often the counts are taken again at most: each is a
// walk of one kind of key (no values), about a second for a million at
// most, so not on every scrape.
const countEvery = time.Minute

// indexCounts are the persons, households and queued review pairs.
type indexCounts struct{ persons, households, review int64 }

// countKeys counts the keys of persons (p/), households (h/) and review
// pairs (w/) in one snapshot.
func countKeys(db *store.DB) (indexCounts, error) {
	var n indexCounts
	err := db.View(func(t resindex.Txn) error {
		for prefix, into := range map[string]*int64{layout.PersonPrefix: &n.persons, layout.HouseholdPrefix: &n.households, layout.ReviewPrefix: &n.review} {
			if err := t.ScanKeys([]byte(prefix), func([]byte) error { *into++; return nil }); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}
