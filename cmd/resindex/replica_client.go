package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// A replica's HTTP client bounds each step of a pull that should be
// quick (connecting, TLS, the writer's first answer) and the silence
// between two reads of the stream, but not the whole stream: a whole copy
// of a large store may take longer than any fixed bound, and with one it
// would never complete.
const (
	replicaDialTimeout   = 10 * time.Second
	replicaHeaderTimeout = 2 * time.Minute // the writer waits for a compaction before it answers
	replicaIdleRead      = time.Minute
)

func replicationClient() *http.Client {
	d := &net.Dialer{Timeout: replicaDialTimeout, KeepAlive: 30 * time.Second}
	return &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           d.DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   replicaDialTimeout,
		ResponseHeaderTimeout: replicaHeaderTimeout,
		IdleConnTimeout:       90 * time.Second,
	}}
}

// idleBody cancels its request when a read waits longer than idle: a
// writer or network gone silent part way. Time the replica spends
// applying between reads does not count.
type idleBody struct {
	io.ReadCloser
	idle   time.Duration
	timer  *time.Timer
	cancel context.CancelFunc
	once   sync.Once
}

func newIdleBody(body io.ReadCloser, idle time.Duration, cancel context.CancelFunc) *idleBody {
	t := time.AfterFunc(idle, cancel)
	t.Stop()
	return &idleBody{ReadCloser: body, idle: idle, timer: t, cancel: cancel}
}

func (b *idleBody) Read(p []byte) (int, error) {
	b.timer.Reset(b.idle)
	defer b.timer.Stop()
	return b.ReadCloser.Read(p)
}

func (b *idleBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(func() { b.timer.Stop(); b.cancel() })
	return err
}
