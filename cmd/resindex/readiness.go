package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// readiness is what /readyz asks of a server: that its store answers
// and, when it reads Kafka, that the brokers answer and its consumer is
// within maxLag messages of the end of its topics. A check that is nil
// is not asked (no Kafka: an API-only server, the demo).
type readiness struct {
	store  func() error
	ping   func(context.Context) error
	lag    func(context.Context) (int64, error)
	maxLag int64
	// replica, on a read replica, says why its copy is too stale to
	// serve ("" when it is not).
	replica func() string
}

// probeTimeout bounds each check that asks the brokers: a probe must
// answer, ready or not, before the prober gives up on it.
const probeTimeout = 3 * time.Second

// failing returns a short reason for each check that fails, in the
// order store, broker, lag; none: ready. Reasons name components and
// numbers, never data.
func (r *readiness) failing(ctx context.Context) []string {
	var out []string
	if err := r.store(); err != nil {
		out = append(out, "store: not open")
	}
	if r.ping != nil {
		c, cancel := context.WithTimeout(ctx, probeTimeout)
		defer cancel()
		if err := r.ping(c); err != nil {
			out = append(out, "kafka: brokers not reachable")
		}
	}
	if r.lag != nil {
		c, cancel := context.WithTimeout(ctx, probeTimeout)
		defer cancel()
		switch lag, err := r.lag(c); {
		case err != nil:
			out = append(out, "kafka: consumer lag unknown")
		case lag > r.maxLag:
			out = append(out, fmt.Sprintf("kafka: consumer %d messages behind (readiness.max_lag %d)", lag, r.maxLag))
		}
	}
	if r.replica != nil {
		if why := r.replica(); why != "" {
			out = append(out, why)
		}
	}
	return out
}

// probes answers /healthz (the process runs) and /readyz (failing) for
// the metrics listener and the API's. Until a server has set its checks
// it is not ready.
type probes struct {
	checks atomic.Pointer[readiness]
}

func (p *probes) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if r.URL.Path == "/healthz" {
		io.WriteString(w, "ok\n")
		return
	}
	reasons := []string{"starting"}
	if c := p.checks.Load(); c != nil {
		reasons = c.failing(r.Context())
	}
	if len(reasons) > 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, strings.Join(reasons, "\n")+"\n")
		return
	}
	io.WriteString(w, "ready\n")
}
