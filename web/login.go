package web

import (
	"cmp"
	"crypto/subtle"
	"errors"
	"net/http"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/resindex/resindex"
)

// sessionLength bounds a browser session when the ID token says less.
const sessionLength = 8 * time.Hour

// loginCookie binds a sign-in to the browser that started it, so that a
// callback URL someone else started cannot sign this browser in as them.
const loginCookie = "resindex_login"

// maxPending bounds the sign-ins under way (each is kept ten minutes).
const maxPending = 10_000

// login starts the authorization-code flow with PKCE: a fresh state,
// nonce and code verifier, kept here until the provider sends the
// browser back, and a cookie that binds them to this browser. A user
// holding several roles names the one to act in with ?role=, and ?next=
// names the page to go back to.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	o := s.auth.oidc
	if !s.allow(s.starts, s.clientHost(r)) {
		s.fail(w, r, errRateLimited)
		return
	}
	role := r.URL.Query().Get("role")
	if role != "" && !s.auth.roles(role) {
		s.fail(w, r, &apiError{http.StatusBadRequest, "bad_request", "role: not in the policy"})
		return
	}
	state, nonce, verifier, browser := randomString(), randomString(), oauth2.GenerateVerifier(), randomString()
	s.auth.mu.Lock()
	for k, p := range s.auth.pending {
		if !s.auth.now().Before(p.expires) {
			delete(s.auth.pending, k)
		}
	}
	full := len(s.auth.pending) >= maxPending
	if !full {
		s.auth.pending[state] = pendingLogin{verifier: verifier, nonce: nonce, role: role, browser: browser,
			next: localPath(r.URL.Query().Get("next")), expires: s.auth.now().Add(10 * time.Minute)}
	}
	s.auth.mu.Unlock()
	if full {
		s.fail(w, r, errRateLimited)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: browser, Path: "/auth/", MaxAge: 600, HttpOnly: true,
		Secure: s.auth.secure(r), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, o.oauth.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), http.StatusFound)
}

// callback finishes the flow: the state must be one this server issued,
// the code is exchanged with the verifier, and the ID token must verify
// and carry the nonce and a role.
func (s *Server) callback(w http.ResponseWriter, r *http.Request) {
	o := s.auth.oidc
	state := r.URL.Query().Get("state")
	s.auth.mu.Lock()
	pl, ok := s.auth.pending[state]
	delete(s.auth.pending, state)
	s.auth.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: loginCookie, Value: "", Path: "/auth/", MaxAge: -1, HttpOnly: true})
	c, err := r.Cookie(loginCookie)
	sameBrowser := err == nil && subtle.ConstantTimeCompare([]byte(c.Value), []byte(pl.browser)) == 1
	// The state and cookie are checked before any budget: a sign-in this
	// browser started is finished whoever else fails from its address,
	// and one that is not is refused before the provider is asked.
	if !ok || !sameBrowser || !s.auth.now().Before(pl.expires) || r.URL.Query().Get("error") != "" {
		s.signinFailed(w, r, resindex.Principal{}, errUnauthenticated)
		return
	}
	tok, err := o.oauth.Exchange(r.Context(), r.URL.Query().Get("code"), oauth2.VerifierOption(pl.verifier))
	if err != nil {
		s.signinFailed(w, r, resindex.Principal{}, errUnauthenticated)
		return
	}
	raw, _ := tok.Extra("id_token").(string)
	o.keys.expect(raw)
	idt, err := o.id.Verify(r.Context(), raw)
	if err != nil || idt.Nonce != pl.nonce {
		s.signinFailed(w, r, resindex.Principal{}, errUnauthenticated)
		return
	}
	p, err := s.auth.fromClaims(idt, pl.role)
	if err != nil {
		s.signinFailed(w, r, p, err)
		return
	}
	if err := s.cfg.Access.Log(p, "signin", p.Via, "ok"); err != nil {
		s.fail(w, r, err) // a sign-in that cannot be recorded does not happen
		return
	}
	expires := s.auth.now().Add(sessionLength)
	if idt.Expiry.Before(expires) {
		expires = idt.Expiry
	}
	s.auth.startSession(w, r, p, expires)
	http.Redirect(w, r, cmp.Or(pl.next, "/home"), http.StatusFound) // the page asked for, or the role's first
}

// signinFailed records a failed browser sign-in, which takes from the
// address's budget, and answers it.
func (s *Server) signinFailed(w http.ResponseWriter, r *http.Request, p resindex.Principal, err error) {
	if !s.allow(s.addresses, s.clientHost(r)) {
		s.fail(w, r, errRateLimited) // failed sign-ins from here are over their rate: not recorded
		return
	}
	outcome := "unauthenticated"
	if errors.Is(err, errNoRole) {
		outcome = "denied"
	}
	if aerr := s.cfg.Access.Log(p, "signin", "oidc", outcome); aerr != nil {
		err = aerr
	}
	s.fail(w, r, err)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	s.auth.endSession(w, r)
	w.WriteHeader(http.StatusNoContent)
}
