package main

import (
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestAdminWhileServing is issue 17's "done when": while serve ingests
// from Kafka, store commands run through the CLI entry point reach the
// running server over its admin socket: a token is created and works
// against the API, then revoked and refused within 1 s; the audit chain
// verifies; a file extract loads; online backups are taken, and the one
// taken once ingest is quiet restores to an index equal to the server's.
func TestAdminWhileServing(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "gen", "--persons", "1200", "--seed", "8", "--out", dir, "--quiet")
	addr := kafkaBroker(t)
	data := filepath.Join(dir, "store")
	live := len(readLines(t, filepath.Join(dir, "truth", "records.csv"))) - 1
	produceEvents(t, addr, dir, 0, 0.3)
	api := freeAddr(t)
	_, serveErr, stop := startCommand(t, "serve", "--data", data, "--brokers", strings.Join(addr, ","), "--topics", "all",
		"--population", strconv.Itoa(live), "--status-every", "1s", "--http-addr", api)
	waitForSocket(t, filepath.Join(data, "admin.sock"), serveErr)
	base := "http://" + api
	var producing sync.WaitGroup
	producing.Add(1)
	go func() { // the rest of the borough's events arrive while the commands run
		defer producing.Done()
		for i := range 7 {
			produceEvents(t, addr, dir, 0.3+0.1*float64(i), 0.4+0.1*float64(i))
			time.Sleep(200 * time.Millisecond)
		}
	}()

	tok, _ := mustRun(t, "token", "create", "--data", data, "--name", "crm", "--role", "frontline")
	tok = strings.TrimSpace(tok)
	if code := get(t, base+"/api/v1/persons?family=Smith", tok); code != 200 {
		t.Fatalf("a token created through the admin socket: GET persons = %d, want 200", code)
	}
	mustRun(t, "token", "revoke", "--data", data, "--name", "crm")
	revoked := time.Now()
	for get(t, base+"/api/v1/persons?family=Smith", tok) != 401 {
		if time.Since(revoked) > time.Second {
			t.Fatal("the revoked token was still accepted 1 s after token revoke")
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("revoked token refused %s after token revoke returned", time.Since(revoked))
	if out, _ := mustRun(t, "audit", "verify", "--data", data); !strings.Contains(out, "audit log intact") {
		t.Errorf("audit verify printed %q", out)
	}
	extract := filepath.Join(dir, "native", "adult_social_care.ndjson")
	if _, errs := mustRun(t, "ingest", "--source", "adult_social_care", "--file", extract, "--data", data); !strings.Contains(errs, "adult_social_care.ndjson: ") {
		t.Errorf("ingest --file through the server reported no run:\n%s", errs)
	}
	checkForwardedStatuses(t, data)
	during := filepath.Join(dir, "during.backup")
	mustRun(t, "backup", "--data", data, "--out", during)
	producing.Wait()

	// Once the server has applied everything, a backup equals its index.
	clusters := waitQuiet(t, data, filepath.Join(dir, "served.csv"))
	quiet := filepath.Join(dir, "quiet.backup")
	mustRun(t, "backup", "--data", data, "--out", quiet)
	if code := stop(); code != 0 {
		t.Fatalf("serve: exit %d\n%s", code, serveErr.String())
	}
	restored := filepath.Join(dir, "restored")
	mustRun(t, "restore", "--data", restored, "--in", quiet)
	mustRun(t, "export", "clusters", "--data", restored, "--out", filepath.Join(dir, "restored.csv"))
	if got := mustReadFile(t, filepath.Join(dir, "restored.csv")); got != clusters {
		t.Errorf("the restored backup's clusters differ from the served index's (%d vs %d bytes)", len(got), len(clusters))
	}
	mustRun(t, "export", "clusters", "--data", data, "--out", filepath.Join(dir, "stopped.csv"))
	if got := mustReadFile(t, filepath.Join(dir, "stopped.csv")); got != clusters {
		t.Errorf("the stopped store's clusters differ from those exported while serving")
	}
	// The backup taken during ingest is a consistent snapshot too: its
	// audit chain and its persons.
	mid := filepath.Join(dir, "mid")
	mustRun(t, "restore", "--data", mid, "--in", during)
	if out, _ := mustRun(t, "audit", "verify", "--data", mid); !strings.Contains(out, "audit log intact") {
		t.Errorf("audit verify of the backup taken during ingest printed %q", out)
	}
	checkStoreConsistent(t, mid) // persons and memberships from one moment
	checkStoreConsistent(t, restored)
	checkAdminAudit(t, data)
}

// checkForwardedStatuses: a forwarded command's exit status and stderr
// come back as they are; commands the server will not run are refused,
// saying what to do.
func checkForwardedStatuses(t *testing.T, data string) {
	t.Helper()
	if _, errs, code := runCLI(t, "token", "create", "--data", data, "--name", "x", "--role", "no-such-role"); code != 2 || !strings.Contains(errs, "not a role of the policy") {
		t.Errorf("a usage mistake through the socket: exit %d, want 2\n%s", code, errs)
	}
	if _, errs, code := runCLI(t, "erase", "--data", data, "--person", "P0000000001", "--reason", "test"); code != 1 || !strings.Contains(errs, "stop the server") {
		t.Errorf("erase beside the server: exit %d, want 1 and what to do\n%s", code, errs)
	}
	if _, errs, code := runCLI(t, "ingest", "--bulk", "--canonical", data, "--data", data); code != 1 || !strings.Contains(errs, "--bulk loads an empty store") {
		t.Errorf("ingest --bulk beside the server: exit %d, want 1\n%s", code, errs)
	}
	if out, _ := mustRun(t, "search", "--data", data, "--family", "Smith"); !strings.Contains(out, "person") {
		t.Errorf("search through the socket printed %q", out)
	}
}

// waitForSocket waits until a server answers on its admin socket.
func waitForSocket(t *testing.T, path string, errb *lockedBuffer) {
	t.Helper()
	for range 1200 {
		if c, err := net.Dial("unix", path); err == nil {
			c.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the admin socket %s did not come up:\n%s", path, errb.String())
}

// waitQuiet exports the served index's clusters (through the admin
// socket) until two exports a second apart agree, and returns them.
func waitQuiet(t *testing.T, data, out string) string {
	t.Helper()
	last := ""
	for range 120 {
		mustRun(t, "export", "clusters", "--data", data, "--out", out)
		now := mustReadFile(t, out)
		if now == last {
			return now
		}
		last = now
		time.Sleep(time.Second)
	}
	t.Fatal("the served index did not stop changing")
	return ""
}

// checkAdminAudit: every admin command left an audit entry, and none
// holds resident data.
func checkAdminAudit(t *testing.T, data string) {
	t.Helper()
	out, _ := mustRun(t, "audit", "list", "--data", data)
	var admin []string
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, `"action":"admin"`) {
			admin = append(admin, l)
		}
	}
	for _, want := range []string{"token create", "token revoke", "audit verify", "ingest --source=adult_social_care", "backup --data"} {
		if !strings.Contains(strings.Join(admin, "\n"), want) {
			t.Errorf("no admin audit entry for %q in:\n%s", want, strings.Join(admin, "\n"))
		}
	}
	if all := strings.Join(admin, "\n"); strings.Contains(all, "Smith") || !strings.Contains(all, "search --data") {
		t.Errorf("the search's admin audit entry is missing or holds the name searched for:\n%s", all)
	}
	if !strings.Contains(admin[0], `"user":"`) || !strings.Contains(admin[0], "uid:"+strconv.Itoa(os.Getuid())) {
		t.Errorf("the admin audit entry names no user and uid: %s", admin[0])
	}
}
