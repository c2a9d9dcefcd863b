package web

import (
	"bytes"
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
)

// The staff UI: server-rendered pages in GOV.UK Frontend's design, each
// drawn through access for the signed-in principal like the JSON API.
// Every core flow works without JavaScript; GOV.UK Frontend's script only
// improves some components.

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets/app.css assets/govuk-frontend.min.js assets/init.mjs
var assetFS embed.FS

// contentSecurityPolicy allows nothing inline and nothing from elsewhere:
// no script or style attribute, so a value that slipped past escaping
// still could not run.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// csrfCookie holds a random value a form's token is the HMAC of: a page
// on another site can neither read the cookie nor make the token.
const csrfCookie = "resindex_csrf"

// pageNames are the templates, each parsed with the layout.
var pageNames = []string{"signin", "home", "search", "person", "household", "why", "review", "outcome", "audit", "alerts", "alert", "fraud", "finding", "reason", "error", "restriction"}

func parsePages() map[string]*template.Template {
	pages := map[string]*template.Template{}
	for _, name := range pageNames {
		pages[name] = template.Must(template.New("layout.html").Funcs(templateFuncs).
			ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
	}
	addRightsPages(pages)
	return pages
}

// view is what a page handler gives back: the template to draw and its
// data.
type view struct {
	page   string
	title  string
	nav    string // the navigation item to mark as current
	status int    // 0: 200
	data   any
}

// pageData is what every template gets.
type pageData struct {
	Title   string
	Nav     []navItem
	User    string
	Role    string
	CSRF    string
	Errors  []formError
	Data    any
	Request string // the number of a failed request, for the error page
	// Page and Status name the page drawn, for tests and monitoring that
	// read the page (data-page and data-status on <main>).
	Page   string
	Status int
}

type navItem struct {
	Href, Text string
	Current    bool
}

// option is one choice of a drop-down list (the "select" template).
type option struct{ Value, Text string }

// options are values as a drop-down list's choices, each in words.
func options(values []string, text func(string) string) []option {
	out := make([]option, len(values))
	for i, v := range values {
		out[i] = option{v, text(v)}
	}
	return out
}

// formError is one entry of an error summary, linked to its field.
type formError struct {
	Field, Message string
}

// pageHandler draws one page for a signed-in principal.
type pageHandler func(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error)

// page registers a staff page behind sign-in, the rate limit and, for a
// form's POST, the CSRF check.
func (s *Server) page(pattern string, h pageHandler) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		uiHeaders(w)
		// The credential is checked first: a valid session always passes,
		// and only a client whose failed sign-ins are over budget is
		// turned away (a page without one is sent to sign in, unspent).
		p, err := s.auth.principal(r)
		p.Surface = "ui"
		if err != nil && s.limiter(s.addresses, s.clientHost(r)).Tokens() < 1 {
			s.uiFail(w, r, nil, errRateLimited)
			return
		}
		if errors.Is(err, errUnauthenticated) {
			s.toSignin(w, r)
			return
		}
		if err != nil {
			s.uiFail(w, r, nil, err)
			return
		}
		role, ok := s.cfg.Access.Policy().Role(p.Role)
		switch {
		case !ok:
			s.uiFail(w, r, &p, errNoRole)
			return
		case !s.allow(s.principals, p.User+"\x00"+p.Role):
			s.uiFail(w, r, &p, errRateLimited)
			return
		case r.Method == http.MethodPost && !s.formFromHere(r):
			s.uiFail(w, r, &p, errForgedForm)
			return
		}
		v, err := h(w, r, p, role)
		if err == errRedirected {
			return
		}
		if err != nil {
			s.uiFail(w, r, &p, err)
			return
		}
		s.render(w, r, &p, v)
	})
}

var errForgedForm = &apiError{http.StatusForbidden, "forbidden", "This form did not come from this service, or it is too old. Go back, reload the page and try again."}

// toSignin sends a browser that is not signed in to the sign-in page,
// remembering the page it asked for (the path only: a query may hold a
// resident's details).
func (s *Server) toSignin(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		s.uiFail(w, r, nil, errUnauthenticated)
		return
	}
	http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.Path), http.StatusSeeOther)
}

// uiHeaders are set on every page.
func uiHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("Referrer-Policy", "same-origin") // a search's URL holds what was searched for: never sent to another site (and no-referrer would make browsers send "Origin: null" with forms)
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Type", "text/html; charset=utf-8")
}

// render draws a page into a buffer first, so that a template error
// becomes the error page rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, p *resindex.Principal, v view) {
	d := pageData{Title: v.title, CSRF: s.csrfToken(w, r), Data: v.data, Page: v.page, Status: cmp.Or(v.status, http.StatusOK)}
	if p != nil {
		d.User, d.Role = p.User, p.Role
		if role, ok := s.cfg.Access.Policy().Role(p.Role); ok {
			d.Nav = s.nav(*p, role, v.nav)
		}
	}
	if e, ok := v.data.(interface{ formErrors() []formError }); ok {
		d.Errors = e.formErrors()
	}
	var buf bytes.Buffer
	if err := s.pages[v.page].Execute(&buf, d); err != nil {
		id := randomString()[:12]
		s.cfg.Log.Error("page failed", "request", id, "page", v.page)
		s.cfg.Log.Debug("page failed", "request", id, "err", err)
		w.WriteHeader(http.StatusInternalServerError)
		s.pages["error"].Execute(w, pageData{Title: "Sorry, there is a problem with the service", Request: id,
			Data: errorPage{Status: 500, Message: "The page could not be drawn. Try again later."}})
		return
	}
	if v.status != 0 {
		w.WriteHeader(v.status)
	}
	w.Write(buf.Bytes())
}

