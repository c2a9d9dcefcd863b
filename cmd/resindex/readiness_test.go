package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestReadiness: each check that fails gives its own short reason, in
// order, and only a server whose checks all pass is ready.
func TestReadiness(t *testing.T) {
	down := errors.New("connection refused to 10.0.0.1:9092")
	storeOK, storeClosed := func() error { return nil }, func() error { return errors.New("store: closed") }
	ping := func(err error) func(context.Context) error { return func(context.Context) error { return err } }
	lag := func(n int64, err error) func(context.Context) (int64, error) {
		return func(context.Context) (int64, error) { return n, err }
	}
	cases := []struct {
		name   string
		r      *readiness // nil: the server has not set its checks yet
		status int
		body   string
	}{
		{"starting", nil, 503, "starting\n"},
		{"API only, store open", &readiness{store: storeOK}, 200, "ready\n"},
		{"API only, store closed", &readiness{store: storeClosed}, 503, "store: not open\n"},
		{"caught up", &readiness{store: storeOK, ping: ping(nil), lag: lag(0, nil), maxLag: 0}, 200, "ready\n"},
		{"within the lag allowed", &readiness{store: storeOK, ping: ping(nil), lag: lag(1000, nil), maxLag: 1000}, 200, "ready\n"},
		{"behind", &readiness{store: storeOK, ping: ping(nil), lag: lag(1001, nil), maxLag: 1000}, 503,
			"kafka: consumer 1001 messages behind (readiness.max_lag 1000)\n"},
		{"lag unknown", &readiness{store: storeOK, ping: ping(nil), lag: lag(0, down), maxLag: 1000}, 503, "kafka: consumer lag unknown\n"},
		{"brokers down", &readiness{store: storeOK, ping: ping(down), lag: lag(0, down), maxLag: 1000}, 503,
			"kafka: brokers not reachable\nkafka: consumer lag unknown\n"},
		{"everything wrong", &readiness{store: storeClosed, ping: ping(down), lag: lag(0, down)}, 503,
			"store: not open\nkafka: brokers not reachable\nkafka: consumer lag unknown\n"},
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
				w := httptest.NewRecorder()
				p.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
				if w.Code != want.status || w.Body.String() != want.body {
					t.Errorf("%s: %d %q, want %d %q", path, w.Code, w.Body.String(), want.status, want.body)
				}
				if ct := w.Header().Get("Content-Type"); ct != "text/plain; charset=utf-8" {
					t.Errorf("%s: Content-Type %q", path, ct)
				}
			}
		})
	}
}
