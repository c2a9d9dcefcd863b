package httpserve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"syscall"
	"time"
)

// Grace is how long Stop lets requests in flight finish.
const Grace = 10 * time.Second

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
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
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
