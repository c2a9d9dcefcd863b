package main

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/web"
)

// labelValues are the values resindex gives a label, and the source file
// that gives them: a rule matching a value no code emits (outcome="failed"
// where the code says "failure") watches nothing and can never fire.
type labelValues struct {
	source string
	values []string
	// ok, when set, judges a value no list can hold (route patterns).
	ok func(string) bool
}

func decisionNames() []string {
	var out []string
	for d := range resolver.NumDecisions {
		out = append(out, d.String())
	}
	return out
}

// routeLabel is a handler label the web package gives: a route pattern
// ("GET /api/v1/persons/{id}") or web.Unmatched.
func routeLabel(v string) bool {
	return v == web.Unmatched || regexp.MustCompile(`^(?:[A-Z]+ )?/`).MatchString(v)
}

// deployLabelValues: metric -> label -> the values the code emits. A label
// not here (topic, endpoint, code, job, …) is free-form and not checked.
var deployLabelValues = map[string]map[string]labelValues{
	"resindex_backups_total": {"outcome": {source: "cmd/resindex/backup_schedule.go",
		values: []string{"success", "failure"}}},
	"resindex_replica_pulls_total": {"outcome": {source: "cmd/resindex/replica_metrics.go",
		values: []string{"ok", "error"}}},
	"resindex_kafka_messages_total": {"outcome": {source: "connectors/kafka/metrics.go",
		values: []string{"applied", "unchanged", "skipped", "dead_lettered"}}},
	"resindex_alert_deliveries_total": {"outcome": {source: "alerts/deliver.go, alerts/store.go",
		values: []string{"delivered", "retry", "failed"}}},
	"resindex_alerts": {"status": {source: "alerts/metrics.go",
		values: []string{"new", "acknowledged", "closed"}}},
	"resindex_store_size_bytes": {"part": {source: "cmd/resindex/ops_index.go",
		values: []string{"lsm", "vlog"}}},
	"resindex_store_value_log_gc_runs_total": {"result": {source: "cmd/resindex/ops_index.go",
		values: []string{"rewrote", "nothing", "error"}}},
	"resindex_match_decisions_total": {"outcome": {source: "resolver/decisions.go",
		values: decisionNames()}},
	"resindex_http_requests_total":           {"handler": {source: "web/metrics.go", ok: routeLabel}},
	"resindex_http_request_duration_seconds": {"handler": {source: "web/metrics.go", ok: routeLabel}},
}

// labelMatcher is one label matcher of a selector: name, operator and the
// quoted value.
var labelMatcher = regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"`)

// badLabelValues says of each matcher of selector whose value no code
// emits: an equality names an unknown value, or a regular expression
// matches none of the known ones. Grafana variables ($job) are skipped.
func badLabelValues(where, metric, selector string) []string {
	var bad []string
	for _, m := range labelMatcher.FindAllStringSubmatch(selector, -1) {
		label, op, value := m[1], m[2], m[3]
		known, ok := deployLabelValues[metric][label]
		if !ok || strings.Contains(value, "$") {
			continue
		}
		if !labelValueKnown(known, op, value) {
			bad = append(bad, fmt.Sprintf("%s: %s{%s%s%q}: %s gives %s only %s", where, metric, label, op, value,
				known.source, label, describeValues(known)))
		}
	}
	return bad
}

func labelValueKnown(known labelValues, op, value string) bool {
	if op == "=" || op == "!=" {
		return slices.Contains(known.values, value) || known.ok != nil && known.ok(value)
	}
	rx, err := regexp.Compile("^(?:" + value + ")$")
	if err != nil {
		return false
	}
	if known.ok != nil {
		return true // a pattern over route patterns: not enumerable
	}
	return slices.ContainsFunc(known.values, rx.MatchString)
}

func describeValues(known labelValues) string {
	if known.ok != nil {
		return "route patterns and " + web.Unmatched
	}
	return strings.Join(known.values, ", ")
}

// TestDeployLabelValuesCheckFails proves the check refuses what the
// review found: a rule matching outcome="failed" on resindex_backups_total.
func TestDeployLabelValuesCheckFails(t *testing.T) {
	for _, tc := range []struct {
		metric, selector string
		bad              bool
	}{
		{"resindex_backups_total", `{outcome="failed"}`, true},
		{"resindex_backups_total", `{outcome="failure"}`, false},
		{"resindex_backups_total", `{outcome=~"fail.*"}`, false},
		{"resindex_backups_total", `{outcome=~"error|failed"}`, true},
		{"resindex_replica_pulls_total", `{outcome!="success"}`, true},
		{"resindex_http_requests_total", `{handler="unmatched",code="503"}`, false},
		{"resindex_http_requests_total", `{handler="unmatchd"}`, true},
		{"resindex_kafka_messages_total", `{job=~"$job",outcome="dead_lettered"}`, false},
	} {
		got := badLabelValues("case", tc.metric, tc.selector)
		if (len(got) > 0) != tc.bad {
			t.Errorf("%s%s: refused %q, want refused %v", tc.metric, tc.selector, got, tc.bad)
		}
	}
}
