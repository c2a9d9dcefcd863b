package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/resindex/resindex"
)

// OIDCConfig connects resindex to a council's identity provider.
type OIDCConfig struct {
	Issuer       string // the provider's issuer URL (its discovery document is read at start)
	ClientID     string
	ClientSecret string
	RedirectURL  string // this server's /auth/callback as the provider knows it
	// Audience is what API bearer tokens must be issued for (default
	// ClientID).
	Audience string
	// RoleClaim names the claim holding the user's roles: a string or a
	// list of strings (default "roles").
	RoleClaim string
	// UserClaim names the claim that identifies the user in the audit
	// log (default "preferred_username", falling back to "sub").
	UserClaim string
	Scopes    []string // besides openid (default profile, email)
}

// errUnauthenticated: no credentials, or ones that do not hold.
var errUnauthenticated = errors.New("sign in first: the credentials are missing, invalid or expired")

// errNoRole: signed in, but with no role the policy knows.
var errNoRole = errors.New("signed in, but with no role in the policy (or several: choose one with the Resindex-Role header, or /auth/login?role=)")

// RoleHeader lets a user holding several roles choose one per request.
const RoleHeader = "Resindex-Role"

const sessionCookie = "resindex_session"

// authn signs requests in: API tokens, OpenID Connect bearer tokens and
// browser sessions.
type authn struct {
	tokens   TokenStore
	oidc     *oidcClient // nil: no OpenID Connect
	roles    func(string) bool
	now      func() time.Time
	mu       sync.Mutex
	sessions map[string]session
	pending  map[string]pendingLogin // by state
}

type session struct {
	p       resindex.Principal
	expires time.Time
}

type pendingLogin struct {
	verifier, nonce, role, browser string
	next                           string // the page to go back to: a path on this site
	expires                        time.Time
}

type oidcClient struct {
	cfg      OIDCConfig
	api      *oidc.IDTokenVerifier // bearer tokens: the API audience
	id       *oidc.IDTokenVerifier // ID tokens from the browser flow: the client
	oauth    oauth2.Config
	provider *oidc.Provider
	keys     *fetchLimit // told of each token's key before it is verified
}

func newOIDC(ctx context.Context, cfg OIDCConfig) (*oidcClient, error) {
	if cfg.Issuer == "" || cfg.ClientID == "" {
		return nil, errors.New("oidc: issuer and client_id are required")
	}
	ctx, keys := withKeyFetchLimit(ctx)
	p, err := oidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("oidc: discovery at %s: %w", cfg.Issuer, err)
	}
	if cfg.Audience == "" {
		cfg.Audience = cfg.ClientID
	}
	if cfg.RoleClaim == "" {
		cfg.RoleClaim = "roles"
	}
	if cfg.UserClaim == "" {
		cfg.UserClaim = "preferred_username"
	}
	if len(cfg.Scopes) == 0 {
		cfg.Scopes = []string{"profile", "email"}
	}
	return &oidcClient{
		cfg:      cfg,
		provider: p,
		keys:     keys,
		api:      p.Verifier(&oidc.Config{ClientID: cfg.Audience}),
		id:       p.Verifier(&oidc.Config{ClientID: cfg.ClientID}),
		oauth: oauth2.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, RedirectURL: cfg.RedirectURL,
			Endpoint: p.Endpoint(), Scopes: append([]string{oidc.ScopeOpenID}, cfg.Scopes...)},
	}, nil
}

// principal signs a request in, or says why not.
func (a *authn) principal(r *http.Request) (resindex.Principal, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, cred, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || cred == "" {
			return resindex.Principal{}, errUnauthenticated
		}
		return a.bearer(r.Context(), cred, r.Header.Get(RoleHeader))
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		a.mu.Lock()
		s, ok := a.sessions[c.Value]
		a.mu.Unlock()
		if ok && a.now().Before(s.expires) {
			return s.p, nil
		}
	}
	return resindex.Principal{}, errUnauthenticated
}

func (a *authn) bearer(ctx context.Context, cred, chosen string) (resindex.Principal, error) {
	if strings.HasPrefix(cred, TokenPrefix) {
		info, ok, err := lookupToken(a.tokens, cred, a.now())
		switch {
		case err != nil:
			return resindex.Principal{}, err
		case !ok:
			return resindex.Principal{}, errUnauthenticated
		}
		return resindex.Principal{User: "token:" + info.Name, Role: info.Role, Via: "token"}, nil
	}
	if a.oidc == nil {
		return resindex.Principal{}, errUnauthenticated
	}
	a.oidc.keys.expect(cred)
	tok, err := a.oidc.api.Verify(ctx, cred)
	if err != nil {
		return resindex.Principal{}, errUnauthenticated
	}
	return a.fromClaims(tok, chosen)
}

// fromClaims reads the user and their role from a verified token.
func (a *authn) fromClaims(tok *oidc.IDToken, chosen string) (resindex.Principal, error) {
	var claims map[string]any
	if err := tok.Claims(&claims); err != nil {
		return resindex.Principal{}, errUnauthenticated
	}
	user, _ := claims[a.oidc.cfg.UserClaim].(string)
	if user == "" {
		user = tok.Subject
	}
	var held []string
	switch v := claims[a.oidc.cfg.RoleClaim].(type) {
	case string:
		held = []string{v}
	case []any:
		for _, x := range v {
			if s, ok := x.(string); ok {
				held = append(held, s)
			}
		}
	}
	held = slices.DeleteFunc(held, func(r string) bool { return !a.roles(r) })
	p := resindex.Principal{User: "oidc:" + user, Via: "oidc"}
	switch {
	case chosen != "" && slices.Contains(held, chosen):
		p.Role = chosen
	case chosen == "" && len(held) == 1:
		p.Role = held[0]
	default:
		return p, errNoRole
	}
	return p, nil
}

// startSession signs a browser in and sets its cookie.
func (a *authn) startSession(w http.ResponseWriter, r *http.Request, p resindex.Principal, expires time.Time) {
	id := randomString()
	a.mu.Lock()
	for k, s := range a.sessions { // sweep: sessions are few
		if !a.now().Before(s.expires) {
			delete(a.sessions, k)
		}
	}
	a.sessions[id] = session{p: p, expires: expires}
	a.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", Expires: expires, HttpOnly: true,
		Secure: a.secure(r), SameSite: http.SameSiteLaxMode})
}

// secure reports whether cookies must go over HTTPS only: when the
// request came over TLS (here or at a proxy that says so), or when the
// provider sends browsers back to an https address (a proxy that does not
// say so must not make the cookie go out in the clear).
func (a *authn) secure(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(r.Header.Get("X-Forwarded-Proto"), "https") ||
		(a.oidc != nil && strings.HasPrefix(a.oidc.cfg.RedirectURL, "https://"))
}

func (a *authn) endSession(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		a.mu.Lock()
		delete(a.sessions, c.Value)
		a.mu.Unlock()
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true})
}

func randomString() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
