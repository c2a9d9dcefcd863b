package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/resindex/resindex/store"
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
	pr := &probes{every: time.Nanosecond} // each call evaluates afresh
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

// TestReplicaProbesWhileCopying: a replica waiting for its first copy
// (the writer unreachable) already answers its metrics listener's
// probes: alive, and not ready because it is starting.
func TestReplicaProbesWhileCopying(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	if err := os.WriteFile(secret, []byte(strings.Repeat("ab", 32)), 0o600); err != nil {
		t.Fatal(err)
	}
	maddr := freeAddr(t)
	_, errb, stop := startCommand(t, "serve", "--replica-of", "http://"+freeAddr(t), "--data", filepath.Join(dir, "r"),
		"--http-addr", freeAddr(t), "--metrics-addr", maddr, "--replication-secret-file", secret, "--replication-poll", "100ms")
	defer stop()
	probe := func(path string) (int, string) {
		resp, err := http.Get("http://" + maddr + path)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for range 100 {
		if code, _ := probe("/healthz"); code == http.StatusOK {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code, body := probe("/healthz"); code != http.StatusOK {
		t.Fatalf("/healthz while copying: %d %s\n%s", code, body, errb.String())
	}
	if code, body := probe("/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, "starting") {
		t.Errorf("/readyz while copying: %d %q", code, body)
	}
}

// TestReplicaProbesWhileEngineOpens: a replica's metrics listener keeps
// answering /healthz while its engine opens (a big store's preload takes
// minutes), from the copy to the server's own start.
func TestReplicaProbesWhileEngineOpens(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret")
	if err := os.WriteFile(secret, []byte(strings.Repeat("ab", 32)), 0o600); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "r")
	db, err := store.Open(store.Options{Dir: data, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	// A store holding a copy: it starts with the writer down.
	if err := db.ApplyReplicated(nil, &store.ReplicaPos{Next: 5, Generation: "g"}, nil, nil); err != nil {
		t.Fatal(err)
	}
	db.Close()
	opening, release := make(chan struct{}), make(chan struct{})
	beforeReplicaEngine = func() { close(opening); <-release }
	defer func() { beforeReplicaEngine = func() {} }()
	maddr := freeAddr(t)
	_, errb, stop := startCommand(t, "serve", "--replica-of", "http://"+freeAddr(t), "--data", data,
		"--http-addr", freeAddr(t), "--metrics-addr", maddr, "--replication-secret-file", secret, "--replication-poll", "100ms")
	defer stop()
	defer close(release)
	select {
	case <-opening:
	case <-time.After(30 * time.Second):
		t.Fatalf("the engine did not begin to open\n%s", errb.String())
	}
	resp, err := http.Get("http://" + maddr + "/healthz")
	if err != nil {
		t.Fatalf("/healthz while the engine opens: %v\n%s", err, errb.String())
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/healthz while the engine opens: %d", resp.StatusCode)
	}
}

// cutFirstStream makes the pair's next whole copy (since=0) break part
// way, and runs the pull that it breaks.
func cutFirstStream(t *testing.T, p *replicaPair) {
	t.Helper()
	cut := true
	h := replicationHandler(p.w, []byte(strings.Repeat("s", 32)), p.quiet)
	p.wsrv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if cut && strings.Contains(r.URL.RawQuery, "since=0") {
			cut = false
			w = &cutWriter{ResponseWriter: w, limit: 100 << 10}
		}
		h.ServeHTTP(w, r)
	})
	p.rep.batchKeys = 10
	if _, err := p.rep.pull(context.Background()); err == nil {
		t.Fatal("a cut stream was taken as whole")
	}
	if pos, err := p.r.ReplicaPosition(); err != nil || pos.Copy == nil {
		t.Fatalf("after a cut copy: position %+v, %v", pos, err)
	}
}

// TestReplicaKilledDuringARecopyStarts: a replica stopped part way
// through copying the writer's store again (after its compaction) held a
// whole copy before, and starts serving it with the writer down; one
// stopped part way through its first copy waits for the writer.
func TestReplicaKilledDuringARecopyStarts(t *testing.T) {
	big := strings.Repeat("v", 4096)
	fill := func(p *replicaPair) {
		for i := range 50 {
			p.set(t, fmt.Sprintf("r/k\x00%02d", i), big)
		}
	}
	p := newReplicaPair(t)
	fill(p)
	p.pull(t)
	if err := p.w.Compact(); err != nil {
		t.Fatal(err)
	}
	cutFirstStream(t, p)
	p.wsrv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := p.rep.firstCopy(ctx, 50*time.Millisecond); err != nil {
		t.Fatalf("a replica stopped during a re-copy did not start with the writer down: %v", err)
	}

	first := newReplicaPair(t)
	fill(first)
	cutFirstStream(t, first)
	first.wsrv.Close()
	ctx, cancel = context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if err := first.rep.firstCopy(ctx, 50*time.Millisecond); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a replica with half a first copy started without the writer: %v", err)
	}
}
