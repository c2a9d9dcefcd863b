package web_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"testing"

	"github.com/resindex/resindex/web"
)

// get makes a request as a client behind the test's loopback proxy: xff
// is the X-Forwarded-For it sends ("" none).
func (s *server) get(t *testing.T, path, tok, xff string) int {
	t.Helper()
	h := http.Header{}
	if xff != "" {
		h.Set("X-Forwarded-For", xff)
	}
	return s.getWith(t, path, tok, h)
}

// getWith makes a request with the headers h as well.
func (s *server) getWith(t *testing.T, path, tok string, h http.Header) int {
	t.Helper()
	req, _ := http.NewRequest("GET", s.url+path, nil)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

const badToken = web.TokenPrefix + "not-a-token-anybody-was-given"

// TestBehindTrustedProxy: every caller comes from the proxy (loopback),
// so the client is the one X-Forwarded-For names. One client's 40 bad
// tokens spend its budget alone; a valid token always passes, from
// another client or from the same one, on the API and on the UI.
func TestBehindTrustedProxy(t *testing.T) {
	s := newServer(t, web.Config{Rate: 0.001, Burst: 40, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
	const a, b = "203.0.113.7", "198.51.100.2"
	for i := range 40 {
		if code := s.get(t, "/api/v1/me", badToken, a); code != 401 {
			t.Fatalf("bad token %d: %d, want 401", i, code)
		}
	}
	if code := s.get(t, "/api/v1/me", badToken, a); code != 429 {
		t.Fatalf("bad token 41 from the same client: %d, want 429", code)
	}
	before := auditCount(t, s)
	if code := s.get(t, "/api/v1/me", badToken, a); code != 429 || auditCount(t, s) != before {
		t.Fatalf("over budget: %d, %d audit entries added; want 429 unrecorded", code, auditCount(t, s)-before)
	}
	for _, c := range []struct{ name, path, tok, xff string }{
		{"valid token, another client", "/api/v1/me", s.tokens["housing"], b},
		{"valid token, the same client", "/api/v1/me", s.tokens["electoral"], a},
		{"valid token on a page, the same client", "/search", s.tokens["frontline"], a},
	} {
		if code := s.get(t, c.path, c.tok, c.xff); code != 200 {
			t.Fatalf("%s: %d, want 200", c.name, code)
		}
	}
	if code := s.get(t, "/api/v1/me", badToken, b); code != 401 {
		t.Fatalf("a bad token from the other client: %d, want 401 (its budget is its own)", code)
	}
	if code := s.get(t, "/search", "", a); code != 429 {
		t.Fatalf("a page without sign-in from the client over budget: %d, want 429", code)
	}
}

// TestClientForwardedIgnored: the proxy appends X-Forwarded-For and
// passes the client's own Forwarded header through, as nginx does. A
// client naming a fresh address in Forwarded for each bad token must not
// escape its budget, nor have that address logged.
func TestClientForwardedIgnored(t *testing.T) {
	var buf syncBuffer
	s := newServer(t, web.Config{Rate: 0.001, Burst: 3, Log: slog.New(slog.NewTextHandler(&buf, nil)),
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	const client = "203.0.113.7"
	for i := range 20 {
		h := http.Header{"X-Forwarded-For": {client}, "Forwarded": {fmt.Sprintf("for=192.0.2.%d", i+1)}}
		code := s.getWith(t, "/api/v1/me", badToken, h)
		if want := map[bool]int{true: 401, false: 429}[i < 3]; code != want {
			t.Fatalf("bad token %d with a forged Forwarded: %d, want %d", i, code, want)
		}
	}
	if strings.Contains(buf.String(), "192.0.2.") || !strings.Contains(buf.String(), "client="+client) {
		t.Fatalf("log names the forged address, or not the real one: %q", buf.String())
	}
}

// TestForwardedHeaderChosen: with forwarded_header set to Forwarded,
// that header names the client and a client's own X-Forwarded-For is
// ignored.
func TestForwardedHeaderChosen(t *testing.T) {
	s := newServer(t, web.Config{Rate: 0.001, Burst: 3, ForwardedHeader: "Forwarded",
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	for i := range 6 {
		h := http.Header{"Forwarded": {"for=203.0.113.7"}, "X-Forwarded-For": {fmt.Sprintf("192.0.2.%d", i+1)}}
		code := s.getWith(t, "/api/v1/me", badToken, h)
		if want := map[bool]int{true: 401, false: 429}[i < 3]; code != want {
			t.Fatalf("bad token %d with a forged X-Forwarded-For: %d, want %d", i, code, want)
		}
	}
	if code := s.getWith(t, "/api/v1/me", badToken, http.Header{"Forwarded": {"for=198.51.100.2"}}); code != 401 {
		t.Fatalf("another client in Forwarded: %d, want 401 (its budget is its own)", code)
	}
}

// TestForwardedForWithPorts: X-Forwarded-For entries with ports (Azure
// Application Gateway, IIS ARR) name the client, so clients keep budgets
// of their own.
func TestForwardedForWithPorts(t *testing.T) {
	s := newServer(t, web.Config{Rate: 0.001, Burst: 3, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	for i := range 4 {
		code := s.get(t, "/api/v1/me", badToken, fmt.Sprintf("203.0.113.7:%d", 40000+i))
		if want := map[bool]int{true: 401, false: 429}[i < 3]; code != want {
			t.Fatalf("bad token %d: %d, want %d", i, code, want)
		}
	}
	if code := s.get(t, "/api/v1/me", badToken, "[2001:db8::7]:40000"); code != 401 {
		t.Fatalf("another client, IPv6 with a port: %d, want 401 (its budget is its own)", code)
	}
}

// TestForgedForwardedForIgnored: with no trusted proxies, the header is
// the caller's own word, so the budget is the peer's whatever it says.
func TestForgedForwardedForIgnored(t *testing.T) {
	s := newServer(t, web.Config{Rate: 0.001, Burst: 3})
	for i, xff := range []string{"192.0.2.1", "192.0.2.2", "192.0.2.3"} {
		if code := s.get(t, "/api/v1/me", badToken, xff); code != 401 {
			t.Fatalf("bad token %d: %d, want 401", i, code)
		}
	}
	if code := s.get(t, "/api/v1/me", badToken, "192.0.2.4"); code != 429 {
		t.Fatalf("a fourth bad token claiming a fresh address: %d, want 429", code)
	}
	if code := s.get(t, "/api/v1/me", s.tokens["housing"], "192.0.2.4"); code != 200 {
		t.Fatalf("a valid token from the peer over budget: %d, want 200", code)
	}
}

// TestLogNamesResolvedClient: the request log names the client the
// trusted proxy forwarded for, not the proxy.
func TestLogNamesResolvedClient(t *testing.T) {
	var buf syncBuffer
	s := newServer(t, web.Config{Log: slog.New(slog.NewTextHandler(&buf, nil)),
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}})
	s.get(t, "/api/v1/me", s.tokens["housing"], "203.0.113.7")
	if !strings.Contains(buf.String(), "client=203.0.113.7") {
		t.Fatalf("log %q does not name the forwarded client", buf.String())
	}
}

// syncBuffer is a buffer the server's goroutines may log to.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
