package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// TestReplicaWithACopyStartsWriterDown: a replica that holds a copy
// starts (and serves it) while the writer cannot be reached; one that
// has never copied waits for the writer.
func TestReplicaWithACopyStartsWriterDown(t *testing.T) {
	p := newReplicaPair(t)
	p.set(t, "r/a\x001", "x")
	p.pull(t)
	p.wsrv.Close() // the writer goes down
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := p.rep.firstCopy(ctx, 50*time.Millisecond); err != nil {
		t.Fatalf("a replica with a copy did not start while the writer was down: %v", err)
	}

	empty := newReplicaPair(t)
	empty.wsrv.Close()
	ctx, cancel = context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if err := empty.rep.firstCopy(ctx, 50*time.Millisecond); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a replica without a copy started without the writer: %v", err)
	}
}

// TestReplicaReadinessFollowsStaleness: a replica is not ready before
// its first successful pull in this process, nor once the last is older
// than replication.max_staleness; /readyz says so.
func TestReplicaReadinessFollowsStaleness(t *testing.T) {
	p := newReplicaPair(t)
	p.rep.maxStale = 300 * time.Millisecond
	pr := &probes{}
	pr.checks.Store(&readiness{store: p.r.Ready})
	p.rep.addReadiness(pr)
	ready := func() (int, string) {
		rec := httptest.NewRecorder()
		pr.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
		return rec.Code, rec.Body.String()
	}
	if code, body := ready(); code != http.StatusServiceUnavailable || !strings.Contains(body, "no pull") {
		t.Errorf("before any pull: %d %q", code, body)
	}
	p.pull(t)
	if code, body := ready(); code != http.StatusOK {
		t.Errorf("just after a pull: %d %q", code, body)
	}
	time.Sleep(400 * time.Millisecond)
	if code, body := ready(); code != http.StatusServiceUnavailable || !strings.Contains(body, "replication.max_staleness") {
		t.Errorf("a pull older than max_staleness: %d %q", code, body)
	}
}

// TestReplicaPullGivesUpOnASilentWriter: a stream that stops part way
// (the writer or the network gone silent) fails the pull after the idle
// read bound, with no bound on the whole stream.
func TestReplicaPullGivesUpOnASilentWriter(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(upToHeader, "5")
		w.Write([]byte("RXR1"))
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	p := newReplicaPair(t)
	r, err := newReplica(p.r, srv.URL, []byte(strings.Repeat("s", 32)), p.quiet, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	r.idleRead = 300 * time.Millisecond
	t0 := time.Now()
	if _, err := r.pull(context.Background()); err == nil || time.Since(t0) > 10*time.Second {
		t.Fatalf("a silent stream: %v after %s", err, time.Since(t0))
	}
}
