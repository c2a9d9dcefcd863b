package web

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"

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
	s.page("GET /alerts", s.alertsPage)
	s.page("GET /alerts/{id}", s.alertPage)
	s.page("POST /alerts/{id}/acknowledge", s.acknowledgeForm)
	s.page("POST /alerts/{id}/close", s.closeForm)
	s.page("GET /fraud", s.fraudPage)
	s.page("GET /fraud/findings/{id}", s.findingPage)
	s.page("POST /fraud/findings/{id}/review", s.findingReviewForm)
	s.page("POST /fraud/run", s.fraudRunForm)
	s.page("GET /rights/{ref}/restriction", s.restrictionPage)
	s.page("POST /rights/{ref}/restriction", s.restrictionForm)
	s.page("GET /rights/{ref}/rectify", s.rectifyPage)
	s.page("POST /rights/{ref}/rectify", s.rectifyForm)
	s.page("GET /rights/{ref}/erase", s.erasePage)
	s.page("POST /rights/{ref}/erase", s.eraseForm)
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
	return view{page: "home", title: "Nothing to look at here for your role", data: role}, nil
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

// localPath keeps a path on this site, or gives "": no scheme, no host,
// and nothing a browser would read as one (a leading "//", a backslash,
// or a control character it drops, such as a tab in "/\t/evil.example").
func localPath(p string) string {
	if strings.ContainsFunc(p, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) {
		return ""
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") {
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
	// Thin: searched by a date of birth or an address without a name,
	// postcode or reference, which the index cannot find people by alone.
	Thin     bool
	Results  *access.SearchPage
	Problems []formError
	Next     string
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
	f.Thin = q.Given == "" && q.Family == "" && q.Postcode == "" && len(q.Identifiers) == 0
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
	if q.DOB != "" {
		if d, err := access.NormaliseDOB(q.DOB); err == nil {
			q.DOB = d
		} else {
			f.Problems = append(f.Problems, formError{"dob", "Enter a date of birth like 27/03/1985, or just a year like 1985"})
		}
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

// formField is the form field a query field's problem belongs to.
func formField(field string) string {
	switch {
	case field == "postcode" || field == "address":
		return "place"
	case strings.HasPrefix(field, "identifiers.") || field == "id":
		return "id_value"
	case field == "dob":
		return "dob"
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
	return capital(msg) + " (" + strings.ReplaceAll(field, "_", " ") + ")"
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
	Rights           bool // the role acts on residents' rights: link to the hub
	Rectify          bool // the role may record a correction of the person's details
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
	d.Rights = role.Can(access.Rights)
	d.Rectify = role.Can(access.Rights)
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
