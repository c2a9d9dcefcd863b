package web_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc/oidctest"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/web"
)

// issuer is an in-process OpenID Connect provider: discovery and keys
// from go-oidc's oidctest, plus an authorization endpoint and a token
// endpoint that checks the PKCE verifier, so that the browser flow runs
// end to end.
type issuer struct {
	*httptest.Server
	key   *rsa.PrivateKey
	mu    sync.Mutex
	codes map[string]grant // code → what the browser was granted
	// claims are what the next browser sign-in's ID token says.
	claims map[string]any
}

type grant struct {
	challenge, nonce, clientID string
}

func newIssuer(t *testing.T) *issuer {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	is := &issuer{key: key, codes: map[string]grant{}}
	keys := &oidctest.Server{PublicKeys: []oidctest.PublicKey{{PublicKey: key.Public(), KeyID: "k1", Algorithm: "RS256"}}}
	mux := http.NewServeMux()
	mux.Handle("/", keys)
	mux.HandleFunc("/auth", is.authorize)
	mux.HandleFunc("/token", is.token)
	is.Server = httptest.NewServer(mux)
	keys.SetIssuer(is.URL)
	t.Cleanup(is.Close)
	return is
}

// sign makes a signed token; set overrides or removes (nil) claims.
func (is *issuer) sign(t *testing.T, key *rsa.PrivateKey, set map[string]any) string {
	t.Helper()
	return is.signKid(t, key, "k1", set)
}

// signKid is sign with the key ID kid in the token's header.
func (is *issuer) signKid(t *testing.T, key *rsa.PrivateKey, kid string, set map[string]any) string {
	t.Helper()
	claims := map[string]any{"iss": is.URL, "aud": "resindex", "sub": "u-1", "preferred_username": "a.worker",
		"roles": []string{"frontline"}, "iat": now.Unix(), "exp": time.Now().Add(time.Hour).Unix()}
	for k, v := range set {
		if v == nil {
			delete(claims, k)
		} else {
			claims[k] = v
		}
	}
	data, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	return oidctest.SignIDToken(key, kid, "RS256", string(data))
}

func (is *issuer) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("response_type") != "code" {
		http.Error(w, "PKCE S256 and the code flow are required", http.StatusBadRequest)
		return
	}
	code := fmt.Sprint(time.Now().UnixNano())
	is.mu.Lock()
	is.codes[code] = grant{challenge: q.Get("code_challenge"), nonce: q.Get("nonce"), clientID: q.Get("client_id")}
	is.mu.Unlock()
	back, _ := url.Parse(q.Get("redirect_uri"))
	back.RawQuery = url.Values{"code": {code}, "state": {q.Get("state")}}.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func (is *issuer) token(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	is.mu.Lock()
	g, ok := is.codes[r.PostForm.Get("code")]
	delete(is.codes, r.PostForm.Get("code"))
	is.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	if !ok || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
		http.Error(w, `{"error":"invalid_grant"}`, http.StatusBadRequest)
		return
	}
	claims := map[string]any{"nonce": g.nonce}
	for k, v := range is.claims {
		claims[k] = v
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"access_token": "opaque", "token_type": "Bearer", "expires_in": 3600,
		"id_token": is.signWith(claims)})
}

