package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// The admin socket lets store commands run while serve (or demo) holds
// the store: Badger allows one process per directory, so a command run
// beside the server sends its arguments here and the server runs the
// same command code over its own open store, engine and access service
// (admin_forward.go is the client side). docs/operations.md.

// maxSunPath is the room for a socket's path in sockaddr_un on Linux
// (108 bytes with the terminating NUL).
const maxSunPath = 107

// adminSocketPath is where the server listens: the configuration's (or
// --admin-socket's), else admin.sock in the store directory. "off"
// turns the socket off.
func adminSocketPath(data, configured string) string {
	if configured != "" {
		return configured
	}
	return filepath.Join(data, "admin.sock")
}

// adminServer runs forwarded commands over the server's Main.
type adminServer struct {
	m      *Main
	log    *slog.Logger
	ln     *net.UnixListener
	uid    uint32 // the server's own uid: it and root may connect
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// startAdmin opens the access service if the server has not (forwarded
// commands share it), then listens on the admin socket until stop,
// which also ends the commands in flight and waits for them: the store
// closes after.
func startAdmin(ctx context.Context, m *Main, log *slog.Logger) (stop func(), err error) {
	path := adminSocketPath(m.Config.Data, m.Config.AdminSocket)
	if path == "off" {
		return func() {}, nil
	}
	if err := adminSupported(); err != nil {
		log.Warn("admin socket not started", "reason", err.Error())
		return func() {}, nil
	}
	if err := m.OpenAccess(); err != nil {
		return nil, err
	}
	ln, err := listenAdmin(path)
	if err != nil {
		return nil, err
	}
	unpoint, err := writePointer(m.Config.Data, path)
	if err != nil {
		ln.Close()
		return nil, err
	}
	s := &adminServer{m: m, log: log, ln: ln, uid: uint32(os.Getuid())}
	s.ctx, s.cancel = context.WithCancel(ctx)
	s.wg.Add(1)
	go s.accept()
	log.Info("admin socket listening", "path", path)
	return func() { s.ln.Close(); unpoint(); s.cancel(); s.wg.Wait() }, nil
}

// listenAdmin listens at path, mode 0600. A socket left by a server that
// crashed is replaced; one a live server answers on is not, nor any file
// that is not a socket.
func listenAdmin(path string) (*net.UnixListener, error) {
	if len(path) > maxSunPath {
		return nil, fmt.Errorf("admin socket %s: the path is %d bytes, longer than a Unix socket allows (%d): set admin_socket or --admin-socket to a shorter path", path, len(path), maxSunPath)
	}
	if fi, err := os.Lstat(path); err == nil {
		if fi.Mode().Type() != fs.ModeSocket {
			return nil, fmt.Errorf("admin socket %s: a file that is not a socket is in the way", path)
		}
		if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
			c.Close()
			return nil, fmt.Errorf("admin socket %s: another server is listening on it", path)
		}
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("admin socket %s: remove the stale socket: %w", path, err)
		}
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("admin socket: %w", err)
	}
	// Between bind and chmod the umask's mode applies; the peer's uid is
	// checked on every connection, so the mode is a second fence.
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("admin socket %s: %w", path, err)
	}
	return ln, nil
}

func (s *adminServer) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.AcceptUnix()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				s.log.Error("admin socket: accept", "err", err)
			}
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer c.Close()
			defer s.recoverConn()
			s.serve(c)
		}()
	}
}

// allowedPeer: the server's own user, or root, may run commands; the
// socket's mode already keeps others out, this keeps them out if the
// mode is loosened.
func allowedPeer(peer, self uint32) bool { return peer == self || peer == 0 }

// serve runs one connection's command.
func (s *adminServer) serve(c *net.UnixConn) {
	uid, err := peerUID(c)
	if err != nil || !allowedPeer(uid, s.uid) {
		s.log.Warn("admin socket: connection refused", "peer_uid", uid, "err", err)
		var mu sync.Mutex
		msg := fmt.Sprintf("resindex: refused: only the server's own user (uid %d) or root may use its admin socket\n", s.uid)
		writeFrame(&mu, c, frameStderr, []byte(msg))
		exitFrame(&mu, c, 1)
		return
	}
	br := bufio.NewReader(c)
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	req, err := decodeRequest(br)
	if errors.Is(err, io.EOF) && br.Buffered() == 0 {
		// A client that found the server and then refused the command
		// itself (admin_forward.go) hangs up without a request.
		s.log.Debug("admin socket: closed without a request", "peer_uid", uid)
		return
	}
	if err != nil {
		s.log.Warn("admin socket: bad request", "peer_uid", uid, "err", err)
		return
	}
	c.SetReadDeadline(time.Time{})
	ctx, cancel := context.WithCancel(s.ctx)
	defer cancel()
	// The client sends nothing more: a read ends when it goes (Ctrl-C),
	// and the command's context with it.
	go func() { br.ReadByte(); cancel() }()
	who := peerName(uid)
	code := s.run(ctx, c, req.Args, who)
	s.audit(who, req.Args, code)
}

// runForwarded is run, set at init: run's table of commands holds serve,
// which starts this server, which calls run.
var runForwarded func(ctx context.Context, args []string, e *env) int

func init() { runForwarded = run }

// adminStream is a forwarded command's stderr. It carries the server's
// Main: addConfigFlags finds it as the command's flag output, so that
// the command's own code gets the server's open components without a
// change to every command.
type adminStream struct {
	frameWriter
	m    *Main
	peer string // who sent the command: the operator its audit entries name
}

// run runs a forwarded command as run does on the command line, with its
// output sent in frames, and returns its exit status.
func (s *adminServer) run(ctx context.Context, c *net.UnixConn, args []string, peer string) int {
	var mu sync.Mutex
	stdout := &frameWriter{mu: &mu, w: c, kind: frameStdout}
	stderr := &adminStream{frameWriter{mu: &mu, w: c, kind: frameStderr}, s.m, peer}
	code := 1
	if err := forwardable(args); err != nil {
		fmt.Fprintf(stderr, "resindex %s: %v\n", args[0], err)
	} else {
		code = s.runSafely(ctx, args, &env{stdout: stdout, stderr: stderr})
	}
	if err := exitFrame(&mu, c, code); err != nil {
		s.log.Info("admin socket: the client went before the end of its command", "command", args[0])
	}
	return code
}
