package web

import (
	"cmp"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/alerts"
)

// ReasonHeader carries why a member of staff looks at a shielded person
// (or exports); it is recorded in the audit log.
const ReasonHeader = "Resindex-Reason"

// maxBody bounds a request body.
const maxBody = 1 << 20

// Me is who the caller is signed in as, and what their role allows.
type Me struct {
	User      string   `json:"user"`
	Role      string   `json:"role"`
	Via       string   `json:"via"`
	Abilities []string `json:"abilities"`
	Adult     []string `json:"adult_fields"`
	Child     []string `json:"child_fields"`
	Sources   []string `json:"sources,omitempty"`
}

// param is a query parameter an endpoint takes, and whether it may be
// given more than once.
type param struct {
	name   string
	repeat bool
}

// The query parameters of the GET endpoints; the others take none.
var (
	searchParams = []param{{"given", false}, {"family", false}, {"dob", false}, {"postcode", false}, {"address", true}, {"id", true},
		{"page_size", false}, {"page_token", false}}
	pageParams  = []param{{"page_size", false}, {"page_token", false}}
	auditParams = []param{{"person", false}, {"user", false}, {"action", false}, {"since", false}, {"until", false}, {"page_size", false}, {"page_token", false}}
	alertParams = []param{{"status", false}, {"kind", false}}
)

// paramName is what a parameter's name looks like; another name is not
// repeated back (it may be a resident's name typed in the wrong place).
var paramName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// query reads a request's query parameters, refusing one the endpoint
// does not take, or takes once, given twice, naming it: a mistyped
// parameter (surname= for family=) would otherwise be ignored, and the
// answer ("nobody found") would mislead.
func query(r *http.Request, known ...param) (url.Values, error) {
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return nil, rejected("query", "not a valid query string")
	}
	var unknown []string
	for _, name := range slices.Sorted(maps.Keys(v)) {
		i := slices.IndexFunc(known, func(p param) bool { return p.name == name })
		switch {
		case i < 0:
			unknown = append(unknown, name)
		case !known[i].repeat && len(v[name]) > 1:
			return nil, rejected(name, "give it once")
		}
	}
	if len(unknown) > 0 {
		return nil, unknownParams(unknown, known)
	}
	return v, nil
}

// unknownParams refuses parameters an endpoint does not take, naming the
// first and listing what it does take.
func unknownParams(unknown []string, known []param) error {
	names := make([]string, len(known))
	for i, p := range known {
		names[i] = p.name
	}
	list := cmp.Or(strings.Join(names, ", "), "none")
	named := slices.DeleteFunc(unknown, func(n string) bool { return !paramName.MatchString(n) })
	if len(named) == 0 {
		return rejected("query", "a parameter this endpoint does not take (its name is not repeated); known: "+list)
	}
	msg := "unknown parameter"
	if len(named) > 1 {
		msg += " (also unknown: " + strings.Join(named[1:], ", ") + ")"
	}
	return rejected(named[0], msg+"; known: "+list)
}

