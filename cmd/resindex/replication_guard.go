package main

import (
	"log/slog"
	"net"
	"sync"
	"time"
)

// The replication endpoint sits on the API's listener and takes a static
// secret, so it is guarded against guessing and against filling the log:
// an address that presents a wrong secret guardMax times within
// guardWindow is refused (429) until the window passes, whatever it
// presents; refusals are logged once per guardLogEvery, counted, not
// once each.
const (
	guardWindow   = time.Minute
	guardMax      = 10
	guardLogEvery = time.Minute
	guardMaxAddrs = 10_000 // past it, windows that have passed are forgotten
)

type replicationGuard struct {
	mu        sync.Mutex
	fails     map[string]*addrFails
	refused   int       // refusals not yet logged
	lastLog   time.Time // zero: the next refusal is logged at once
	log       *slog.Logger
	now       func() time.Time
	lastAddrs map[string]bool
}

type addrFails struct {
	n     int
	since time.Time
}

func newReplicationGuard(log *slog.Logger) *replicationGuard {
	return &replicationGuard{fails: map[string]*addrFails{}, lastAddrs: map[string]bool{}, log: log, now: time.Now}
}

// host is the address without its port: a client's port changes each
// connection.
func host(remote string) string {
	if h, _, err := net.SplitHostPort(remote); err == nil {
		return h
	}
	return remote
}

// blocked reports whether an address has failed too often lately.
func (g *replicationGuard) blocked(remote string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	f := g.fails[host(remote)]
	return f != nil && g.now().Sub(f.since) < guardWindow && f.n >= guardMax
}

// refused counts a pull refused from an address (a wrong secret, or
// blocked) and logs the refusals once per guardLogEvery.
func (g *replicationGuard) refuse(remote string, wrongSecret bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now, h := g.now(), host(remote)
	if wrongSecret {
		f := g.fails[h]
		if f == nil || now.Sub(f.since) >= guardWindow {
			g.forgetOld(now)
			f = &addrFails{since: now}
			g.fails[h] = f
		}
		f.n++
	}
	g.refused++
	if !g.lastAddrs[h] && len(g.lastAddrs) < 100 {
		g.lastAddrs[h] = true
	}
	if now.Sub(g.lastLog) < guardLogEvery {
		return
	}
	g.log.Warn("replication: refused pulls without the replication secret (or from an address that failed too often)",
		"refused", g.refused, "addresses", len(g.lastAddrs), "last_remote", h, "per_seconds", guardLogEvery.Seconds())
	g.refused, g.lastLog = 0, now
	clear(g.lastAddrs)
}

// forgetOld drops windows that have passed once there are many.
func (g *replicationGuard) forgetOld(now time.Time) {
	if len(g.fails) < guardMaxAddrs {
		return
	}
	for h, f := range g.fails {
		if now.Sub(f.since) >= guardWindow {
			delete(g.fails, h)
		}
	}
}
