package main

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/resindex/resindex/internal/config"
)

// TestAdminSocketElsewhere: a server whose socket is not in the store
// directory leaves a pointer there that commands given only --data
// follow, and takes it away when it stops; a stale pointer neither
// stops a command running alone nor hides the next server's socket.
func TestAdminSocketElsewhere(t *testing.T) {
	dir := t.TempDir()
	data, sock := filepath.Join(dir, "store"), filepath.Join(dir, "run", "a.sock")
	os.MkdirAll(filepath.Dir(sock), 0o700)
	m := &Main{Config: config.Config{Data: data, AdminSocket: sock}, Create: true}
	stop, err := startAdmin(context.Background(), m, slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := readPointer(data); got != sock {
		t.Errorf("pointer names %q, want %q", got, sock)
	}
	// The server holds Badger's lock: this succeeds only through its socket.
	if out, errs, code := runCLI(t, "audit", "verify", "--data", data); code != 0 || !strings.Contains(out, "intact") {
		t.Errorf("audit verify --data beside a server with its socket elsewhere: exit %d\n%s", code, errs)
	}
	stop()
	m.Close()
	if _, err := os.Stat(pointerFile(data)); !os.IsNotExist(err) {
		t.Errorf("the pointer was left after stop: %v", err)
	}
	os.WriteFile(pointerFile(data), []byte(filepath.Join(dir, "gone.sock")+"\n"), 0o600) // a crashed server's
	if out, errs, code := runCLI(t, "audit", "verify", "--data", data); code != 0 || !strings.Contains(out, "intact") {
		t.Errorf("audit verify alone with a stale pointer: exit %d\n%s", code, errs)
	}
	m = &Main{Config: config.Config{Data: data}}
	stop, err = startAdmin(context.Background(), m, slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { stop(); m.Close() }()
	if out, errs, code := runCLI(t, "audit", "verify", "--data", data); code != 0 || !strings.Contains(out, "intact") {
		t.Errorf("audit verify beside a server at DATA/admin.sock after a stale pointer: exit %d\n%s", code, errs)
	}
}

func TestAllowedServer(t *testing.T) {
	for _, tc := range []struct {
		server, self, owner uint32
		ok                  bool
	}{{1000, 1000, 1000, true}, {0, 1000, 1000, true}, {999, 1000, 999, true}, {999, 0, 999, true},
		{1001, 1000, 1000, false}, {65534, 0, 0, false}, {1000, 0, 0, false}} {
		if got := allowedServer(tc.server, tc.self, tc.owner); got != tc.ok {
			t.Errorf("allowedServer(server %d, self %d, owner %d) = %v, want %v", tc.server, tc.self, tc.owner, got, tc.ok)
		}
	}
}

// TestClientRefusesOtherServer: a command does not send its arguments
// to a socket another user listens on. It runs a listener as nobody, so
// it needs root.
func TestClientRefusesOtherServer(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to listen as another user (the check itself is TestAllowedServer)")
	}
	dir := t.TempDir()
	os.Chmod(filepath.Dir(dir), 0o755)
	os.Chmod(dir, 0o755)
	data := filepath.Join(dir, "store")
	os.Mkdir(data, 0o777) // loosened by mistake: another user put a socket in it
	os.Chmod(data, 0o777)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "server.test")
	b, _ := os.ReadFile(self)
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^TestFakeServerHelper$")
	cmd.Env = append(os.Environ(), "RESINDEX_TEST_FAKE_SERVER="+filepath.Join(data, "admin.sock"))
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	got := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = got, got
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	for i := 0; i < 100 && !strings.Contains(got.String(), "listening"); i++ {
		time.Sleep(50 * time.Millisecond)
	}
	_, errs, code := runCLI(t, "search", "--data", data, "--family", "Smith")
	if code != 1 || !strings.Contains(errs, "refused: it is served by uid 65534") || !strings.Contains(errs, filepath.Join(data, "admin.sock")) {
		t.Errorf("a command beside a socket of uid 65534: exit %d\n%s", code, errs)
	}
	cmd.Process.Kill()
	cmd.Wait()
	if strings.Contains(got.String(), "Smith") {
		t.Errorf("the other user's listener was sent the command: %s", got.String())
	}
}

// TestFakeServerHelper is the listener TestClientRefusesOtherServer runs
// as another user: it prints what it is sent. Otherwise it does nothing.
func TestFakeServerHelper(t *testing.T) {
	path := os.Getenv("RESINDEX_TEST_FAKE_SERVER")
	if path == "" {
		return
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		println("listen:", err.Error())
		os.Exit(3)
	}
	os.Chmod(path, 0o777)
	println("listening")
	for {
		c, err := ln.Accept()
		if err != nil {
			os.Exit(3)
		}
		b := make([]byte, 4096)
		n, _ := c.Read(b)
		println("got:", string(b[:n]))
		c.Close()
	}
}
