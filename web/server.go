package web

import (
	"cmp"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/time/rate"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
)

// Config is what the server needs.
type Config struct {
	Access *access.Service
	Tokens TokenStore  // nil: no API tokens
	OIDC   *OIDCConfig // nil: no OpenID Connect
	// Demo adds the demo sign-in page, where anyone may pick a role: only
	// `resindex demo` sets it.
	Demo bool
	// Rate and Burst limit each principal's requests (default 20 a
	// second, bursts of 40).
	Rate  float64
	Burst int
	// TrustedProxies are the reverse proxies whose forwarding headers
	// name the client (see clientHost); none: the peer is the client.
	TrustedProxies []netip.Prefix
	// ForwardedHeader is the one header those proxies write: "Forwarded"
	// or "" for X-Forwarded-For (api.forwarded_header).
	ForwardedHeader string
	Log             *slog.Logger
	Now             func() time.Time
	// ReadOnly: a read replica's server, which refuses every change
	// (readonly.go).
	ReadOnly bool
	// Metrics, if set, gets the request counts and latencies by route
	// (web/metrics.go).
	Metrics prometheus.Registerer
	// Probes, if set, answers GET /healthz and GET /readyz, unsigned-in
	// and unlimited, for a load balancer's or Kubernetes' probes: it must
	// say nothing of residents.
	Probes http.Handler
}

// Server is the HTTP face of resindex.
type Server struct {
	cfg  Config
	auth *authn
	mux  *http.ServeMux
	// principals and addresses limit requests by who signed in, and
	// failed sign-ins by where they come from; starts limit browser
	// sign-ins begun, by where from, apart from the failures, so that
	// another caller's bad tokens never stop staff signing in.
	principals, addresses, starts *limiters
	pages                         map[string]*template.Template
	csrfKey                       []byte // forms' tokens are made with it (see csrfToken)
	metrics                       *httpMetrics
}

//go:embed openapi.yaml
var openAPI []byte

// OpenAPI returns the API's OpenAPI 3 document.
func OpenAPI() []byte { return openAPI }

// New builds the server; with OpenID Connect it reads the provider's
// discovery document.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Access == nil {
		return nil, errors.New("web: no access service")
	}
	if cfg.Rate == 0 {
		cfg.Rate = 20
	}
	if cfg.Burst == 0 {
		cfg.Burst = 40
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	pol := cfg.Access.Policy()
	s := &Server{cfg: cfg, mux: http.NewServeMux(),
		principals: &limiters{m: map[string]*rate.Limiter{}}, addresses: &limiters{m: map[string]*rate.Limiter{}},
		starts: &limiters{m: map[string]*rate.Limiter{}}}
	s.pages, s.csrfKey = parsePages(), []byte(randomString())
	if cfg.Metrics != nil {
		s.metrics = newHTTPMetrics(cfg.Metrics)
	}
	s.auth = &authn{tokens: cfg.Tokens, now: cfg.Now, sessions: map[string]session{}, pending: map[string]pendingLogin{},
		roles: func(r string) bool { _, ok := pol.Role(r); return ok }}
	if cfg.OIDC != nil {
		o, err := newOIDC(ctx, *cfg.OIDC)
		if err != nil {
			return nil, err
		}
		s.auth.oidc = o
	}
	s.routes()
	return s, nil
}