func (is *issuer) signWith(set map[string]any) string {
	claims := map[string]any{"iss": is.URL, "aud": "resindex", "sub": "u-2", "preferred_username": "b.worker",
		"roles": []string{"data_steward"}, "iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix()}
	for k, v := range set {
		claims[k] = v
	}
	data, _ := json.Marshal(claims)
	return oidctest.SignIDToken(is.key, "k1", "RS256", string(data))
}

// auditCount is how many entries the audit log holds.
func auditCount(t *testing.T, s *server) int {
	t.Helper()
	n := 0
	if err := s.db.AuditEntries(func(uint64, []byte) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

// audited checks that a call added exactly one audit entry with the
// outcome given.
func audited(t *testing.T, s *server, outcome string, call func()) {
	t.Helper()
	before := auditCount(t, s)
	call()
	var last access.AuditEntry
	n := 0
	s.db.AuditEntries(func(_ uint64, p []byte) error {
		n++
		return json.Unmarshal(p, &last)
	})
	if n != before+1 || last.Outcome != outcome {
		t.Fatalf("audit: %d entries added (want 1), last outcome %q (want %q)", n-before, last.Outcome, outcome)
	}
}

func TestSignInAndRefusals(t *testing.T) {
	is := newIssuer(t)
	s := newServer(t, web.Config{OIDC: &web.OIDCConfig{Issuer: is.URL, ClientID: "resindex", RedirectURL: "placeholder"}})
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	expired, err := web.CreateToken(s.db, web.TokenInfo{Name: "old", Role: "frontline", Created: now.Add(-48 * time.Hour), Expires: now.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, auth string
		status     int
		code       string
		outcome    string
	}{
		{"no credentials", "", 401, "unauthenticated", "unauthenticated"},
		{"not bearer", "Basic dXNlcjpwYXNz", 401, "unauthenticated", "unauthenticated"},
		{"unknown API token", "Bearer " + web.TokenPrefix + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 401, "unauthenticated", "unauthenticated"},
		{"expired API token", "Bearer " + expired, 401, "unauthenticated", "unauthenticated"},
		{"API token", "Bearer " + s.tokens["frontline"], 200, "", "ok"},
		{"OIDC token", "Bearer " + is.sign(t, is.key, nil), 200, "", "ok"},
		{"OIDC wrong audience", "Bearer " + is.sign(t, is.key, map[string]any{"aud": "another-app"}), 401, "unauthenticated", "unauthenticated"},
		{"OIDC wrong issuer", "Bearer " + is.sign(t, is.key, map[string]any{"iss": "https://evil.example"}), 401, "unauthenticated", "unauthenticated"},
		{"OIDC expired", "Bearer " + is.sign(t, is.key, map[string]any{"exp": now.Add(-time.Hour).Unix(), "iat": now.Add(-2 * time.Hour).Unix()}), 401, "unauthenticated", "unauthenticated"},
		{"OIDC bad signature", "Bearer " + is.sign(t, other, nil), 401, "unauthenticated", "unauthenticated"},
		{"OIDC tampered", "Bearer " + tamper(is.sign(t, is.key, nil)), 401, "unauthenticated", "unauthenticated"},
		{"OIDC no role", "Bearer " + is.sign(t, is.key, map[string]any{"roles": nil}), 403, "no_role", "denied"},
		{"OIDC unknown role", "Bearer " + is.sign(t, is.key, map[string]any{"roles": []string{"superuser"}}), 403, "no_role", "denied"},
		{"OIDC two roles, none chosen", "Bearer " + is.sign(t, is.key, map[string]any{"roles": []string{"frontline", "fraud"}}), 403, "no_role", "denied"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			audited(t, s, c.outcome, func() {
				code, body := s.callAuth(t, "GET", "/api/v1/persons?family=Smith", c.auth, nil)
				if code != c.status {
					t.Fatalf("status %d, want %d (%v)", code, c.status, body)
				}
				if c.code != "" {
					assertError(t, body, c.code)
				}
			})
		})
	}
	// A user holding two roles chooses one per request.
	code, body := s.callAuth(t, "GET", "/api/v1/me", "Bearer "+is.sign(t, is.key, map[string]any{"roles": []string{"frontline", "fraud"}}),
		map[string]string{web.RoleHeader: "fraud"})
	if code != 200 || body["role"] != "fraud" || body["user"] != "oidc:a.worker" {
		t.Fatalf("chosen role: %d %v", code, body)
	}
}

// tamper changes one character of a token's payload.
func tamper(tok string) string {
	parts := strings.Split(tok, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	payload = []byte(strings.Replace(string(payload), "frontline", "fraudline", 1))
	parts[1] = base64.RawURLEncoding.EncodeToString(payload)
	return strings.Join(parts, ".")
}

// callAuth is call with a raw Authorization header and extra headers.
func (s *server) callAuth(t *testing.T, method, path, auth string, headers map[string]string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, s.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == 401 && resp.Header.Get("WWW-Authenticate") == "" {
		t.Fatal("401 without WWW-Authenticate")
	}
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("body not JSON: %v", err)
	}
	return resp.StatusCode, out
}

// oidcFront is a server signing browsers in through the test provider,
// behind a front whose address the provider sends them back to.
func oidcFront(t *testing.T) (*issuer, *httptest.Server, *server) {
	t.Helper()
	is := newIssuer(t)
	// The redirect URL must name the server, which exists only once built:
	// build it behind a handler that is filled in after.
	var h http.Handler
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(front.Close)
	// The session cookie expires by the browser's clock: a real one.
	s := newServer(t, web.Config{Now: time.Now, OIDC: &web.OIDCConfig{Issuer: is.URL, ClientID: "resindex", ClientSecret: "s3cret", RedirectURL: front.URL + "/auth/callback"}})
	h = proxyTo(t, s.url)
	return is, front, s
}

// TestSignInReturnsToPage: a browser sent to sign in from a page goes back
// to it after the council's sign-in, and never to another site.
func TestSignInReturnsToPage(t *testing.T) {
	is, front, _ := oidcFront(t)
	is.claims = map[string]any{"roles": []string{"data_steward"}}
	for _, tc := range []struct{ next, want string }{
		{"/review", "/review"},
		{"//evil.example/x", "/search"},
		{"/\t/evil.example", "/search"},
	} {
		browser := &http.Client{Jar: must(cookiejar.New(nil))}
		resp, err := browser.Get(front.URL + "/auth/login?next=" + url.QueryEscape(tc.next))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.Request.URL.Host != strings.TrimPrefix(front.URL, "http://") || resp.Request.URL.Path != tc.want {
			t.Errorf("sign-in with next=%q lands on %s, want %s here", tc.next, resp.Request.URL, tc.want)
		}
	}
}

// TestBrowserSignIn runs the authorization-code flow with PKCE through
// the test provider and uses the session it leaves.
func TestBrowserSignIn(t *testing.T) {
	is, front, s := oidcFront(t)
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	logged := auditCount(t, s)

	is.claims = map[string]any{"roles": []string{"data_steward"}}
	resp, err := browser.Get(front.URL + "/auth/login")
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.Request.URL.Path != "/search" {
		t.Fatalf("after sign-in the browser lands on %s, want the staff UI's search", resp.Request.URL.Path)
	}
	resp, err = browser.Get(front.URL + "/api/v1/me")
	if err != nil {
		t.Fatal(err)
	}
	var me web.Me
	json.NewDecoder(resp.Body).Decode(&me)
	resp.Body.Close()
	if resp.StatusCode != 200 || me.Role != "data_steward" || me.Via != "oidc" || me.User != "oidc:b.worker" {
		t.Fatalf("after sign-in: %d %+v", resp.StatusCode, me)
	}
	// A callback someone else started (their state, their code) does not
	// sign this browser in: the state is bound to the browser that asked.
	attacker := &http.Client{CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if strings.Contains(req.URL.Path, "/auth/callback") {
			return http.ErrUseLastResponse // keep the callback URL instead of following it
		}
		return nil
	}}
	resp, err = attacker.Get(front.URL + "/auth/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	forged := resp.Header.Get("Location")
	if !strings.Contains(forged, "/auth/callback?code=") {
		t.Fatalf("the attacker's sign-in did not reach the callback: %s %s", resp.Status, forged)
	}
	victim := &http.Client{Jar: must(cookiejar.New(nil))}
	resp, err = victim.Get(forged)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("a callback started by another browser: status %d, want 401", resp.StatusCode)
	}
	// A role the policy lacks is refused before any sign-in starts.
	resp, err = attacker.Get(front.URL + "/auth/login?role=superuser")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Fatalf("sign-in for an unknown role: status %d, want 400", resp.StatusCode)
	}
	// A callback with a state this server never issued is refused.
	resp, err = browser.Get(front.URL + "/auth/callback?code=x&state=forged")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("forged state: status %d, want 401", resp.StatusCode)
	}
	// Signing out ends the session.
	req, _ := http.NewRequest("POST", front.URL+"/auth/logout", nil)
	resp, err = browser.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = browser.Get(front.URL + "/api/v1/me")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("after sign-out: status %d, want 401", resp.StatusCode)
	}
	// Each step is in the audit log: the sign-in, the test's own call, the
	// forged callback, the call after sign-out. (The sign-in lands on the
	// staff UI's empty search form, which reads nothing.)
	var got []string
	seq := 0
	s.db.AuditEntries(func(_ uint64, p []byte) error {
		if seq++; seq > logged {
			var e access.AuditEntry
			json.Unmarshal(p, &e)
			got = append(got, e.Action+":"+e.Outcome+":"+e.User)
		}
		return nil
	})
	want := []string{"signin:ok:oidc:b.worker", "me:ok:oidc:b.worker", "signin:unauthenticated:", "signin:unauthenticated:", "request:unauthenticated:"}
	if !slices.Equal(got, want) {
		t.Fatalf("audit of the browser's calls: %v, want %v", got, want)
	}
}

