package web_test

import (
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc/oidctest"

	"github.com/resindex/resindex/web"
)

// TestBadlySignedTokensBounded: credentials are checked before the
// failed sign-ins budget, so a client sending badly signed tokens must
// not make the server ask the identity provider for its keys each time;
// and a valid OIDC token passes from a client over its budget.
func TestBadlySignedTokensBounded(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	var fetches atomic.Int64
	keys := &oidctest.Server{PublicKeys: []oidctest.PublicKey{{PublicKey: key.Public(), KeyID: "k1", Algorithm: "RS256"}}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/keys" {
			fetches.Add(1)
		}
		keys.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	keys.SetIssuer(srv.URL)
	is := &issuer{Server: srv, key: key}
	s := newServer(t, web.Config{Rate: 0.001, Burst: 10, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")},
		OIDC: &web.OIDCConfig{Issuer: srv.URL, ClientID: "resindex", RedirectURL: "placeholder"}})
	if code := s.get(t, "/api/v1/me", is.sign(t, key, nil), "203.0.113.7"); code != 200 {
		t.Fatalf("a valid OIDC token: %d", code)
	}
	bad := is.sign(t, other, nil)
	for i := range 30 {
		code := s.get(t, "/api/v1/me", bad, "203.0.113.7")
		if want := map[bool]int{true: 401, false: 429}[i < 10]; code != want {
			t.Fatalf("badly signed token %d: %d, want %d", i, code, want)
		}
	}
	if n := fetches.Load(); n > 2 {
		t.Fatalf("31 tokens fetched the provider's keys %d times, want at most 2 (the first and one refetch)", n)
	}
	if code := s.get(t, "/api/v1/me", is.sign(t, key, nil), "203.0.113.7"); code != 200 {
		t.Fatalf("a valid OIDC token from the client over budget: %d, want 200", code)
	}
}

// TestBrowserSignInDespiteOthersFailures: with every caller behind one
// address (a proxy not configured as trusted), another caller's bad
// tokens spend the address's failed sign-ins budget, yet a browser still
// signs in through the provider and uses its session.
func TestBrowserSignInDespiteOthersFailures(t *testing.T) {
	is := newIssuer(t)
	var h http.Handler
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(front.Close)
	s := newServer(t, web.Config{Now: time.Now, Rate: 0.001, Burst: 3,
		OIDC: &web.OIDCConfig{Issuer: is.URL, ClientID: "resindex", ClientSecret: "s3cret", RedirectURL: front.URL + "/auth/callback"}})
	h = proxyTo(t, s.url)
	for range 3 {
		s.get(t, "/api/v1/me", badToken, "")
	}
	if code := s.get(t, "/api/v1/me", badToken, ""); code != 429 {
		t.Fatalf("bad tokens over the budget: %d, want 429", code)
	}
	is.claims = map[string]any{"roles": []string{"data_steward"}}
	browser := &http.Client{Jar: must(cookiejar.New(nil))}
	resp, err := browser.Get(front.URL + "/auth/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/search" {
		t.Fatalf("sign-in after another's failures: %d at %s, want 200 at /search", resp.StatusCode, resp.Request.URL.Path)
	}
}

// rotatingKeys is an identity provider whose signing keys the test
// replaces, counting fetches of them.
type rotatingKeys struct {
	mu      sync.Mutex
	keys    *oidctest.Server
	fetches atomic.Int64
}

func (k *rotatingKeys) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/keys" {
		k.fetches.Add(1)
	}
	k.mu.Lock()
	keys := k.keys
	k.mu.Unlock()
	keys.ServeHTTP(w, r)
}

// publish makes the provider serve key as kid from now on.
func (k *rotatingKeys) publish(issuer string, key *rsa.PrivateKey, kid string) {
	s := &oidctest.Server{PublicKeys: []oidctest.PublicKey{{PublicKey: key.Public(), KeyID: kid, Algorithm: "RS256"}}}
	s.SetIssuer(issuer)
	k.mu.Lock()
	k.keys = s
	k.mu.Unlock()
}

// TestRotatedKeyDespiteBadTokens: a client's badly signed tokens keep the
// provider's keys "fresh"; the provider then rotates its key, and a
// valid token signed with the new one must pass at once, since it names
// a key the server does not hold. Tokens naming keys it holds, or the
// same unknown key again, fetch nothing; fresh unknown key IDs fetch
// within the cap.
func TestRotatedKeyDespiteBadTokens(t *testing.T) {
	k1, k2, other := rsaKey(t), rsaKey(t), rsaKey(t)
	p := &rotatingKeys{}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	p.publish(srv.URL, k1, "k1")
	is := &issuer{Server: srv, key: k1}
	s := newServer(t, web.Config{Rate: 0.001, Burst: 100,
		OIDC: &web.OIDCConfig{Issuer: srv.URL, ClientID: "resindex", RedirectURL: "placeholder"}})
	if code := s.get(t, "/api/v1/me", is.signKid(t, k1, "k1", nil), ""); code != 200 {
		t.Fatalf("a valid token signed with k1: %d", code)
	}
	if code := s.get(t, "/api/v1/me", is.signKid(t, other, "k1", nil), ""); code != 401 {
		t.Fatalf("a badly signed token: %d, want 401", code)
	}
	p.publish(srv.URL, k2, "k2")
	start := time.Now()
	if code := s.get(t, "/api/v1/me", is.signKid(t, k2, "k2", nil), ""); code != 200 {
		t.Fatalf("a valid token signed with the new key k2, just after rotation: %d, want 200", code)
	}
	before := p.fetches.Load()
	for range 10 {
		s.get(t, "/api/v1/me", is.signKid(t, other, "k2", nil), "")
		s.get(t, "/api/v1/me", is.signKid(t, other, "k9", nil), "")
	}
	if n := p.fetches.Load() - before; n > 1 {
		t.Fatalf("10 tokens naming a held key and 10 naming one unknown key fetched %d times, want at most 1", n)
	}
	before = p.fetches.Load()
	for i := range 30 {
		s.get(t, "/api/v1/me", is.signKid(t, other, fmt.Sprintf("made-up-%d", i), nil), "")
	}
	if n, most := p.fetches.Load()-before, int64(3+time.Since(start).Seconds()+1); n > most {
		t.Fatalf("30 tokens naming fresh unknown keys fetched %d times, want at most %d", n, most)
	}
}

func rsaKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return key
}