// ServeHTTP serves a request, logging its method, path, status, time and
// client address (never its query or body, which may hold resident data).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	t0 := time.Now()
	sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if s.cfg.ReadOnly && refusedOnReplica(r) {
		s.refuseReadOnly(sw, r)
	} else {
		s.mux.ServeHTTP(sw, r)
	}
	s.metrics.observe(r, sw.status, time.Since(t0))
	s.cfg.Log.Info("http", "method", r.Method, "path", r.URL.Path, "status", sw.status, "seconds", time.Since(t0).Seconds(),
		"client", s.clientHost(r)) // behind a proxy, the client it names (api.trusted_proxies)
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (s *Server) routes() {
	s.mux.HandleFunc("GET /api/v1/openapi.yaml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		w.Write(openAPI)
	})
	s.api("GET /api/v1/me", s.me)
	s.api("GET /api/v1/persons", s.search)
	s.api("GET /api/v1/persons/{id}", s.person)
	s.api("GET /api/v1/persons/{id}/household", s.household)
	s.api("GET /api/v1/persons/{id}/links", s.links)
	s.api("POST /api/v1/verify", s.verify)
	s.api("POST /api/v1/export", s.export)
	s.api("GET /api/v1/review", s.review)
	s.api("POST /api/v1/overrides", s.override)
	s.api("GET /api/v1/audit", s.audit)
	s.api("GET /api/v1/alerts", s.alertList)
	s.api("GET /api/v1/alerts/{id}", s.alert)
	s.api("POST /api/v1/alerts/{id}/acknowledge", s.acknowledge)
	s.api("POST /api/v1/alerts/{id}/close", s.closeAlert)
	s.api("GET /api/v1/fraud/{check}", s.findingList)
	s.api("GET /api/v1/fraud/findings/{id}", s.finding)
	s.api("POST /api/v1/fraud/findings/{id}/review", s.reviewFinding)
	s.api("POST /api/v1/fraud/run", s.runFraud)
	s.api("GET /api/v1/rights/persons/{ref}", s.rightsState)
	s.api("PUT /api/v1/rights/persons/{ref}/restriction", s.changeRight(access.RightRestriction))
	s.api("DELETE /api/v1/rights/persons/{ref}/restriction", s.changeRight(access.RightRestriction))
	s.api("PUT /api/v1/rights/persons/{ref}/objection", s.changeRight(access.RightObjection))
	s.api("DELETE /api/v1/rights/persons/{ref}/objection", s.changeRight(access.RightObjection))
	s.api("GET /api/v1/rights/persons/{ref}/sar", s.subjectAccess)
	s.rightsRoutes()
	s.api("POST /api/v1/rights/persons/{ref}/rectification", s.rectify)
	s.api("POST /api/v1/rights/persons/{ref}/erase", s.erasePerson)
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, &apiError{http.StatusNotFound, "not_found", "no such endpoint"})
	})
	if s.auth.oidc != nil {
		s.mux.HandleFunc("GET /auth/login", s.login)
		s.mux.HandleFunc("GET /auth/callback", s.callback)
	}
	s.mux.HandleFunc("POST /auth/logout", s.logout)
	if s.cfg.Demo {
		s.mux.HandleFunc("GET /auth/demo", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/signin", http.StatusSeeOther) // the role picker moved to the sign-in page
		})
		s.mux.HandleFunc("POST /auth/demo", s.demoLogin)
	}
	if s.cfg.Probes != nil {
		s.mux.Handle("GET /healthz", s.cfg.Probes)
		s.mux.Handle("GET /readyz", s.cfg.Probes)
	}
	s.uiRoutes()
}

// handler is one API call: it gets the signed-in principal and returns
// the JSON to send or an error.
type handler func(r *http.Request, p resindex.Principal) (any, error)

// api registers a handler behind sign-in and the rate limit.
func (s *Server) api(pattern string, h handler) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		p, err := s.auth.principal(r)
		p.Surface = "api"
		if err != nil {
			s.signinRefused(w, r, p, err)
			return
		}
		// A principal over its rate is turned away unrecorded too: it is
		// signed in, and its requests within the rate are all recorded.
		if !s.allow(s.principals, p.User+"\x00"+p.Role) {
			s.fail(w, r, errRateLimited)
			return
		}
		out, err := h(r, p)
		var rj rejectedError
		if errors.As(err, &rj) {
			if aerr := s.cfg.Access.Log(p, "request", r.Method+" "+r.URL.Path, "bad_request"); aerr != nil {
				err = aerr
			}
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// signinRefused answers a request whose credential failed. Failed
// sign-ins are limited by client address, and only they are: a valid
// credential is checked first and always passes, so that nobody is
// locked out by another caller's failures. A client over its budget is
// turned away unrecorded, so that nobody can fill the audit log.
func (s *Server) signinRefused(w http.ResponseWriter, r *http.Request, p resindex.Principal, err error) {
	if !s.allow(s.addresses, s.clientHost(r)) {
		s.fail(w, r, errRateLimited)
		return
	}
	s.refuse(w, r, p, err)
}

// refuse turns away a request that did not sign in (or has no role),
// recording it in the audit log: failed sign-ins are what an auditor
// looks for first.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, p resindex.Principal, err error) {
	outcome := "denied"
	switch {
	case errors.Is(err, errUnauthenticated):
		outcome = "unauthenticated"
	case !errors.Is(err, errNoRole):
		outcome = "error"
	}
	if aerr := s.cfg.Access.Log(p, "request", r.Method+" "+r.URL.Path, outcome); aerr != nil {
		err = aerr // a refusal that cannot be recorded is an internal error
	}
	s.fail(w, r, err)
}

var errRateLimited = &apiError{http.StatusTooManyRequests, "rate_limited", "too many requests: slow down"}

// maxLimiters bounds the buckets kept per kind; past it they start
// afresh. Principals are bounded by the staff and service accounts that
// can sign in; addresses are not, and a flood of them clears only the
// addresses' buckets.
const maxLimiters = 100_000

// limiters are token buckets by key.
type limiters struct {
	mu sync.Mutex
	m  map[string]*rate.Limiter
}

// limiter returns a key's bucket, made on first use.
func (s *Server) limiter(ls *limiters, key string) *rate.Limiter {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	l, ok := ls.m[key]
	if !ok {
		if len(ls.m) >= maxLimiters {
			clear(ls.m)
		}
		l = rate.NewLimiter(rate.Limit(s.cfg.Rate), s.cfg.Burst)
		ls.m[key] = l
	}
	return l
}

