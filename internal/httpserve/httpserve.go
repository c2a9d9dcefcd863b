package httpserve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"syscall"
	"time"
)

// Grace is how long Stop lets requests in flight finish.
const Grace = 10 * time.Second

// WriteTimeout bounds how long a response may take to write. A handler
// that streams for longer (replication) keeps a rolling deadline of its
// own through http.ResponseController. A variable so tests can shorten it.
var WriteTimeout = 60 * time.Second

// stoppingKey is the request context's key for the channel Stopping
// returns.
type stoppingKey struct{}

// Stopping returns a channel closed when the server serving the request
// whose context is ctx begins to stop: a long stream ends then instead of
// holding Stop for its whole grace. It is nil (never closed) for a
// request served otherwise (httptest).
func Stopping(ctx context.Context) <-chan struct{} {
	ch, _ := ctx.Value(stoppingKey{}).(chan struct{})
	return ch
}

// Server is one HTTP server, listening.
type Server struct {
	// Addr is the address listened on: the one asked for, with the port
	// chosen when it asked for port 0.
	Addr string
	srv  *http.Server
}

// Start listens on addr and serves h on a goroutine until Stop. name says
// which server it is in errors and log lines ("api", "metrics").
func Start(name, addr string, h http.Handler, log *slog.Logger) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("%s: %s is already in use by another program (stop it, or choose another address): %w", name, addr, err)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	stopping := make(chan struct{})
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: WriteTimeout, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10,
		BaseContext: func(net.Listener) context.Context {
			// A value, not a cancellation: ordinary requests in flight
			// still finish within Grace.
			return context.WithValue(context.Background(), stoppingKey{}, stopping)
		}}
	var once sync.Once // Stop may be called again
	srv.RegisterOnShutdown(func() { once.Do(func() { close(stopping) }) })
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error(name+" stopped", "err", err)
		}
	}()
	return &Server{Addr: ln.Addr().String(), srv: srv}, nil
}

// Stop stops listening and waits up to Grace for requests in flight.
func (s *Server) Stop() {
	ctx, cancel := context.WithTimeout(context.Background(), Grace)
	defer cancel()
	s.srv.Shutdown(ctx) //nolint:errcheck // best effort: the process is stopping
}