func (s *Server) me(r *http.Request, p resindex.Principal) (any, error) {
	if _, err := query(r); err != nil {
		return nil, err
	}
	role, err := s.cfg.Access.Me(p)
	if err != nil {
		return nil, err
	}
	return Me{User: p.User, Role: p.Role, Via: p.Via, Abilities: nonNil(role.Abilities()), Adult: nonNil(role.Fields(access.Adult)),
		Child: nonNil(role.Fields(access.Child)), Sources: role.Sources()}, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func reason(r *http.Request) string { return strings.TrimSpace(r.Header.Get(ReasonHeader)) }

func (s *Server) search(r *http.Request, p resindex.Principal) (any, error) {
	v, err := query(r, searchParams...)
	if err != nil {
		return nil, err
	}
	q := resindex.Query{Given: v.Get("given"), Family: v.Get("family"), DOB: v.Get("dob"), Postcode: v.Get("postcode"), AddressLines: v["address"]}
	for _, id := range v["id"] {
		kind, val, ok := strings.Cut(id, ":")
		if !ok || kind == "" || val == "" {
			return nil, rejected("id", "want KIND:VALUE, e.g. nino:AB123456C")
		}
		if q.Identifiers == nil {
			q.Identifiers = map[string]string{}
		}
		if _, twice := q.Identifiers[kind]; twice {
			return nil, rejected("id", "one value per identifier kind")
		}
		q.Identifiers[kind] = val
	}
	pg, err := page(v)
	if err != nil {
		return nil, err
	}
	return s.cfg.Access.Search(p, q, pg, reason(r))
}

// rejectedError is a request this package refused before access saw it;
// the API records it, as access records what it refuses itself.
type rejectedError struct{ err error }

func (e rejectedError) Error() string { return e.err.Error() }
func (e rejectedError) Unwrap() error { return e.err }

// rejected refuses a request's field, naming it (never quoting it).
func rejected(field, msg string) error {
	return rejectedError{&access.InputError{Field: field, Msg: msg}}
}

// page reads page_size and page_token.
func page(v url.Values) (access.Page, error) {
	pg := access.Page{Token: v.Get("page_token")}
	if ps := v.Get("page_size"); ps != "" {
		n, err := strconv.Atoi(ps)
		if err != nil {
			return pg, rejected("page_size", "want a whole number")
		}
		pg.Size = n
		if n == 0 {
			pg.Size = -1 // asked for none: refused, not taken as the default
		}
	}
	return pg, nil
}

// person, household and links take a person's reference, or for a role
// with resolve_ids the ID the change feed names them by.
func (s *Server) person(r *http.Request, p resindex.Principal) (any, error) {
	if _, err := query(r); err != nil {
		return nil, err
	}
	return s.cfg.Access.Person(p, r.PathValue("id"), reason(r))
}

func (s *Server) household(r *http.Request, p resindex.Principal) (any, error) {
	if _, err := query(r); err != nil {
		return nil, err
	}
	return s.cfg.Access.Household(p, r.PathValue("id"), reason(r))
}

func (s *Server) links(r *http.Request, p resindex.Principal) (any, error) {
	if _, err := query(r); err != nil {
		return nil, err
	}
	return s.cfg.Access.Explain(p, r.PathValue("id"), reason(r))
}

// VerifyRequest is a claimed identity.
type VerifyRequest struct {
	Given        string   `json:"given"`
	Family       string   `json:"family"`
	DOB          string   `json:"dob"`
	Postcode     string   `json:"postcode"`
	AddressLines []string `json:"address_lines"`
}

// VerifyResponse is the verdict: match, no_match or uncertain.
type VerifyResponse struct {
	Result string `json:"result"`
}

func (s *Server) verify(r *http.Request, p resindex.Principal) (any, error) {
	var req VerifyRequest
	if err := readJSON(r, &req); err != nil {
		return nil, err
	}
	v, err := s.cfg.Access.Verify(p, access.Claim{Given: req.Given, Family: req.Family, DOB: req.DOB, Postcode: req.Postcode, AddressLines: req.AddressLines})
	return VerifyResponse{v}, err
}

// ExportRequest names the persons to export, and why (or the reason
// comes in the Resindex-Reason header).
type ExportRequest struct {
	Persons []string `json:"persons"`
	Reason  string   `json:"reason"`
}

// ExportResponse holds the views exported.
type ExportResponse struct {
	Persons []access.PersonView `json:"persons"`
}

func (s *Server) export(r *http.Request, p resindex.Principal) (any, error) {
	var req ExportRequest
	if err := readJSON(r, &req); err != nil {
		return nil, err
	}
	views, err := s.cfg.Access.Export(p, req.Persons, cmp.Or(strings.TrimSpace(req.Reason), reason(r)))
	return ExportResponse{views}, err
}

func (s *Server) review(r *http.Request, p resindex.Principal) (any, error) {
	v, err := query(r, pageParams...)
	if err != nil {
		return nil, err
	}
	pg, err := page(v)
	if err != nil {
		return nil, err
	}
	return s.cfg.Access.Review(p, pg)
}

// OverrideRequest is a steward's decision about two records.
type OverrideRequest struct {
	A      string `json:"a"` // source/id
	B      string `json:"b"`
	Kind   string `json:"kind"` // link or unlink
	Reason string `json:"reason"`
}

// OverrideResponse confirms a decision.
type OverrideResponse struct {
	Status string `json:"status"`
}

func (s *Server) override(r *http.Request, p resindex.Principal) (any, error) {
	var req OverrideRequest
	if err := readJSON(r, &req); err != nil {
		return nil, err
	}
	a, err := recordKey("a", req.A)
	if err != nil {
		return nil, err
	}
	b, err := recordKey("b", req.B)
	if err != nil {
		return nil, err
	}
	return OverrideResponse{"recorded"}, s.cfg.Access.Override(p, a, b, req.Kind, req.Reason)
}

func recordKey(field, s string) (resindex.RecordKey, error) {
	k, err := resindex.ParseRecordKey(s)
	if err != nil {
		return k, rejected(field, "want SOURCE/ID, e.g. electoral_roll/ER-1")
	}
	return k, nil
}

func (s *Server) audit(r *http.Request, p resindex.Principal) (any, error) {
	v, err := query(r, auditParams...)
	if err != nil {
		return nil, err
	}
	f := access.AuditFilter{Person: v.Get("person"), User: v.Get("user"), Action: v.Get("action")}
	for _, t := range []struct {
		name string
		to   *time.Time
	}{{"since", &f.Since}, {"until", &f.Until}} {
		if s := v.Get(t.name); s != "" {
			at, err := time.Parse(time.RFC3339, s)
			if err != nil {
				return nil, rejected(t.name, "want an RFC 3339 time, e.g. 2026-11-23T09:00:00Z")
			}
			*t.to = at
		}
	}
	pg, err := page(v)
	if err != nil {
		return nil, err
	}
	return s.cfg.Access.Audit(p, f, pg)
}

// readJSON decodes a JSON request body, refusing other content types
// (which also keeps cross-site forms out), unknown fields and trailing
// data.
func readJSON(r *http.Request, v any) error {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return rejectedError{&apiError{http.StatusUnsupportedMediaType, "unsupported_media_type", "send the body as application/json"}}
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return rejected("body", bodyError(err))
	}
	if dec.More() {
		return rejected("body", "more than one JSON value")
	}
	return nil
}

