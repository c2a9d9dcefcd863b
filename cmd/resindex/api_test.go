package main

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is an output a command writes while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// freeAddr is a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startCommand runs a long-lived command until the test stops it, and
// returns its outputs and a stop that waits for its exit status.
func startCommand(t *testing.T, args ...string) (*lockedBuffer, *lockedBuffer, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errb := &lockedBuffer{}, &lockedBuffer{}
	done := make(chan int, 1)
	go func() { done <- run(ctx, args, &env{stdout: out, stderr: errb}) }()
	var once sync.Once
	code := 0
	stop := func() int {
		once.Do(func() { cancel(); code = <-done })
		return code
	}
	t.Cleanup(func() { stop() })
	return out, errb, stop
}

// get makes a request with a bearer token and returns the status.
func get(t *testing.T, url, token string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// waitFor polls until the API answers, or fails after a minute.
func waitFor(t *testing.T, base string, errb *lockedBuffer) {
	t.Helper()
	for range 600 {
		if get(t, base+"/api/v1/openapi.yaml", "") == 200 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the API did not come up:\n%s", errb.String())
}

// TestTokensAndServeAPI: a token made on the command line signs in to the
// API that serve offers with no Kafka configured; revoked, it is gone.
func TestTokensAndServeAPI(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "gen", "--persons", "200", "--seed", "8", "--out", dir, "--quiet", "--no-events")
	data := filepath.Join(dir, "store")
	mustRun(t, "ingest", "--canonical", filepath.Join(dir, "canonical"), "--data", data, "--quiet")
	tok, _ := mustRun(t, "token", "create", "--data", data, "--name", "crm", "--role", "frontline")
	tok = strings.TrimSpace(tok)
	if !strings.HasPrefix(tok, "rxt_") {
		t.Fatalf("token create printed %q", tok)
	}
	if _, errs, code := runCLI(t, "token", "create", "--data", data, "--name", "x", "--role", "superuser"); code != 2 || !strings.Contains(errs, "not a role of the policy") {
		t.Fatalf("unknown role: exit %d, %s", code, errs)
	}
	if list, _ := mustRun(t, "token", "list", "--data", data); !strings.Contains(list, `"name":"crm"`) || strings.Contains(list, tok) {
		t.Fatalf("token list: %s", list)
	}

	fraudTok, _ := mustRun(t, "token", "create", "--data", data, "--name", "investigations", "--role", "fraud")

	addr := freeAddr(t)
	_, errb, stop := startCommand(t, "serve", "--data", data, "--http-addr", addr)
	base := "http://" + addr
	waitFor(t, base, errb)
	if code := get(t, base+"/api/v1/persons?family=Smith", tok); code != 200 {
		t.Fatalf("search with the token: %d", code)
	}
	// serve runs the fraud checks over its store for the fraud role.
	if code := get(t, base+"/api/v1/fraud/spd", strings.TrimSpace(fraudTok)); code != 200 {
		t.Fatalf("the single person discount findings as fraud: %d", code)
	}
	if code := get(t, base+"/api/v1/persons?family=Smith", ""); code != 401 {
		t.Fatalf("search without a token: %d", code)
	}
	if code := stop(); code != 0 {
		t.Fatalf("serve stopped with %d:\n%s", code, errb.String())
	}
	if !strings.Contains(errb.String(), "JSON API at http://"+addr) {
		t.Errorf("serve did not say where the API is:\n%s", errb.String())
	}
	mustRun(t, "token", "revoke", "--data", data, "--name", "crm")
	if list, _ := mustRun(t, "token", "list", "--data", data); strings.Contains(list, `"name":"crm"`) {
		t.Fatalf("after revoke: %s", list)
	}
	if out, _ := mustRun(t, "audit", "verify", "--data", data); !strings.Contains(out, "intact: 3 entries") {
		t.Fatalf("audit after three calls: %s", out)
	}
}

// TestDemoServes: demo links its borough, loads it and serves the API
// with a working token for each role until it is stopped.
func TestDemoServes(t *testing.T) {
	addr, metricsAddr := freeAddr(t), freeAddr(t)
	out, errb, stop := startCommand(t, "demo", "--dir", t.TempDir(), "--addr", addr, "--metrics-addr", metricsAddr)
	base := "http://" + addr
	waitFor(t, base, errb)
	waitReady(t, "http://"+metricsAddr+"/readyz", errb)
	// The last year's changes went through the engine: their decisions
	// and apply times are on the demo's registry.
	scraped := scrape(t, "http://"+metricsAddr)
	if v, _ := scraped.sum("resindex_apply_duration_seconds_count"); v == 0 {
		t.Error("demo's metrics count no changes applied")
	}
	if v, _ := scraped.sum("resindex_alerts_raised_total", `kind="new_adult_with_child"`); v == 0 {
		t.Error("demo's metrics count no alerts raised")
	}
	tokens := regexp.MustCompile(`(?m)^  (\w+) +(rxt_\S+)$`).FindAllStringSubmatch(out.String(), -1)
	if len(tokens) != 13 {
		t.Fatalf("demo printed %d tokens, want one for each of the 13 roles:\n%s", len(tokens), out.String())
	}
	for _, m := range tokens {
		if code := get(t, base+"/api/v1/me", m[2]); code != 200 {
			t.Fatalf("demo token for %s: %d", m[1], code)
		}
	}
	if code := get(t, base+"/auth/demo", ""); code != 200 {
		t.Fatalf("demo sign-in page: %d", code)
	}
	// The last year was loaded change by change: its alerts are in the
	// safeguarding inbox, which only the roles that work alerts open.
	if raised := regexp.MustCompile(`the last year raised (\d+) safeguarding alerts`).FindStringSubmatch(out.String()); raised == nil || raised[1] == "0" {
		t.Errorf("demo raised no alerts, or said nothing of them:\n%s", out.String())
	}
	for _, m := range tokens {
		want := 403
		if m[1] == "safeguarding" || m[1] == "childrens_services" {
			want = 200
		}
		if code := get(t, base+"/api/v1/alerts", m[2]); code != want {
			t.Errorf("alerts inbox as %s: %d, want %d", m[1], code, want)
		}
	}
	// The fraud checks ran over the demo's store: their findings are the
	// fraud role's only.
	for _, m := range tokens {
		want := 403
		if m[1] == "fraud" {
			want = 200
		}
		for _, check := range []string{"subletting", "spd"} {
			if code := get(t, base+"/api/v1/fraud/"+check, m[2]); code != want {
				t.Errorf("%s findings as %s: %d, want %d", check, m[1], code, want)
			}
		}
	}
	if code := stop(); code != 0 {
		t.Fatalf("demo stopped with %d:\n%s", code, errb.String())
	}
	if !strings.Contains(strings.ToLower(out.String()), "pairwise f1") {
		t.Errorf("demo printed no accuracy report")
	}
}
