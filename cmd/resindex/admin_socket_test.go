package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/resindex/resindex/internal/config"
)

// startTestAdmin opens a new store with its access service and serves
// the admin socket at sock; log collects the server's log.
func startTestAdmin(t *testing.T, sock string) (*Main, *lockedBuffer) {
	t.Helper()
	m := &Main{Config: config.Config{Data: filepath.Join(t.TempDir(), "store"), AdminSocket: sock}, Create: true}
	t.Cleanup(func() { m.Close() })
	log := &lockedBuffer{}
	stop, err := startAdmin(context.Background(), m, slog.New(slog.NewTextHandler(log, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return m, log
}

// TestAdminSocketPlace: the socket is refused a path too long for a Unix
// socket (naming it) or a file in the way; a stale one is replaced, a
// live one is not; it is made mode 0600.
func TestAdminSocketPlace(t *testing.T) {
	dir := t.TempDir()
	long := filepath.Join(dir, strings.Repeat("d", 120), "admin.sock")
	if _, err := listenAdmin(long); err == nil || !strings.Contains(err.Error(), long) || !strings.Contains(err.Error(), "longer than a Unix socket allows") {
		t.Errorf("a path of %d bytes: %v", len(long), err)
	}
	plain := filepath.Join(dir, "plain")
	os.WriteFile(plain, nil, 0o600)
	if _, err := listenAdmin(plain); err == nil || !strings.Contains(err.Error(), "not a socket") {
		t.Errorf("a plain file in the way: %v", err)
	}
	sock := filepath.Join(dir, "a.sock")
	stale, err := net.ListenUnix("unix", &net.UnixAddr{Name: sock, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	stale.SetUnlinkOnClose(false)
	stale.Close() // as a server killed with SIGKILL leaves it
	ln, err := listenAdmin(sock)
	if err != nil {
		t.Fatalf("a stale socket was not replaced: %v", err)
	}
	defer ln.Close()
	if fi, err := os.Stat(sock); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("socket mode %v, %v; want 0600", fi.Mode().Perm(), err)
	}
	if _, err := listenAdmin(sock); err == nil || !strings.Contains(err.Error(), "another server is listening") {
		t.Errorf("a live socket: %v", err)
	}
}

// TestAdminRefusesOtherUser: a peer of another uid is refused, whatever
// the socket's mode, and the refusal is logged. It runs this test binary
// as nobody, so it needs root.
func TestAdminRefusesOtherUser(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to run a client as another user (the uid check itself is TestAllowedPeer)")
	}
	dir := t.TempDir()
	os.Chmod(filepath.Dir(dir), 0o755) // the test's own temporary directories
	os.Chmod(dir, 0o755)
	sock := filepath.Join(dir, "admin.sock")
	_, log := startTestAdmin(t, sock)
	os.Chmod(sock, 0o666) // loosened by mistake: the uid check still holds
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "client.test")
	data, _ := os.ReadFile(self)
	if err := os.WriteFile(bin, data, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-test.run=^TestAdminClientHelper$")
	cmd.Env = append(os.Environ(), "RESINDEX_TEST_ADMIN_SOCKET="+sock)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	if err == nil || !strings.Contains(out.String(), "refused: only the server's own user") {
		t.Errorf("a client of uid 65534: %v\n%s", err, out.String())
	}
	if !strings.Contains(log.String(), "connection refused") || !strings.Contains(log.String(), "peer_uid=65534") {
		t.Errorf("the refusal was not logged:\n%s", log.String())
	}
}

// TestAdminClientHelper is the client TestAdminRefusesOtherUser runs as
// another user; otherwise it does nothing.
func TestAdminClientHelper(t *testing.T) {
	sock := os.Getenv("RESINDEX_TEST_ADMIN_SOCKET")
	if sock == "" {
		return
	}
	c, err := net.Dial("unix", sock)
	if err != nil {
		fmt.Println("dial:", err)
		os.Exit(3)
	}
	encodeRequest(c, []string{"audit", "verify"})
	code, err := readFrames(c, os.Stdout, os.Stdout)
	fmt.Println("exit", code, err)
	os.Exit(max(code, 1))
}
