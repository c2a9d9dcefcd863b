package web

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
)

// uiRoutes registers the staff pages.
func (s *Server) uiRoutes() {
	s.mux.Handle("GET /assets/", s.assets())
	s.mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	s.mux.HandleFunc("GET /{$}", s.root)
	s.mux.HandleFunc("GET /signin", s.signinPage)
	s.mux.HandleFunc("POST /signout", s.signout)
	s.page("GET /home", s.homePage)
	s.page("GET /search", s.searchPage)
	s.page("GET /persons/{ref}", s.personPage)
	s.page("GET /persons/{ref}/household", s.householdPage)
	s.page("GET /persons/{ref}/why", s.whyPage)
	s.page("GET /review", s.reviewPage)
	s.page("POST /review", s.decide)
	s.page("GET /review/outcome", s.outcomePage)
	s.page("GET /audit", s.auditPage)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		var p *resindex.Principal
		if pp, err := s.auth.principal(r); err == nil {
			p = &pp // signed in: the page keeps its navigation and sign-out
		}
		s.uiFail(w, r, p, &apiError{http.StatusNotFound, "not_found", "There is no page at this address. Check it, or go to the start."})
	})
}

// root sends a signed-in browser to its first page, any other to sign in.
func (s *Server) root(w http.ResponseWriter, r *http.Request) {
	if _, err := s.auth.principal(r); err != nil {
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/home", http.StatusSeeOther)
}

// homePage sends a role to the first page it may use, or says it has none.
func (s *Server) homePage(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	if nav := navFor(role, ""); len(nav) > 0 {
		http.Redirect(w, r, nav[0].Href, http.StatusSeeOther)
		return view{}, errRedirected
	}
	return view{page: "home", title: "Nothing to see here for your role", data: role}, nil
}

// errRedirected: the handler has answered with a redirect.
var errRedirected = &apiError{status: http.StatusSeeOther}

type roleChoice struct{ Name, Description string }

type signinData struct {
	OIDC, Demo, SignedOut bool
	Roles                 []roleChoice
	Next                  string
	Problems              []formError
}

func (d *signinData) formErrors() []formError { return d.Problems }

// signinPage offers the council's sign-in and, in the demo, the role
// picker.
func (s *Server) signinPage(w http.ResponseWriter, r *http.Request) {
	uiHeaders(w)
	d := s.signinData(r)
	s.render(w, r, nil, view{page: "signin", title: "Sign in", data: &d})
}

func (s *Server) signinData(r *http.Request) signinData {
	d := signinData{OIDC: s.auth.oidc != nil, Demo: s.cfg.Demo, SignedOut: r.URL.Query().Get("signed_out") == "1", Next: localPath(r.FormValue("next"))}
	if s.cfg.Demo {
		pol := s.cfg.Access.Policy()
		for _, name := range pol.Roles() {
			role, _ := pol.Role(name)
			d.Roles = append(d.Roles, roleChoice{name, role.Description})
		}
	}
	return d
}

// localPath keeps a path on this site, or gives "".
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n") {
		return ""
	}
	return p
}

func (s *Server) signout(w http.ResponseWriter, r *http.Request) {
	uiHeaders(w)
	if !s.formFromHere(r) {
		s.uiFail(w, r, nil, errForgedForm)
		return
	}
	if p, err := s.auth.principal(r); err == nil {
		if err := s.cfg.Access.Log(p, "signout", p.Via, "ok"); err != nil {
			s.uiFail(w, r, &p, err)
			return
		}
	}
	s.auth.endSession(w, r)
	http.Redirect(w, r, "/signin?signed_out=1", http.StatusSeeOther)
}

// searchForm is the search page's form and results.
type searchForm struct {
	Given, Family, DOB, Place, IDKind, IDValue, Reason string
	IDKinds                                            []string
	MayGiveReason                                      bool
	Asked                                              bool
	Results                                            *access.SearchPage
	Problems                                           []formError
	Next                                               string
}

func (f *searchForm) formErrors() []formError { return f.Problems }

