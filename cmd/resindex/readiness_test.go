package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// lagOf is a lag check that always reads n, err.
func lagOf(n int64, err error) func(context.Context) (int64, error) {
	return func(context.Context) (int64, error) { return n, err }
}

// TestReadiness: each check that fails gives its own short reason, in
// order, and only a server whose checks all pass is ready.
func TestReadiness(t *testing.T) {
	down := errors.New("connection refused to 10.0.0.1:9092")
	storeOK, storeClosed := func() error { return nil }, func() error { return errors.New("store: closed") }
	cases := []struct {
		name   string
		r      *readiness // nil: the server has not set its checks yet
		status int
		body   string
	}{
		{"starting", nil, 503, "starting\n"},
		{"API only, store open", &readiness{store: storeOK}, 200, "ready\n"},
		{"API only, store closed", &readiness{store: storeClosed}, 503, "store: not open\n"},
		{"caught up", &readiness{store: storeOK, lag: lagOf(0, nil), maxLag: 0}, 200, "ready\n"},
		{"within the lag allowed", &readiness{store: storeOK, lag: lagOf(1000, nil), maxLag: 1000}, 200, "ready\n"},
		{"behind", &readiness{store: storeOK, lag: lagOf(1001, nil), maxLag: 1000}, 503,
			"kafka: consumer 1001 messages behind (readiness.max_lag 1000)\n"},
		{"brokers down", &readiness{store: storeOK, lag: lagOf(0, down), maxLag: 1000}, 503,
			"kafka: brokers not reachable (consumer lag unknown)\n"},
		{"everything wrong", &readiness{store: storeClosed, lag: lagOf(0, down)}, 503,
			"store: not open\nkafka: brokers not reachable (consumer lag unknown)\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := &probes{}
			if tc.r != nil {
				p.checks.Store(tc.r)
			}
			for path, want := range map[string]struct {
				status int
				body   string
			}{"/readyz": {tc.status, tc.body}, "/healthz": {200, "ok\n"}} {
				code, body := probe(t, p, path)
				if code != want.status || body != want.body {
					t.Errorf("%s: %d %q, want %d %q", path, code, body, want.status, want.body)
				}
			}
		})
	}
}

// probe asks p for path, as a prober would.
func probe(t *testing.T, p *probes, path string) (int, string) {
	t.Helper()
	w := httptest.NewRecorder()
	p.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	if ct := w.Header().Get("Content-Type"); ct != "text/plain; charset=utf-8" {
		t.Errorf("%s: Content-Type %q", path, ct)
	}
	return w.Code, w.Body.String()
}

// TestReadinessCaughtUpOnce: the consumer's lag keeps a server unready
// only until it first catches up; a backlog after that (a nightly CDC
// run) is reported while the server stays ready, and a broker that stops
// answering still makes it unready.
func TestReadinessCaughtUpOnce(t *testing.T) {
	var lag atomic.Int64
	var lagErr atomic.Pointer[error]
	r := &readiness{store: func() error { return nil }, maxLag: 1000, lag: func(context.Context) (int64, error) {
		if e := lagErr.Load(); e != nil {
			return 0, *e
		}
		return lag.Load(), nil
	}}
	steps := []struct {
		lag     int64
		down    bool
		failing string
		notes   string
	}{
		{5000, false, "kafka: consumer 5000 messages behind (readiness.max_lag 1000)", ""},
		{1001, false, "kafka: consumer 1001 messages behind (readiness.max_lag 1000)", ""},
		{1000, false, "", ""},
		{50000, false, "", "kafka: consumer 50000 messages behind (ready: caught up since start)"},
		{0, true, "kafka: brokers not reachable (consumer lag unknown)", ""},
		{20, false, "", ""},
	}
	for i, s := range steps {
		lag.Store(s.lag)
		lagErr.Store(nil)
		if s.down {
			err := errors.New("dial tcp: connection refused")
			lagErr.Store(&err)
		}
		v := r.evaluate(context.Background())
		if got, got2 := strings.Join(v.failing, "|"), strings.Join(v.notes, "|"); got != s.failing || got2 != s.notes {
			t.Errorf("step %d (lag %d): failing %q notes %q, want %q %q", i, s.lag, got, got2, s.failing, s.notes)
		}
	}
	p := &probes{}
	p.checks.Store(r)
	lag.Store(7000)
	if code, body := probe(t, p, "/readyz"); code != 200 || body != "ready\nkafka: consumer 7000 messages behind (ready: caught up since start)\n" {
		t.Errorf("/readyz lagging after catching up: %d %q", code, body)
	}
}

// TestAwaitCatchUp: a consumer that catches up while nobody probes is
// counted as caught up, so a later backlog does not make it unready.
func TestAwaitCatchUp(t *testing.T) {
	var lag atomic.Int64
	lag.Store(10)
	r := &readiness{store: func() error { return nil }, maxLag: 0, lag: func(context.Context) (int64, error) { return lag.Load(), nil }}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { r.awaitCatchUp(ctx, time.Millisecond); close(done) }()
	time.Sleep(20 * time.Millisecond)
	if r.caughtUp.Load() {
		t.Fatal("caught up 10 messages behind with readiness.max_lag 0")
	}
	lag.Store(0)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("awaitCatchUp did not return once caught up")
	}
	lag.Store(10)
	if v := r.evaluate(context.Background()); len(v.failing) > 0 {
		t.Errorf("a backlog after catching up: %q", v.failing)
	}
}

// TestReadinessShared: concurrent probes share one evaluation, and the
// next comes only once readyEvery has passed.
func TestReadinessShared(t *testing.T) {
	var asked atomic.Int64
	r := &readiness{store: func() error { return nil }, lag: func(context.Context) (int64, error) {
		asked.Add(1)
		time.Sleep(100 * time.Millisecond) // the brokers take their time
		return 0, nil
	}}
	p := &probes{}
	p.checks.Store(r)
	start := time.Now()
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			if code, body := probe(t, p, "/readyz"); code != 200 || body != "ready\n" {
				t.Errorf("/readyz: %d %q", code, body)
			}
		})
	}
	wg.Wait()
	if time.Since(start) < readyEvery && asked.Load() != 1 {
		t.Errorf("50 concurrent probes asked the lag %d times, want once", asked.Load())
	}
	p.mu.Lock()
	p.at = p.at.Add(-readyEvery) // as if readyEvery had passed
	p.mu.Unlock()
	probe(t, p, "/readyz")
	if asked.Load() != 2 {
		t.Errorf("a probe after readyEvery: the lag asked %d times in all, want twice", asked.Load())
	}
}

// TestReadinessDeadline: the checks run at once under one deadline, so
// a slow store and slow brokers together answer within the probes' 3 s
// timeout, naming what did not answer.
func TestReadinessDeadline(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	r := &readiness{
		store: func() error { <-release; return nil }, // waiting behind a compaction, say
		lag: func(ctx context.Context) (int64, error) {
			<-ctx.Done()
			return 0, ctx.Err()
		},
	}
	start := time.Now()
	v := r.evaluate(context.Background())
	if took := time.Since(start); took > readyTimeout+500*time.Millisecond {
		t.Errorf("evaluation took %v, want at most %v", took, readyTimeout)
	}
	want := "store: no answer within 2s|kafka: brokers not reachable (no answer within 2s)"
	if got := strings.Join(v.failing, "|"); got != want {
		t.Errorf("failing %q, want %q", got, want)
	}
}
