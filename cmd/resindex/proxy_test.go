package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeForwardedHeader: serve behind a trusted proxy that appends
// X-Forwarded-For (api.forwarded_header's default). A client that sends
// a fresh Forwarded header with each bad token still spends its own
// budget, and the log names the address the proxy gave, not the forged
// one. A header name the server cannot read is refused at start.
func TestServeForwardedHeader(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "resindex.yaml")
	yaml := "api:\n  burst: 3\n  rate_per_second: 0.001\n  trusted_proxies: [127.0.0.1]\n  forwarded_header: x-forwarded-for\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	_, errb, stop := startCommand(t, "serve", "--data", filepath.Join(dir, "store"), "--http-addr", addr, "--config", cfg)
	base := "http://" + addr
	waitFor(t, base, errb)
	for i := range 6 {
		req, _ := http.NewRequest("GET", base+"/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer rxt_not-a-token-anybody-was-given")
		req.Header.Set("X-Forwarded-For", "203.0.113.7:51234")
		req.Header.Set("Forwarded", fmt.Sprintf("for=192.0.2.%d", i+1))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if want := map[bool]int{true: 401, false: 429}[i < 3]; resp.StatusCode != want {
			t.Fatalf("bad token %d with a forged Forwarded: %d, want %d", i, resp.StatusCode, want)
		}
	}
	if code := stop(); code != 0 {
		t.Fatalf("serve stopped with %d:\n%s", code, errb.String())
	}
	if log := errb.String(); strings.Contains(log, "192.0.2.") || !strings.Contains(log, "client=203.0.113.7") {
		t.Fatalf("the log names the forged address, or not the proxy's:\n%s", log)
	}

	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("api:\n  forwarded_header: x-real-ip\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errs, code := runCLI(t, "serve", "--data", filepath.Join(dir, "store"), "--http-addr", freeAddr(t), "--config", bad)
	if code == 0 || !strings.Contains(errs, "api.forwarded_header") {
		t.Fatalf("serve with forwarded_header x-real-ip: exit %d, %s", code, errs)
	}
}