// postcodeRE is a UK postcode, with or without its space.
var postcodeRE = regexp.MustCompile(`^(?i)[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$`)

// searchFields are the search form's parameters, in the order the error
// summary lists problems with them.
var searchFields = []string{"given", "family", "dob", "place", "id_kind", "id_value", "reason", "page"}

func (s *Server) searchPage(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	if !role.Sees(access.Adult) && !role.Sees(access.Child) {
		return view{}, &access.ForbiddenError{Need: "fields of adults or children"}
	}
	v := r.URL.Query()
	f := &searchForm{Given: v.Get("given"), Family: v.Get("family"), DOB: v.Get("dob"), Place: v.Get("place"),
		IDKind: v.Get("id_kind"), IDValue: v.Get("id_value"), Reason: v.Get("reason"),
		IDKinds: identifierKinds(role), MayGiveReason: role.Can(access.SeeShielded)}
	out := view{page: "search", title: "Find a resident", nav: "/search", data: f}
	for k := range v {
		if !slices.Contains(searchFields, k) {
			f.Problems = append(f.Problems, formError{"given", "The address asked for an unknown search field (" + k + "); use the form below"})
		}
	}
	q, ok := f.query()
	if !ok || len(f.Problems) > 0 {
		return f.titled(out), nil
	}
	f.Asked = true
	res, err := s.cfg.Access.Search(p, q, access.Page{Size: 20, Token: v.Get("page")}, strings.TrimSpace(f.Reason))
	if in := (*access.InputError)(nil); errors.As(err, &in) {
		f.Problems = append(f.Problems, formError{formField(in.Field), sentence(in.Field, in.Msg)})
		return f.titled(out), nil
	}
	if err != nil {
		return view{}, err
	}
	f.Results = &res
	if res.NextPage != "" {
		f.Next = nextSearch(v, res.NextPage)
	}
	return out, nil
}

// titled marks a page with errors in its title, as GOV.UK pages do.
func (f *searchForm) titled(v view) view {
	if len(f.Problems) > 0 {
		v.title = "Error: " + v.title
		v.status = http.StatusBadRequest
	}
	return v
}

// query builds the search from the form; ok is false when the form was
// not filled in (a first visit) or is wrong, with the problems noted.
func (f *searchForm) query() (resindex.Query, bool) {
	q := resindex.Query{Given: strings.TrimSpace(f.Given), Family: strings.TrimSpace(f.Family), DOB: strings.TrimSpace(f.DOB)}
	place := strings.TrimSpace(f.Place)
	switch {
	case postcodeRE.MatchString(place):
		q.Postcode = place
	case place != "":
		q.AddressLines = []string{place}
	}
	if d, err := dobForm(q.DOB); err == nil {
		q.DOB = d
	} else {
		f.Problems = append(f.Problems, formError{"dob", "Enter a date of birth like 27/03/1985, or just a year like 1985"})
	}
	if id := strings.TrimSpace(f.IDValue); id != "" {
		if !slices.Contains(f.IDKinds, f.IDKind) {
			f.Problems = append(f.Problems, formError{"id_kind", "Choose what kind of reference number this is"})
		} else {
			q.Identifiers = map[string]string{f.IDKind: id}
		}
	}
	if q.Empty() && len(f.Problems) == 0 {
		if f.Given+f.Family+f.DOB+f.Place+f.IDValue != "" || f.IDKind != "" {
			f.Problems = append(f.Problems, formError{"given", "Enter a name, date of birth, postcode or address, or a reference number"})
		}
		return q, false
	}
	return q, len(f.Problems) == 0
}