// navFor lists the pages a role may use.
func navFor(role *access.Role, current string) []navItem {
	var out []navItem
	add := func(href, text string) {
		out = append(out, navItem{Href: href, Text: text, Current: href == current})
	}
	if role.Sees(access.Adult) || role.Sees(access.Child) {
		add("/search", "Search")
	}
	if role.Can(access.Alerts) {
		add("/alerts", "Alerts")
	}
	if role.Can(access.FraudFindings) {
		add("/fraud", "Fraud findings")
	}
	if role.Can(access.ReviewMatches) {
		add("/review", "Review queue")
	}
	if role.Can(access.ReadAudit) {
		add("/audit", "Audit log")
	}
	return out
}

// nav is a principal's navigation: navFor, with the number of new alerts
// on the inbox's link. Without the number (no inbox, or the store did not
// answer) the link stays, and the inbox page says what is wrong.
func (s *Server) nav(p resindex.Principal, role *access.Role, current string) []navItem {
	items := navFor(role, current)
	for i := range items {
		if items[i].Href != "/alerts" {
			continue
		}
		if n, err := s.cfg.Access.NewAlerts(p); err == nil {
			items[i].Text = "Alerts (" + strconv.Itoa(n) + " new)"
		}
	}
	return items
}

// errorPage is the error page's data.
type errorPage struct {
	Status  int
	Heading string
	Message string
	Back    string // a link to try again from
}

// uiFail draws the error page for an error, classified as the API
// classifies it (answerError), in words for staff.
func (s *Server) uiFail(w http.ResponseWriter, r *http.Request, p *resindex.Principal, err error) {
	uiHeaders(w)
	a := s.answerError(w, r, err)
	ep := errorPage{Status: a.status, Message: pageMessage(a), Back: "/"}
	if a.code == "unauthenticated" {
		ep.Back = "/signin"
	}
	d := pageData{Title: pageTitleFor(ep.Status), Data: ep, Page: "error", Status: ep.Status, Request: a.request}
	if p != nil {
		d.User, d.Role, d.CSRF = p.User, p.Role, s.csrfToken(w, r)
		if role, ok := s.cfg.Access.Policy().Role(p.Role); ok {
			d.Nav = s.nav(*p, role, "")
		}
	}
	w.WriteHeader(ep.Status)
	s.pages["error"].Execute(w, d)
}

// pageMessage is an error's message as the error page words it.
func pageMessage(a errorAnswer) string {
	switch {
	case a.code == "rate_limited":
		return "You have made too many requests in a short time. Wait a moment, then try again."
	case a.worded:
		return a.message
	case a.code == "unauthenticated":
		return "You are not signed in, or your session has ended."
	case a.code == "no_role":
		return "You are signed in, but your account has no role in this service (or several). Ask your administrator for access."
	case a.field != "":
		return "There is a problem with " + a.field + ": " + a.detail + "."
	case a.code == "not_found":
		return "No one was found at this address, or they are not yours to see. Check the link, or search again."
	case a.code == "forbidden" && a.need != "":
		return "Your role does not allow this: it needs " + a.need + "."
	case a.code == "forbidden" || a.code == "reason_required":
		return "Your role does not allow this."
	case a.code == "internal":
		return "The page could not be shown. Try again later; if it keeps happening, tell IT the request number below."
	}
	return a.message
}

func pageTitleFor(status int) string {
	switch status {
	case http.StatusNotFound:
		return "Page not found"
	case http.StatusForbidden:
		return "You cannot see this page"
	case http.StatusUnauthorized:
		return "Sign in to continue"
	case http.StatusBadRequest:
		return "There is a problem with the request"
	case http.StatusTooManyRequests:
		return "Too many requests"
	case http.StatusServiceUnavailable:
		return "Sorry, the service is unavailable"
	}
	return "Sorry, there is a problem with the service"
}

// csrfToken is the token forms carry: the HMAC of the browser's CSRF
// cookie, set here on first use.
func (s *Server) csrfToken(w http.ResponseWriter, r *http.Request) string {
	v := ""
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) == 43 {
		v = c.Value
	} else {
		v = randomString()
		http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: v, Path: "/", HttpOnly: true,
			Secure: s.auth.secure(r), SameSite: http.SameSiteStrictMode})
	}
	return s.csrfMAC(v)
}

func (s *Server) csrfMAC(v string) string {
	m := hmac.New(sha256.New, s.csrfKey)
	m.Write([]byte(v))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// formFromHere checks a form's CSRF token against the browser's cookie,
// and its Origin, when the browser sends one, against this server.
func (s *Server) formFromHere(r *http.Request) bool {
	if o := r.Header.Get("Origin"); o != "" {
		u, err := url.Parse(o)
		if err != nil || u.Host != r.Host {
			return false
		}
	}
	c, err := r.Cookie(csrfCookie)
	if err != nil {
		return false
	}
	return hmac.Equal([]byte(r.PostFormValue("csrf")), []byte(s.csrfMAC(c.Value)))
}

// assets serves the embedded front-end files; they hold no resident data
// and change only with the binary, so browsers may keep them a day.
func (s *Server) assets() http.Handler {
	sub, err := fs.Sub(assetFS, "assets")
	if err != nil {
		panic(err) // the embed pattern names the directory
	}
	files := http.StripPrefix("/assets/", http.FileServer(http.FS(sub)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r) // no directory listings
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(w, r)
	})
}