// bodyError describes a decoding error without quoting the body.
func bodyError(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		return "field " + te.Field + ": want " + te.Type.String()
	case errors.As(err, &se):
		return "not valid JSON at byte " + strconv.FormatInt(se.Offset, 10)
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return strings.TrimPrefix(err.Error(), "json: ")
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "empty or cut short"
	}
	return "not a JSON object of the expected shape"
}

func (s *Server) alertList(r *http.Request, p resindex.Principal) (any, error) {
	v, err := query(r, alertParams...)
	if err != nil {
		return nil, err
	}
	return s.cfg.Access.Alerts(p, alerts.Filter{Status: v.Get("status"), Kind: v.Get("kind")})
}

func (s *Server) alert(r *http.Request, p resindex.Principal) (any, error) {
	if _, err := query(r); err != nil {
		return nil, err
	}
	v, err := s.cfg.Access.Alert(p, r.PathValue("id"))
	return v, alertError(err, "")
}

// AcknowledgeRequest takes an alert on: who it is assigned to (blank:
// the caller) and an optional note.
type AcknowledgeRequest struct {
	Assignee string `json:"assignee"`
	Note     string `json:"note"`
}

func (s *Server) acknowledge(r *http.Request, p resindex.Principal) (any, error) {
	var req AcknowledgeRequest
	if err := readJSON(r, &req); err != nil {
		return nil, err
	}
	v, err := s.cfg.Access.AcknowledgeAlert(p, r.PathValue("id"), req.Assignee, req.Note)
	return v, alertError(err, "only a new alert can be acknowledged, and this one is not (or it changed meanwhile): read it again")
}

// CloseRequest closes an acknowledged alert: an outcome and what was done.
type CloseRequest struct {
	Outcome string `json:"outcome"`
	Note    string `json:"note"`
}

func (s *Server) closeAlert(r *http.Request, p resindex.Principal) (any, error) {
	var req CloseRequest
	if err := readJSON(r, &req); err != nil {
		return nil, err
	}
	v, err := s.cfg.Access.CloseAlert(p, r.PathValue("id"), req.Outcome, req.Note)
	return v, alertError(err, "only an acknowledged alert can be closed, and this one is not (or it changed meanwhile): read it again")
}

// alertError words an alert call's error for the alert, not a person:
// byKind's "no such person" would mislead, and a clash with the alert's
// state says what the step needs (conflict, "" when the call has none).
func alertError(err error, conflict string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, resindex.ErrNotFound):
		return &apiError{http.StatusNotFound, "not_found", "no such alert"}
	case conflict != "" && errors.Is(err, resindex.ErrConflict):
		return &apiError{http.StatusConflict, "conflict", conflict}
	}
	return err
}
