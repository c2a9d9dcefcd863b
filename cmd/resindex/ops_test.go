package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/resindex/resindex"
)

// TestServeMetricsAndReadiness runs serve with the API and metrics over a
// backlog of the borough's events that its consumer cannot fetch until
// the test lets it: /readyz says not ready while the consumer lags, and
// ready once it has caught up; after API calls, /metrics shows the key
// series moved.
func TestServeMetricsAndReadiness(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "gen", "--persons", "300", "--seed", "8", "--out", dir, "--quiet")
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.AllowAutoTopicCreation(), kfake.DefaultNumPartitions(2),
		kfake.SeedTopics(2, resindex.Sources...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cluster.Close)
	addr := cluster.ListenAddrs()
	data := filepath.Join(dir, "store")
	cfg := filepath.Join(dir, "resindex.yaml")
	if err := os.WriteFile(cfg, []byte("readiness:\n  max_lag: 0\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	kafkaArgs := []string{"--data", data, "--config", cfg, "--brokers", strings.Join(addr, ","), "--topics", "all", "--population", "400"}
	mustRun(t, append([]string{"serve", "--stop-when-idle", "200ms", "--quiet"}, kafkaArgs...)...) // makes the store
	tok, _ := mustRun(t, "token", "create", "--data", data, "--name", "crm", "--role", "frontline")
	tok = strings.TrimSpace(tok)

	// No fetch is answered until the gate opens: the backlog stays unread.
	var gate atomic.Pointer[chan struct{}]
	release := shut(&gate)
	cluster.ControlKey(int16(kmsg.Fetch), func(kmsg.Request) (kmsg.Response, error, bool) {
		cluster.KeepControl()
		g := *gate.Load()
		cluster.SleepControl(func() { <-g })
		return nil, nil, false
	})
	backlog := produceEvents(t, addr, dir, 0, 1)
	apiAddr := freeAddr(t)
	_, errb, stop := startCommand(t, append([]string{"serve", "--http-addr", apiAddr, "--metrics-addr", "127.0.0.1:0", "--status-every", "1h"}, kafkaArgs...)...)
	metrics := metricsBase(t, errb)
	api := "http://" + apiAddr
	waitFor(t, api, errb)
	for _, base := range []string{metrics, api} {
		if code, body := fetch(t, base+"/healthz"); code != 200 || body != "ok\n" {
			t.Errorf("%s/healthz: %d %q", base, code, body)
		}
		code, body := fetch(t, base+"/readyz")
		if code != 503 || !strings.Contains(body, "kafka: consumer "+strconv.Itoa(backlog)+" messages behind (readiness.max_lag 0)") {
			t.Errorf("%s/readyz with %d messages unread: %d %q", base, backlog, code, body)
		}
	}
	release()
	waitReady(t, metrics+"/readyz", errb)
	if code, body := fetch(t, api+"/readyz"); code != 200 || body != "ready\n" {
		t.Errorf("the API's /readyz once caught up: %d %q", code, body)
	}

	ref := searchOne(t, api, tok, familyOf(t, dir))
	call(t, "GET", api+"/api/v1/persons/"+ref, tok, nil, nil)
	if code := get(t, api+"/api/v1/persons/"+ref+"x", tok); code != 404 {
		t.Errorf("an unknown reference: %d", code)
	}
	got := waitSeries(t, metrics, "resindex_audit_chain_ok", errb)
	checkServeSeries(t, got, ref)

	// A backlog after catching up (a nightly CDC run) leaves it ready,
	// saying how far behind it is.
	release = shut(&gate)
	produceEvents(t, addr, dir, 0, 1)
	waitLagging(t, metrics+"/readyz", errb)
	release()
	if code := stop(); code != 0 {
		t.Fatalf("serve stopped with %d:\n%s", code, errb.String())
	}
}

// checkServeSeries checks that the key series of a serve that has
// ingested and answered the API moved.
func checkServeSeries(t *testing.T, got series, ref string) {
	t.Helper()
	for _, c := range []struct {
		name   string
		labels []string
		min    float64
	}{
		{"resindex_http_requests_total", []string{`handler="GET /api/v1/persons"`, `code="200"`}, 1},
		{"resindex_http_requests_total", []string{`handler="GET /api/v1/persons/{id}"`, `code="200"`}, 1},
		{"resindex_http_requests_total", []string{`handler="GET /api/v1/persons/{id}"`, `code="404"`}, 1},
		{"resindex_http_request_duration_seconds_count", []string{`handler="GET /api/v1/persons"`}, 1},
		{"resindex_apply_duration_seconds_count", nil, 1},
		{"resindex_match_decisions_total", []string{`outcome="new_person"`}, 1},
		{"resindex_match_decisions_total", []string{`outcome="joined"`}, 1},
		{"resindex_persons", nil, 1},
		{"resindex_households", nil, 1},
		{"resindex_review_queue_pairs", nil, 0},
		{"resindex_store_size_bytes", nil, 1},
		{"resindex_store_value_log_gc_runs_total", nil, 0},
		{"resindex_kafka_messages_total", []string{`outcome="applied"`}, 1},
		{"resindex_kafka_messages_total", []string{`outcome="dead_lettered"`}, 1},
		{"resindex_kafka_consumer_lag_messages", nil, 0},
		{"resindex_changes_published_total", nil, 1},
		{"resindex_alerts", nil, 0},
		{"resindex_audit_chain_ok", nil, 1},
		{"resindex_audit_last_verified_timestamp_seconds", nil, 1},
		{"resindex_build_info", []string{`version="`, `goversion="go`}, 1},
	} {
		if v, ok := got.sum(c.name, c.labels...); !ok || v < c.min {
			t.Errorf("%s%v = %v (present: %v), want at least %v", c.name, c.labels, v, ok, c.min)
		}
	}
	for line := range got {
		if strings.Contains(line, ref) {
			t.Errorf("a series names a person's reference: %s", line)
		}
	}
}

// TestServeAPIOnlyMetrics: serve with no Kafka serves its metrics and
// probes too; ready as soon as its store answers.
func TestServeAPIOnlyMetrics(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "gen", "--persons", "200", "--seed", "8", "--out", dir, "--quiet", "--no-events")
	data := filepath.Join(dir, "store")
	mustRun(t, "ingest", "--canonical", filepath.Join(dir, "canonical"), "--data", data, "--quiet")
	tok, _ := mustRun(t, "token", "create", "--data", data, "--name", "crm", "--role", "frontline")
	apiAddr := freeAddr(t)
	_, errb, stop := startCommand(t, "serve", "--data", data, "--http-addr", apiAddr, "--metrics-addr", "127.0.0.1:0")
	metrics, api := metricsBase(t, errb), "http://"+apiAddr
	waitFor(t, api, errb)
	for _, base := range []string{metrics, api} {
		if code, body := fetch(t, base+"/readyz"); code != 200 || body != "ready\n" {
			t.Errorf("%s/readyz: %d %q", base, code, body)
		}
	}
	searchOne(t, api, strings.TrimSpace(tok), familyOf(t, dir))
	got := scrape(t, metrics)
	for _, name := range []string{"resindex_persons", "resindex_households", "resindex_store_size_bytes", "resindex_build_info"} {
		if v, ok := got.sum(name); !ok || v <= 0 {
			t.Errorf("%s = %v (present: %v)", name, v, ok)
		}
	}
	if v, _ := got.sum("resindex_http_requests_total", `handler="GET /api/v1/persons"`, `code="200"`); v != 1 {
		t.Errorf("searches counted: %v, want 1", v)
	}
	if code := stop(); code != 0 {
		t.Fatalf("serve stopped with %d:\n%s", code, errb.String())
	}
}

// shut closes the gate (fetches wait at it) until the returned func
// opens it again.
func shut(gate *atomic.Pointer[chan struct{}]) func() {
	g := make(chan struct{})
	gate.Store(&g)
	return func() { close(g) }
}

// waitLagging waits until a caught-up server's /readyz reports its
// consumer behind while still ready; it fails if the server is ever
// unready meanwhile.
func waitLagging(t *testing.T, url string, errb *lockedBuffer) {
	t.Helper()
	var body string
	for range 300 {
		var code int
		code, body = fetch(t, url)
		if code != 200 {
			t.Fatalf("a caught-up server lagging again is unready: %d %q", code, body)
		}
		if strings.HasPrefix(body, "ready\nkafka: consumer ") && strings.HasSuffix(body, " messages behind (ready: caught up since start)\n") {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("/readyz never reported the backlog: %q\n%s", body, errb.String())
}