// dobForm turns a date typed as DD/MM/YYYY (or D/M/YYYY, or with dashes
// or dots) into the index's YYYY-MM-DD; YYYY-MM-DD, YYYY-MM and YYYY
// pass unchanged for access to check.
func dobForm(s string) (string, error) {
	if s == "" || !strings.ContainsAny(s, "/.") && !dmyDash.MatchString(s) {
		return s, nil
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' || r == ' ' })
	if len(parts) != 3 || len(parts[2]) != 4 {
		return "", errBadDate
	}
	t, err := time.Parse("2/1/2006", strings.Join(parts, "/"))
	if err != nil {
		return "", errBadDate
	}
	return t.Format("2006-01-02"), nil
}

var dmyDash = regexp.MustCompile(`^\d{1,2}-\d{1,2}-\d{4}$`)

var errBadDate = &access.InputError{Field: "dob", Msg: "want a date like 27/03/1985"}

// formField is the form field a query field's problem belongs to.
func formField(field string) string {
	switch {
	case field == "postcode" || field == "address":
		return "place"
	case strings.HasPrefix(field, "identifiers.") || field == "id":
		return "id_value"
	case field == "page_token":
		return "page"
	case slices.Contains(searchFields, field):
		return field
	}
	return "given"
}

// sentence makes a field's problem a sentence for the error summary.
func sentence(field, msg string) string {
	if msg == "" {
		return field
	}
	return strings.ToUpper(msg[:1]) + msg[1:] + " (" + strings.ReplaceAll(field, "_", " ") + ")"
}

// nextSearch is the link to a search's next page.
func nextSearch(v map[string][]string, token string) string {
	q := url.Values{}
	for k, vs := range v {
		q[k] = vs
	}
	q.Set("page", token)
	return "/search?" + q.Encode()
}

// identifierKinds are the identifiers a role may search by.
func identifierKinds(role *access.Role) []string {
	var out []string
	for _, c := range []access.Class{access.Adult, access.Child} {
		for _, f := range role.Fields(c) {
			if k, ok := strings.CutPrefix(f, "identifiers."); ok && !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	slices.Sort(out)
	return out
}

// personData is a person's page.
type personData struct {
	V                access.PersonView
	Reason, Q        string // Q carries the reason to the next page
	Household, Links bool
}

// reasonQuery is the query that carries a reason to the pages a person's
// page links to ("" for none).
func reasonQuery(reason string) string {
	if reason == "" {
		return ""
	}
	return "?" + url.Values{"reason": {reason}}.Encode()
}

func (s *Server) personPage(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	ref, reason := r.PathValue("ref"), strings.TrimSpace(r.URL.Query().Get("reason"))
	pv, err := s.cfg.Access.Person(p, ref, reason)
	if err != nil {
		return s.reasonPage(r, err, "person")
	}
	d := personData{V: pv, Reason: reason, Q: reasonQuery(reason), Household: role.Field(pv.Class, "household"), Links: role.Field(pv.Class, "links")}
	return view{page: "person", title: nameOr(pv.Name, "Person"), nav: "/search", data: d}, nil
}

// reasonPage asks for the reason to look at a shielded person; any other
// error goes to the error page.
func (s *Server) reasonPage(r *http.Request, err error, what string) (view, error) {
	if !errors.Is(err, access.ErrReasonRequired) {
		return view{}, err
	}
	d := &reasonData{Action: r.URL.Path, What: what, Problem: r.URL.Query().Has("reason")}
	v := view{page: "reason", title: "Give a reason to see this person", nav: "/search", status: http.StatusForbidden, data: d}
	if d.Problem {
		v.title = "Error: " + v.title
	}
	return v, nil
}

// reasonData is the reason page's: the page to go on to, and whether a
// reason was asked for and not given.
type reasonData struct {
	Action, What string
	Problem      bool
}

func (d *reasonData) formErrors() []formError {
	if d.Problem {
		return []formError{{"reason", "Enter your reason"}}
	}
	return nil
}

type householdData struct {
	H              access.HouseholdView
	Ref, Reason, Q string
}

func (s *Server) householdPage(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	ref, reason := r.PathValue("ref"), strings.TrimSpace(r.URL.Query().Get("reason"))
	hv, err := s.cfg.Access.Household(p, ref, reason)
	if err != nil {
		return s.reasonPage(r, err, "household")
	}
	return view{page: "household", title: "Household", nav: "/search", data: householdData{hv, ref, reason, reasonQuery(reason)}}, nil
}

type whyData struct {
	Ref, Reason, Q string
	Name           string
	Links          []waterfall
}

func (s *Server) whyPage(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	ref, reason := r.PathValue("ref"), strings.TrimSpace(r.URL.Query().Get("reason"))
	x, err := s.cfg.Access.Explain(p, ref, reason)
	if err != nil {
		return s.reasonPage(r, err, "links")
	}
	d := whyData{Ref: ref, Reason: reason, Q: reasonQuery(reason)}
	for _, l := range x.Links {
		d.Links = append(d.Links, explainLink(l))
	}
	return view{page: "why", title: "Why these records are one person", nav: "/search", data: d}, nil
}

func nameOr(n *access.Value[resindex.Name], or string) string {
	if n == nil {
		return or
	}
	if s := fullName(n.Value); s != "" {
		return s
	}
	return or
}

// reviewData is the review queue's page.
type reviewData struct {
	Q                access.QueuePage
	Source, Min, Max string
	Next             string
	Problems         []formError
}

func (d *reviewData) formErrors() []formError { return d.Problems }

func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	v := r.URL.Query()
	d := &reviewData{Source: v.Get("source"), Min: v.Get("min_weight"), Max: v.Get("max_weight")}
	out := view{page: "review", title: "Review possible matches", nav: "/review", data: d}
	f := access.QueueFilter{Source: d.Source}
	for _, b := range []struct {
		field, text string
		to          *float64
	}{{"min_weight", d.Min, &f.MinWeight}, {"max_weight", d.Max, &f.MaxWeight}} {
		if b.text == "" {
			continue
		}
		n, err := strconv.ParseFloat(strings.TrimSpace(b.text), 64)
		if err != nil {
			d.Problems = append(d.Problems, formError{b.field, "Enter the weight as a number, like 6 or 7.5"})
		}
		*b.to = n
	}
	if len(d.Problems) > 0 {
		out.title, out.status = "Error: "+out.title, http.StatusBadRequest
		return out, nil
	}
	q, err := s.cfg.Access.Queue(p, f, access.Page{Size: 10, Token: v.Get("page")})
	if err != nil {
		return view{}, err
	}
	d.Q = q
	if q.NextPage != "" {
		u := url.Values(v)
		u.Set("page", q.NextPage)
		d.Next = "/review?" + u.Encode()
	}
	return out, nil
}

// decide records a steward's decision on a pair and shows its outcome.
func (s *Server) decide(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	a, errA := resindex.ParseRecordKey(r.PostFormValue("a"))
	b, errB := resindex.ParseRecordKey(r.PostFormValue("b"))
	if errA != nil || errB != nil {
		return view{}, &access.InputError{Field: "pair", Msg: "the form does not name two records"}
	}
	kind, reason := r.PostFormValue("decision"), strings.TrimSpace(r.PostFormValue("reason"))
	var problems []formError
	if kind != "link" && kind != "unlink" {
		problems = append(problems, formError{"decision-" + r.PostFormValue("item"), "Choose whether these are the same person"})
	}
	if reason == "" {
		problems = append(problems, formError{"reason-" + r.PostFormValue("item"), "Give the reason for your decision"})
	}
	if len(problems) > 0 {
		return s.decisionProblems(w, r, p, role, []resindex.RecordKey{a, b}, problems)
	}
	if err := s.cfg.Access.Override(p, a, b, kind, reason); err != nil {
		return view{}, err
	}
	u := url.Values{"a": {a.String()}, "b": {b.String()}, "decision": {kind}}
	http.Redirect(w, r, "/review/outcome?"+u.Encode(), http.StatusSeeOther)
	return view{}, errRedirected
}

// decisionProblems shows a decision's form again with its problems: the
// review queue, or the outcome page its undo form came from.
func (s *Server) decisionProblems(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role, keys []resindex.RecordKey, problems []formError) (view, error) {
	var v view
	var err error
	if r.PostFormValue("undo") == "1" {
		v, err = s.outcome(p, keys, r.PostFormValue("undone"))
		if d, ok := v.data.(*outcomeData); ok {
			d.Problems = problems
		}
	} else {
		v, err = s.reviewPage(w, r, p, role)
		if d, ok := v.data.(*reviewData); ok {
			d.Problems = problems
		}
	}
	v.title, v.status = "Error: "+v.title, http.StatusBadRequest
	return v, err
}

type outcomeData struct {
	Decision string
	Owners   []access.Owner
	Same     bool
	Problems []formError
}

func (d *outcomeData) formErrors() []formError { return d.Problems }

func (s *Server) outcomePage(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	v := r.URL.Query()
	var keys []resindex.RecordKey
	for _, f := range []string{"a", "b"} {
		k, err := resindex.ParseRecordKey(v.Get(f))
		if err != nil {
			return view{}, &access.InputError{Field: f, Msg: "not a record"}
		}
		keys = append(keys, k)
	}
	return s.outcome(p, keys, v.Get("decision"))
}

// outcome shows who holds a decided pair's records now.
func (s *Server) outcome(p resindex.Principal, keys []resindex.RecordKey, decision string) (view, error) {
	owners, err := s.cfg.Access.Owners(p, keys)
	if err != nil {
		return view{}, err
	}
	d := &outcomeData{Decision: decision, Owners: owners}
	d.Same = len(owners) == 2 && owners[0].Person.Ref == owners[1].Person.Ref
	return view{page: "outcome", title: "Decision recorded", nav: "/review", data: d}, nil
}

// auditData is the audit log's page.
type auditData struct {
	Person, User, Action, Since, Until string
	Actions                            []string
	Chain                              access.ChainStatus
	Page                               access.AuditPage
	Next                               string
	Problems                           []formError
}

func (d *auditData) formErrors() []formError { return d.Problems }

// auditActions are the actions an auditor may filter by.
var auditActions = []string{"search", "view", "household", "explain", "verify", "export", "review", "override", "audit", "me", "request", "signin", "signout"}

func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	v := r.URL.Query()
	d := &auditData{Person: strings.TrimSpace(v.Get("person")), User: strings.TrimSpace(v.Get("user")), Action: v.Get("action"),
		Since: strings.TrimSpace(v.Get("since")), Until: strings.TrimSpace(v.Get("until")), Actions: auditActions}
	out := view{page: "audit", title: "Audit log", nav: "/audit", data: d}
	f := access.AuditFilter{Person: d.Person, User: d.User, Action: d.Action}
	if d.Action != "" && !slices.Contains(auditActions, d.Action) {
		d.Problems = append(d.Problems, formError{"action", "Choose an action from the list"})
	}
	var err error
	if f.Since, err = dayOf(d.Since, false); err != nil {
		d.Problems = append(d.Problems, formError{"since", "Enter the first day like 27/03/2026"})
	}
	if f.Until, err = dayOf(d.Until, true); err != nil {
		d.Problems = append(d.Problems, formError{"until", "Enter the last day like 27/03/2026"})
	}
	if len(d.Problems) > 0 {
		out.title, out.status = "Error: "+out.title, http.StatusBadRequest
		return out, nil
	}
	if d.Chain, err = s.cfg.Access.VerifyAudit(p); err != nil {
		return view{}, err
	}
	if d.Page, err = s.cfg.Access.Audit(p, f, access.Page{Size: 50, Token: v.Get("page")}); err != nil {
		return view{}, err
	}
	if d.Page.NextPage != "" {
		u := url.Values(v)
		u.Set("page", d.Page.NextPage)
		d.Next = "/audit?" + u.Encode()
	}
	return out, nil
}

// dayOf reads a day typed as DD/MM/YYYY or YYYY-MM-DD: its start, or for
// the end of a range the start of the next day.
func dayOf(s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	d, err := dobForm(s)
	if err != nil {
		return time.Time{}, err
	}
	t, err := time.Parse("2006-01-02", d)
	if err != nil {
		return time.Time{}, err
	}
	if end {
		t = t.AddDate(0, 0, 1)
	}
	return t, nil
}
