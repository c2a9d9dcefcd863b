package main

import (
	"context"
	"fmt"
	"runtime/debug"
)

// runSafely runs a forwarded command; a panic in it ends the command
// (exit status 1), not the server and every command and API request in
// it. The log line names the command only: its arguments and the
// panic's value may hold resident data, so the value is at debug.
func (s *adminServer) runSafely(ctx context.Context, args []string, e *env) (code int) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("admin socket: a forwarded command panicked; the server goes on", "command", args[0], "stack", string(debug.Stack()))
			s.log.Debug("admin socket: panic value", "command", args[0], "panic", fmt.Sprint(r))
			fmt.Fprintf(e.stderr, "resindex %s: internal error: the command failed in the server (its log has the details)\n", args[0])
			code = 1
		}
	}()
	return runForwarded(ctx, args, e)
}

// recoverConn keeps a panic in a connection's own handling (outside the
// command, which runSafely guards) from ending the server.
func (s *adminServer) recoverConn() {
	if r := recover(); r != nil {
		s.log.Error("admin socket: a connection's handling panicked; the server goes on", "stack", string(debug.Stack()))
		s.log.Debug("admin socket: panic value", "panic", fmt.Sprint(r))
	}
}