// allow takes one request from a key's bucket.
func (s *Server) allow(ls *limiters, key string) bool { return s.limiter(ls, key).Allow() }

// remoteHost is the client's address without its port.
func remoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// apiError is an error with its HTTP status and code.
type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return e.message }

// ErrorBody is the one error format: {"error": {"code", "message", "field"}}.
type ErrorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Field   string `json:"field,omitempty"`
	} `json:"error"`
}

// errorAnswer is how an error is answered, in JSON or on a page: its
// status, code and message (quoting nothing of the request), and the
// field at fault. Unexpected errors are logged with a request number and
// shown only as that number: their text may name records.
type errorAnswer struct {
	status               int
	code, message, field string
	detail               string // what is wrong with the field
	need                 string // what a refusal says the role lacks
	request              string // an internal error's number in the log
	worded               bool   // the message was written for this answer (an apiError)
}

// answerError classifies an error once for both faces of the server, and
// sets the Retry-After a client should wait.
func (s *Server) answerError(w http.ResponseWriter, r *http.Request, err error) errorAnswer {
	var a errorAnswer
	var ae *apiError
	var in *access.InputError
	var fe *access.ForbiddenError
	switch {
	case errors.As(err, &ae):
		a = errorAnswer{status: ae.status, code: ae.code, message: ae.message, worded: true}
		if a.status == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "1")
		}
	case errors.Is(err, errUnauthenticated):
		a = errorAnswer{status: http.StatusUnauthorized, code: "unauthenticated", message: err.Error()}
	case errors.Is(err, errNoRole):
		a = errorAnswer{status: http.StatusForbidden, code: "no_role", message: err.Error()}
	case errors.As(err, &fe):
		// A refusal for want of an ability or a field says which, so that
		// a caller can ask for the right role: policy terms, never data.
		a = errorAnswer{status: http.StatusForbidden, code: "forbidden", message: fe.Error(), need: fe.Need}
	case errors.Is(err, access.ErrReasonRequired):
		a = errorAnswer{status: http.StatusForbidden, code: "reason_required", message: "this person is shielded: give the reason for looking in the Resindex-Reason header"}
	case errors.As(err, &in):
		a = errorAnswer{status: http.StatusBadRequest, code: "bad_request", message: in.Error(), field: in.Field, detail: in.Msg}
	default:
		a.status, a.code, a.message = byKind(resindex.KindOf(err))
		if a.status == http.StatusInternalServerError {
			a.request = randomString()[:12]
			s.cfg.Log.Error("request failed", "request", a.request, "method", r.Method, "path", r.URL.Path)
			s.cfg.Log.Debug("request failed", "request", a.request, "err", err)
			a.message = fmt.Sprintf("the server could not answer (request %s)", a.request)
		}
	}
	if a.status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "5")
	}
	return a
}

// fail writes an error in the API's one error format.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	a := s.answerError(w, r, err)
	if a.code == "unauthenticated" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="resindex"`)
	}
	var body ErrorBody
	body.Error.Code, body.Error.Message, body.Error.Field = a.code, a.message, a.field
	writeJSON(w, a.status, body)
}

// byKind is the one mapping of the root's error kinds to HTTP: a status,
// an error code and a message that quotes nothing of the request.
func byKind(k resindex.ErrorKind) (status int, code, message string) {
	switch k {
	case resindex.KindNotFound:
		return http.StatusNotFound, "not_found", "no such person"
	case resindex.KindForbidden:
		return http.StatusForbidden, "forbidden", "your role does not allow this"
	case resindex.KindInvalid:
		return http.StatusBadRequest, "bad_request", "the request is not valid"
	case resindex.KindConflict:
		return http.StatusConflict, "conflict", "the request clashes with the index's state; try again"
	case resindex.KindUnavailable:
		return http.StatusServiceUnavailable, "unavailable", "the index cannot answer now; try again shortly"
	}
	return http.StatusInternalServerError, "internal", ""
}

// demoLogin signs a browser in as the role picked on the sign-in page.
func (s *Server) demoLogin(w http.ResponseWriter, r *http.Request) {
	uiHeaders(w)
	if !s.formFromHere(r) {
		s.uiFail(w, r, nil, errForgedForm)
		return
	}
	role := r.PostFormValue("role")
	if !s.auth.roles(role) {
		d := s.signinData(r)
		d.Problems = []formError{{"role", "Choose a role to sign in as"}}
		s.render(w, r, nil, view{page: "signin", title: "Error: Sign in", status: http.StatusBadRequest, data: &d})
		return
	}
	p := resindex.Principal{User: "demo:" + role, Role: role, Via: "demo"}
	if err := s.cfg.Access.Log(p, "signin", p.Via, "ok"); err != nil {
		s.uiFail(w, r, nil, err)
		return
	}
	s.auth.startSession(w, r, p, s.auth.now().Add(sessionLength))
	http.Redirect(w, r, cmp.Or(localPath(r.PostFormValue("next")), "/home"), http.StatusSeeOther)
}
