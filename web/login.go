package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/resindex/resindex"
)

// sessionLength bounds a browser session when the ID token says less.
const sessionLength = 8 * time.Hour

// login starts the authorization-code flow with PKCE: a fresh state,
// nonce and code verifier, kept here until the provider sends the
// browser back. A user holding several roles names the one to act in
// with ?role=.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	o := s.auth.oidc
	state, nonce, verifier := randomString(), randomString(), oauth2.GenerateVerifier()
	s.auth.mu.Lock()
	for k, p := range s.auth.pending {
		if !s.auth.now().Before(p.expires) {
			delete(s.auth.pending, k)
		}
	}
	s.auth.pending[state] = pendingLogin{verifier: verifier, nonce: nonce, role: r.URL.Query().Get("role"), expires: s.auth.now().Add(10 * time.Minute)}
	s.auth.mu.Unlock()
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
	if !ok || !s.auth.now().Before(pl.expires) || r.URL.Query().Get("error") != "" {
		s.signinFailed(w, r, resindex.Principal{}, errUnauthenticated)
		return
	}
	tok, err := o.oauth.Exchange(r.Context(), r.URL.Query().Get("code"), oauth2.VerifierOption(pl.verifier))
	if err != nil {
		s.signinFailed(w, r, resindex.Principal{}, errUnauthenticated)
		return
	}
	raw, _ := tok.Extra("id_token").(string)
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
	http.Redirect(w, r, "/api/v1/me", http.StatusFound) // the staff UI, when it comes, takes over here
}

// signinFailed records a failed browser sign-in and answers it.
func (s *Server) signinFailed(w http.ResponseWriter, r *http.Request, p resindex.Principal, err error) {
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
