package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// deployMetrics are the series resindex serves, with their labels, as
// docs/operations.md lists them; this list must match that one. The alert
// rules and the dashboard in deploy/ may name only these (and the Go and
// process collectors' series below), so that a renamed metric cannot
// leave an alert silently watching nothing. Histograms also have _bucket
// (with le), _sum and _count.
var deployMetrics = map[string][]string{
	"resindex_http_requests_total":                   {"handler", "method", "code"},
	"resindex_http_request_duration_seconds":         {"handler", "method"},
	"resindex_apply_duration_seconds":                {},
	"resindex_match_decisions_total":                 {"outcome"},
	"resindex_persons":                               {},
	"resindex_households":                            {},
	"resindex_review_queue_pairs":                    {},
	"resindex_alerts_raised_total":                   {"kind"},
	"resindex_alert_deliveries_total":                {"endpoint", "outcome"},
	"resindex_alerts":                                {"status"},
	"resindex_store_size_bytes":                      {"part"},
	"resindex_store_value_log_gc_runs_total":         {"result"},
	"resindex_kafka_messages_total":                  {"topic", "outcome"},
	"resindex_kafka_consumer_lag_messages":           {},
	"resindex_kafka_event_to_change_seconds":         {},
	"resindex_changes_published_total":               {},
	"resindex_audit_chain_ok":                        {},
	"resindex_audit_last_verified_timestamp_seconds": {},
	"resindex_backups_total":                         {"outcome"},
	"resindex_backup_last_success_timestamp_seconds": {},
	"resindex_build_info":                            {"version", "goversion"},
	"resindex_replica_pulls_total":                   {"outcome"},
	"resindex_replica_keys_applied_total":            {},
	"resindex_replica_last_pull_timestamp_seconds":   {},
	"resindex_replica_writer_version":                {},
	"up":                                             {},
	"process_resident_memory_bytes":                  {},
	"process_start_time_seconds":                     {},
	"go_memstats_heap_inuse_bytes":                   {},
}

var deployHistograms = []string{"resindex_http_request_duration_seconds", "resindex_apply_duration_seconds",
	"resindex_kafka_event_to_change_seconds"}

// targetLabels are added by Prometheus to every series it scrapes.
var targetLabels = []string{"job", "instance", "role"}

// promSeries finds each metric a PromQL expression selects, with the label
// names its matchers use: `name{a="x",b=~"y"}` or a bare `name`.
var promSeries = regexp.MustCompile(`\b((?:resindex|go|process)_[a-z0-9_]+|up)\b(\{[^}]*\})?`)
var matcherLabel = regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)`)

// checkExpr reports every metric or label in expr that resindex does not serve.
func checkExpr(t *testing.T, where, expr string) int {
	t.Helper()
	n := 0
	for _, m := range promSeries.FindAllStringSubmatch(expr, -1) {
		name, labels := m[1], []string(nil)
		for _, h := range deployHistograms {
			for _, suffix := range []string{"_bucket", "_sum", "_count"} {
				if name == h+suffix {
					name, labels = h, []string{"le"}
				}
			}
		}
		known, ok := deployMetrics[name]
		if !ok {
			t.Errorf("%s: %s is not a metric resindex serves (docs/operations.md)", where, m[1])
			continue
		}
		labels = append(append(labels, known...), targetLabels...)
		for _, l := range matcherLabel.FindAllStringSubmatch(m[2], -1) {
			if !slices.Contains(labels, l[1]) {
				t.Errorf("%s: %s has no label %q (it has %v)", where, m[1], l[1], known)
			}
		}
		for _, bad := range badLabelValues(where, name, m[2]) {
			t.Error(bad)
		}
		n++
	}
	return n
}

func TestDeployAlertRulesNameServedMetrics(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "deploy", "prometheus", "alerts.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var rules struct {
		Groups []struct {
			Rules []struct{ Alert, Expr string }
		}
	}
	if err := yaml.Unmarshal(raw, &rules); err != nil {
		t.Fatal(err)
	}
	var alerts []string
	for _, g := range rules.Groups {
		for _, r := range g.Rules {
			if checkExpr(t, "alert "+r.Alert, r.Expr) == 0 {
				t.Errorf("alert %s watches no metric: %s", r.Alert, r.Expr)
			}
			alerts = append(alerts, r.Alert)
		}
	}
	// What issue 17 asks the rules to watch, at the least.
	for _, want := range []string{"ResindexConsumerLagHigh", "ResindexDeadLetters", "ResindexWebhookFailures",
		"ResindexAuditChainBroken", "ResindexDown"} {
		if !slices.Contains(alerts, want) {
			t.Errorf("no alert %s in deploy/prometheus/alerts.yml", want)
		}
	}
}

func TestDeployDashboardNamesServedMetrics(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "deploy", "grafana", "dashboards", "resindex.json"))
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			ID      int
			Type    string
			Title   string
			Targets []struct{ Expr string }
		}
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatal(err)
	}
	ids, shown := map[int]bool{}, map[string]bool{}
	for _, p := range dash.Panels {
		if ids[p.ID] {
			t.Errorf("panel id %d used twice (Grafana keeps one)", p.ID)
		}
		ids[p.ID] = true
		for _, q := range p.Targets {
			if checkExpr(t, "panel "+p.Title, q.Expr) == 0 {
				t.Errorf("panel %s: a query names no metric: %s", p.Title, q.Expr)
			}
			for _, m := range promSeries.FindAllStringSubmatch(q.Expr, -1) {
				shown[strings.TrimSuffix(m[1], "_bucket")] = true
			}
		}
	}
	// Every resindex series is on the dashboard somewhere.
	for name := range deployMetrics {
		if strings.HasPrefix(name, "resindex_") && !shown[name] {
			t.Errorf("the dashboard has no panel for %s", name)
		}
	}
}
