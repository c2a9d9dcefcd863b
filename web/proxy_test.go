package web_test

import (
	"bytes"
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
	req, _ := http.NewRequest("GET", s.url+path, nil)
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
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