// proxyTo forwards requests to a server, keeping the browser's host.
func proxyTo(t *testing.T, target string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, target+r.URL.RequestURI(), r.Body)
		req.Header = r.Header.Clone()
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Error(err)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	})
}

// TestNoEnumeration: references are opaque, a hidden person and a
// missing one answer alike, and person IDs do not work as references.
func TestNoEnumeration(t *testing.T) {
	s := newServer(t, web.Config{})
	tok := s.tokens["frontline"]
	pol := s.svc.Policy()
	frontline, _ := pol.Role("frontline")
	var hidden, seen string
	for pid, p := range s.persons {
		switch e := expect(frontline, p, false); {
		case e.status == 404 && classOf(p) == "child" && hidden == "":
			hidden = pid
		case e.status == 200 && seen == "":
			seen = pid
		}
	}
	_, hiddenBody := s.callRaw(t, "/api/v1/persons/"+s.svc.Ref(hidden), tok)
	for _, path := range []string{
		"/api/v1/persons/" + hidden,              // a person ID is not a reference
		"/api/v1/persons/" + seen,                // not even for a person the role may see
		"/api/v1/persons/AAAAAAAAAAAAAAAAAAAAAA", // a well-formed reference nobody made
		"/api/v1/persons/" + nextRef(s.svc.Ref(seen)),
	} {
		code, body := s.callRaw(t, path, tok)
		if code != 404 || body != hiddenBody {
			t.Fatalf("%s: %d %s; a hidden person gives 404 %s", path, code, body, hiddenBody)
		}
	}
	// References of consecutive IDs share nothing a caller could count by.
	a, b := s.svc.Ref("P0000000001"), s.svc.Ref("P0000000002")
	if a[:4] == b[:4] {
		t.Fatalf("references of consecutive IDs look alike: %s %s", a, b)
	}
}

