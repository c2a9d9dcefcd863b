package main

import (
	"bytes"
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestAdminClientGoneCancels: forwarded commands run side by side, and
// one whose client goes (Ctrl-C) has its context cancelled.
func TestAdminClientGoneCancels(t *testing.T) {
	m, _ := startTestAdmin(t, "")
	started, cancelled := make(chan string, 2), make(chan string, 2)
	commands["test-wait"] = command{"waits for its context", func(ctx context.Context, e *env, args []string) error {
		started <- args[len(args)-1]
		<-ctx.Done()
		cancelled <- args[len(args)-1]
		return ctx.Err()
	}}
	forwarded["test-wait"] = true
	t.Cleanup(func() { delete(commands, "test-wait"); delete(forwarded, "test-wait") })
	ctxs := map[string]context.CancelFunc{}
	done := make(chan int, 2)
	for _, name := range []string{"a", "b"} {
		ctx, cancel := context.WithCancel(context.Background())
		ctxs[name] = cancel
		go func() {
			var out, errb bytes.Buffer
			done <- run(ctx, []string{"test-wait", "--data", m.Config.Data, name}, &env{stdout: &out, stderr: &errb})
		}()
	}
	for range 2 { // both run at once
		select {
		case <-started:
		case <-time.After(10 * time.Second):
			t.Fatal("the forwarded commands did not both start")
		}
	}
	ctxs["a"]()
	select {
	case got := <-cancelled:
		if got != "a" {
			t.Fatalf("command %s was cancelled, want a", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the command of a client that went was not cancelled")
	}
	if code := <-done; code == 0 {
		t.Error("an interrupted forwarded command exited 0")
	}
	ctxs["b"]()
	<-cancelled
}

// TestStaleSocketInStore: a socket left in the store directory by a
// server killed with SIGKILL bothers neither the store (open, compact,
// audit) nor the next server, and commands run locally again.
func TestStaleSocketInStore(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "gen", "--persons", "100", "--seed", "3", "--out", dir, "--quiet", "--no-events")
	data := filepath.Join(dir, "store")
	mustRun(t, "ingest", "--canonical", filepath.Join(dir, "canonical"), "--data", data, "--quiet")
	sock := filepath.Join(data, "admin.sock")
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: sock, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	ln.SetUnlinkOnClose(false)
	ln.Close()
	mustRun(t, "compact", "--data", data)
	if out, _ := mustRun(t, "audit", "verify", "--data", data); !strings.Contains(out, "intact") {
		t.Errorf("audit verify: %q", out)
	}
	_, errb, stop := startCommand(t, "serve", "--data", data, "--http-addr", freeAddr(t))
	waitForSocket(t, sock, errb)
	if out, _ := mustRun(t, "token", "list", "--data", data); out != "" {
		t.Errorf("token list through the new server: %q", out)
	}
	if code := stop(); code != 0 {
		t.Fatalf("serve: exit %d\n%s", code, errb.String())
	}
}
