package main

import (
	"cmp"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// readyEvery is how long one evaluation answers /readyz. The API's
// /readyz is open to anyone who reaches it; sharing the answer keeps
// callers, however many, from making the server ask its brokers more
// often.
const readyEvery = 2 * time.Second

// probes answers /healthz (the process runs) and /readyz (the checks'
// verdict) for the metrics listener and the API's. Until a server has
// set its checks it is not ready.
type probes struct {
	checks atomic.Pointer[readiness]
	mu     sync.Mutex // one evaluation at a time; callers meanwhile wait and share it
	of     *readiness // the checks last evaluated, at, giving last
	at     time.Time
	last   verdict
	every  time.Duration // how long a verdict is shared; 0: readyEvery (tests shorten it)
}

// verdict is the checks' verdict, evaluated at most once in readyEvery.
// It is evaluated apart from any caller's request: a caller that gives
// up does not spoil the answer the others share.
func (p *probes) verdict() verdict {
	c := p.checks.Load()
	if c == nil {
		return verdict{failing: []string{"starting"}}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.of == c && time.Since(p.at) < cmp.Or(p.every, readyEvery) {
		return p.last
	}
	v := c.evaluate(context.Background())
	p.of, p.at, p.last = c, time.Now(), v
	return v
}

func (p *probes) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if r.URL.Path == "/healthz" {
		io.WriteString(w, "ok\n")
		return
	}
	v := p.verdict()
	if len(v.failing) > 0 {
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, strings.Join(v.failing, "\n")+"\n")
		return
	}
	io.WriteString(w, strings.Join(append([]string{"ready"}, v.notes...), "\n")+"\n")
}