// nextRef adds one to a reference's last byte: a guess at a neighbour.
func nextRef(ref string) string {
	raw, _ := base64.RawURLEncoding.DecodeString(ref)
	binary.BigEndian.PutUint16(raw[len(raw)-2:], binary.BigEndian.Uint16(raw[len(raw)-2:])+1)
	return base64.RawURLEncoding.EncodeToString(raw)
}

func (s *server) callRaw(t *testing.T, path, tok string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", s.url+path, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestForbiddenAndRateLimit: abilities and fields a role lacks are 403
// forbidden, naming what is missing; a principal over its rate gets 429,
// another principal does not.
func TestForbiddenAndRateLimit(t *testing.T) {
	s := newServer(t, web.Config{Rate: 0.001, Burst: 3})
	// Each principal may make three requests before the rate stops it.
	ref := s.svc.Ref(seenBy(t, s, "revenues"))
	for _, c := range []struct{ role, method, path, need string }{
		{"frontline", "GET", "/api/v1/review", "the review_matches ability"},
		{"frontline", "GET", "/api/v1/audit", "the read_audit ability"},
		{"frontline", "POST", "/api/v1/overrides", "the review_matches ability"},
		{"fraud", "POST", "/api/v1/verify", "the verify_identity ability"},
		{"electoral", "POST", "/api/v1/export", "the export ability"},
		{"revenues", "GET", "/api/v1/persons/" + ref + "/links", "the links field"},
		{"auditor", "GET", "/api/v1/persons?family=Lee", "fields of adults or children"},
		{"auditor", "GET", "/api/v1/alerts", "the alerts ability"},
		{"fraud", "POST", "/api/v1/alerts/A0000000001/close", "the alerts ability"},
	} {
		var body any
		switch c.path {
		case "/api/v1/verify":
			body = map[string]any{"given": "A", "family": "B", "dob": "1980-01-01", "postcode": "NW1 1AA"}
		case "/api/v1/export":
			body = map[string]any{"persons": []string{ref}, "reason": "case 1"}
		case "/api/v1/overrides":
			body = map[string]any{"a": "council_tax/1", "b": "council_tax/2", "kind": "link", "reason": "r"}
		case "/api/v1/alerts/A0000000001/close":
			body = map[string]any{"outcome": "duplicate", "note": "n"}
		}
		audited(t, s, "denied", func() {
			code, out := s.call(t, c.method, c.path, s.tokens[c.role], "", body)
			e, _ := out["error"].(map[string]any)
			if code != 403 || e["code"] != "forbidden" || e["message"] != "your role does not allow this: it needs "+c.need {
				t.Fatalf("%s %s as %s: %d (%v), want 403 forbidden naming %s", c.method, c.path, c.role, code, out, c.need)
			}
		})
	}
	tok := s.tokens["housing"]
	for i := range 3 {
		if code, _ := s.call(t, "GET", "/api/v1/me", tok, "", nil); code != 200 {
			t.Fatalf("request %d within the burst: %d", i, code)
		}
	}
	// Over the rate: refused, and not recorded (every request within the
	// rate is), so that a signed-in client cannot flood the audit log.
	logged := auditCount(t, s)
	if code, body := s.call(t, "GET", "/api/v1/me", tok, "", nil); code != 429 {
		t.Fatalf("over the rate: %d (%v), want 429", code, body)
	}
	if n := auditCount(t, s) - logged; n != 0 {
		t.Fatalf("a request over the rate added %d audit entries", n)
	}
	if code, _ := s.call(t, "GET", "/api/v1/me", s.tokens["electoral"], "", nil); code != 200 {
		t.Fatalf("another principal: %d, want 200", code)
	}
	// Failed sign-ins from one address are limited too, and those over
	// the limit are not recorded: nobody can fill the audit log.
	for range 3 {
		audited(t, s, "unauthenticated", func() {
			if code, _ := s.call(t, "GET", "/api/v1/persons?family=X", "", "", nil); code != 401 {
				t.Fatalf("no credentials: %d, want 401", code)
			}
		})
	}
	before := auditCount(t, s)
	for range 5 {
		if code, _ := s.call(t, "GET", "/api/v1/persons?family=X", "", "", nil); code != 429 {
			t.Fatalf("failed sign-ins over the rate: %d, want 429", code)
		}
	}
	if n := auditCount(t, s) - before; n != 0 {
		t.Fatalf("%d refusals over the rate recorded, want 0", n)
	}
}

// TestAuditTamperDetected edits one audit entry in the store: the log no
// longer verifies, and says which entry. It runs on a store of its own.
func TestAuditTamperDetected(t *testing.T) {
	b, err := loadBorough(200, 3)
	if err != nil {
		t.Fatal(err)
	}
	defer b.db.Close()
	s := serverOn(t, b, web.Config{})
	tok := s.tokens["frontline"]
	for range 5 {
		s.call(t, "GET", "/api/v1/persons?family=Smith", tok, "", nil)
	}
	if n, err := b.db.VerifyAudit(); err != nil || n != 5 {
		t.Fatalf("before the edit: %d entries, %v", n, err)
	}
	if err := editAuditEntry(b, 3); err != nil {
		t.Fatal(err)
	}
	if _, err := b.db.VerifyAudit(); err == nil || !strings.Contains(err.Error(), "3") {
		t.Fatalf("after editing entry 3: err = %v", err)
	}
}

// editAuditEntry rewrites one audit entry's content in the store, keeping
// its hash: what someone with write access to the disk might do.
func editAuditEntry(b *borough, seq uint64) error {
	key := binary.BigEndian.AppendUint64([]byte("a/"), seq)
	return b.db.Update(func(tx resindex.Txn) error {
		v, err := tx.Get(key)
		if err != nil {
			return err
		}
		return tx.Set(key, append(v[:32:32], []byte(`{"user":"someone else","action":"search","outcome":"ok"}`)...))
	})
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestBadRequestsAudited: a request refused as malformed is recorded
// like any other call, whichever layer refused it.
func TestBadRequestsAudited(t *testing.T) {
	s := newServer(t, web.Config{})
	tok := s.tokens["auditor"]
	steward := s.tokens["data_steward"]
	for _, c := range []struct {
		name, method, path, token string
		body                      any
		status                    int
	}{
		{"identifier without a kind", "GET", "/api/v1/persons?id=AB123456C", s.tokens["fraud"], nil, 400},
		{"page size not a number", "GET", "/api/v1/review?page_size=ten", steward, nil, 400},
		{"time not RFC 3339", "GET", "/api/v1/audit?since=yesterday", tok, nil, 400},
		{"body not JSON", "POST", "/api/v1/overrides", steward, "not an object", 400},
		{"record not SOURCE/ID", "POST", "/api/v1/overrides", steward, map[string]string{"a": "x", "b": "y/z", "kind": "link", "reason": "r"}, 400},
		{"page token not ours", "GET", "/api/v1/persons?family=Lee&page_token=bm9wZQ", s.tokens["frontline"], nil, 400},
		{"alert status unknown", "GET", "/api/v1/alerts?status=open", s.tokens["safeguarding"], nil, 400},
		{"alert outcome unknown", "POST", "/api/v1/alerts/A0000000001/close", s.tokens["safeguarding"], map[string]string{"outcome": "sorted", "note": "n"}, 400},
		{"alert body not JSON", "POST", "/api/v1/alerts/A0000000001/acknowledge", s.tokens["safeguarding"], "not an object", 400},
	} {
		t.Run(c.name, func(t *testing.T) {
			audited(t, s, "bad_request", func() {
				if code, body := s.call(t, c.method, c.path, c.token, "", c.body); code != c.status {
					t.Fatalf("status %d (%v), want %d", code, body, c.status)
				}
			})
		})
	}
}

// TestUnknownParameters: a GET endpoint refuses a query parameter it does
// not take, naming it, as it refuses a malformed one (issue 13: a search
// by `surname=` answered "nobody found"), and the refusal is recorded.
func TestUnknownParameters(t *testing.T) {
	s := newServer(t, web.Config{})
	ref := s.svc.Ref(seenBy(t, s, "frontline"))
	search := "given, family, dob, postcode, address, id, page_size, page_token"
	for _, c := range []struct {
		name, path, role, field, known string
	}{
		{"search by surname", "/api/v1/persons?surname=Lee", "frontline", "surname", search},
		{"search with an unknown beside known ones", "/api/v1/persons?family=Lee&limit=5", "frontline", "limit", search},
		{"an empty unknown parameter", "/api/v1/persons?family=Lee&surname=", "frontline", "surname", search},
		{"a name given twice", "/api/v1/persons?family=Lee&family=Li", "frontline", "family", search},
		{"a person", "/api/v1/persons/" + ref + "?fields=all", "frontline", "fields", "none"},
		{"a household", "/api/v1/persons/" + ref + "/household?at=2020", "frontline", "at", "none"},
		{"links", "/api/v1/persons/" + ref + "/links?depth=2", "safeguarding", "depth", "none"},
		{"me", "/api/v1/me?verbose=1", "frontline", "verbose", "none"},
		{"review", "/api/v1/review?band=high", "data_steward", "band", "page_size, page_token"},
		{"audit", "/api/v1/audit?verb=view", "auditor", "verb", "person, user, action, since, until, page_size, page_token"},
		{"alerts", "/api/v1/alerts?severity=high", "safeguarding", "severity", "status, kind"},
		{"an alert", "/api/v1/alerts/A0000000001?full=1", "childrens_services", "full", "none"},
	} {
		t.Run(c.name, func(t *testing.T) {
			audited(t, s, "bad_request", func() {
				code, body := s.call(t, "GET", c.path, s.tokens[c.role], "", nil)
				e, _ := body["error"].(map[string]any)
				if code != 400 || e["code"] != "bad_request" || e["field"] != c.field {
					t.Fatalf("status %d %v, want 400 bad_request on %s", code, body, c.field)
				}
				if msg, _ := e["message"].(string); c.name != "a name given twice" && !strings.HasSuffix(msg, "known: "+c.known) {
					t.Fatalf("message %q does not list the known parameters (%s)", msg, c.known)
				}
			})
		})
	}
	// A parameter whose name is not a parameter's (it may be a resident's
	// name typed in the wrong place) is refused without repeating it.
	code, body := s.call(t, "GET", "/api/v1/persons?family=Lee&Ann%20Lee=1", s.tokens["frontline"], "", nil)
	if e, _ := body["error"].(map[string]any); code != 400 || strings.Contains(fmt.Sprint(body), "Ann") || e["field"] != "query" {
		t.Fatalf("an oddly named parameter: %d %v", code, body)
	}
}

// seenBy is a person (the first by ID) a role sees without a reason, with
// a full date of birth, a family name and a postcode on a visible record.
func seenBy(t *testing.T, s *server, role string) string {
	t.Helper()
	r, _ := s.svc.Policy().Role(role)
	ids := make([]string, 0, len(s.persons))
	for pid := range s.persons {
		ids = append(ids, pid)
	}
	slices.Sort(ids)
	for _, pid := range ids {
		if e := expect(r, s.persons[pid], false); e.status == 200 {
			v := e.visible[0]
			if len(v.DOB) == 10 && v.Name.Family != "" && len(v.Addresses) > 0 && v.Addresses[0].Postcode != "" {
				return pid
			}
		}
	}
	t.Fatalf("%s sees nobody with a full date of birth", role)
	return ""
}

// TestDatesOfBirthAsStaffTypeThem: a date of birth as DD/MM/YYYY finds
// what YYYY-MM-DD finds (issue 13), in a search and in an identity check;
// a date in neither form is a bad_request naming dob and the forms.
func TestDatesOfBirthAsStaffTypeThem(t *testing.T) {
	s := newServer(t, web.Config{})
	tok := s.tokens["frontline"]
	pid := seenBy(t, s, "frontline")
	frontline, _ := s.svc.Policy().Role("frontline")
	rec := expect(frontline, s.persons[pid], false).visible[0]
	uk := rec.DOB[8:10] + "/" + rec.DOB[5:7] + "/" + rec.DOB[:4]
	results := func(dob string) []string {
		t.Helper()
		q := url.Values{"family": {rec.Name.Family}, "dob": {dob}, "page_size": {"100"}}
		code, body := s.call(t, "GET", "/api/v1/persons?"+q.Encode(), tok, "", nil)
		if code != 200 {
			t.Fatalf("dob %s: status %d %v", dob, code, body)
		}
		var refs []string
		for _, x := range body["results"].([]any) {
			refs = append(refs, x.(map[string]any)["id"].(string))
		}
		return refs
	}
	iso, dmy := results(rec.DOB), results(uk)
	if !slices.Equal(iso, dmy) || !slices.Contains(dmy, s.svc.Ref(pid)) {
		t.Fatalf("DD/MM/YYYY found %d persons, YYYY-MM-DD %d (the person among them: %v)", len(dmy), len(iso), slices.Contains(dmy, s.svc.Ref(pid)))
	}
	for _, bad := range []string{"31/13/1980", "1980/05/06", "6th May 1980"} {
		code, body := s.call(t, "GET", "/api/v1/persons?"+url.Values{"family": {"Lee"}, "dob": {bad}}.Encode(), tok, "", nil)
		e, _ := body["error"].(map[string]any)
		if msg, _ := e["message"].(string); code != 400 || e["field"] != "dob" || !strings.Contains(msg, "DD/MM/YYYY") || strings.Contains(msg, bad) {
			t.Fatalf("dob %q: %d %v, want 400 naming dob and the forms", bad, code, body)
		}
	}
	claim := func(dob string) any {
		t.Helper()
		code, body := s.call(t, "POST", "/api/v1/verify", tok, "", map[string]any{"given": rec.Name.Given, "family": rec.Name.Family,
			"dob": dob, "postcode": rec.Addresses[0].Postcode})
		if code != 200 {
			t.Fatalf("verify with dob %s: %d %v", dob, code, body)
		}
		return body["result"]
	}
	if a, b := claim(rec.DOB), claim(uk); a != b {
		t.Fatalf("verify: %v with YYYY-MM-DD, %v with DD/MM/YYYY", a, b)
	}
}

// TestPersonByIDOverHTTP: a system following the change feed (the
// integration role, with resolve_ids) reaches a person, their household
// and their links by the ID the feed names them by, as it would by
// reference; a role without the ability gets exactly the 404 of a
// reference nobody made. The audit log records the ID asked for.
func TestPersonByIDOverHTTP(t *testing.T) {
	s := newServer(t, web.Config{})
	pid := seenBy(t, s, "integration")
	feed := s.tokens["integration"]
	_, byRef := s.callRaw(t, "/api/v1/persons/"+s.svc.Ref(pid), feed)
	code, byID := s.callRaw(t, "/api/v1/persons/"+pid, feed)
	if code != 200 || byID != byRef {
		t.Fatalf("integration by ID: %d %s; by reference %s", code, byID, byRef)
	}
	var last access.AuditEntry
	s.db.AuditEntries(func(_ uint64, p []byte) error { return json.Unmarshal(p, &last) })
	if last.Query != "person "+pid || !slices.Equal(last.Persons, []string{pid}) {
		t.Fatalf("audit %+v, want the ID asked for", last)
	}
	if code, _ := s.callRaw(t, "/api/v1/persons/"+pid+"/household", feed); code != 200 {
		t.Fatalf("integration, household by ID: %d", code)
	}
	code, body := s.call(t, "GET", "/api/v1/persons/"+pid+"/links", feed, "", nil)
	if e, _ := body["error"].(map[string]any); code != 403 || e["message"] != "your role does not allow this: it needs the links field" {
		t.Fatalf("integration, links by ID: %d %v, want 403 naming the links field", code, body)
	}
	_, missing := s.callRaw(t, "/api/v1/persons/AAAAAAAAAAAAAAAAAAAAAA", s.tokens["frontline"])
	if code, body := s.callRaw(t, "/api/v1/persons/"+pid, s.tokens["frontline"]); code != 404 || body != missing {
		t.Fatalf("frontline by ID: %d %s, want the 404 of a reference nobody made", code, body)
	}
}
