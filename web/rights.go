package web

import (
	"bytes"
	"context"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
)

// Residents' rights (issue 16): the subject access report as JSON and as
// a page, and the hub an information-governance officer starts a
// resident's request from. For roles with the rights ability; access
// refuses the rest before any parameter is read.

// sarParams are the subject access report's query parameters: more index
// persons of the same requester (also, repeatable), and whether to show
// other residents, with why. The page takes reason too (a link cannot
// set the API's reason header).
var sarParams = []param{{"also", true}, {"third_parties", false}, {"third_party_reason", false}, {"reason", false}}

// sarWait bounds the wait for the fraud checks' first run: past it the
// report says the findings could not be read.
const sarWait = 10 * time.Second

// sarRequest reads a report's request: the person in the path, more in
// also, the reason (the header's, else the parameter's) and the third
// parties' choice.
func sarRequest(ref string, v url.Values, headerReason string) (access.SARRequest, error) {
	req := access.SARRequest{Refs: []string{ref}, Reason: headerReason, ThirdPartyReason: strings.TrimSpace(v.Get("third_party_reason"))}
	if req.Reason == "" {
		req.Reason = strings.TrimSpace(v.Get("reason"))
	}
	for _, a := range v["also"] {
		if a = strings.TrimSpace(a); a != "" && a != ref {
			req.Refs = append(req.Refs, a)
		}
	}
	if len(req.Refs) > access.MaxSARPersons {
		return req, rejected("also", "too many persons for one report")
	}
	switch v.Get("third_parties") {
	case "", "false", "no":
	case "true", "yes":
		req.ThirdParties = true
	default:
		return req, rejected("third_parties", "want true or false")
	}
	return req, nil
}

func (s *Server) subjectAccess(r *http.Request, p resindex.Principal) (any, error) {
	if err := s.cfg.Access.MayActOnRights(p, "subject_access"); err != nil {
		return nil, err
	}
	v, err := query(r, sarParams...)
	if err != nil {
		return nil, err
	}
	req, err := sarRequest(r.PathValue("ref"), v, reason(r))
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(r.Context(), sarWait)
	defer cancel()
	return s.cfg.Access.SubjectAccessFor(ctx, p, req)
}

// rightsRoutes registers the residents' rights pages (server.go
// registers the API's, where the OpenAPI test reads them).
func (s *Server) rightsRoutes() {
	s.page("GET /rights/{ref}", s.rightsPage)
	s.page("GET /rights/{ref}/sar", s.sarPage)
}

// rightsData is the hub's: the person, and the actions on their data.
type rightsData struct {
	V access.RightsPersonView
	Q string // carries the reason to the actions' pages
}

func (s *Server) rightsPage(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	if err := s.cfg.Access.MayActOnRights(p, "rights"); err != nil {
		return view{}, err
	}
	ref, reason := r.PathValue("ref"), strings.TrimSpace(r.URL.Query().Get("reason"))
	rv, err := s.cfg.Access.RightsPerson(p, ref, reason)
	if err != nil {
		return s.reasonPage(r, err, "rights")
	}
	return view{page: "rights", title: "Residents' rights", nav: "/search", data: rightsData{V: rv, Q: reasonQuery(reason)}}, nil
}

// sarData is the report page's: the report, and the link to its JSON.
type sarData struct {
	SAR  *access.SAR
	Ref  string
	JSON string // the API's address of the same report
	Q    string
}

func (s *Server) sarPage(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	if err := s.cfg.Access.MayActOnRights(p, "subject_access"); err != nil {
		return view{}, err
	}
	v, err := query(r, sarParams...)
	if err != nil {
		return view{}, err
	}
	ref := r.PathValue("ref")
	req, err := sarRequest(ref, v, "")
	if err != nil {
		return view{}, err
	}
	ctx, cancel := context.WithTimeout(r.Context(), sarWait)
	defer cancel()
	sar, err := s.cfg.Access.SubjectAccessFor(ctx, p, req)
	if err != nil {
		return s.reasonPage(r, err, "subject access")
	}
	d := &sarData{SAR: sar, Ref: ref, Q: reasonQuery(req.Reason),
		JSON: "/api/v1/rights/persons/" + url.PathEscape(ref) + "/sar?" + r.URL.RawQuery}
	return view{page: "sar", title: "Subject access report", nav: "/search", data: d}, nil
}

// rightsPageNames are the pages of this part, each parsed with the layout
// and the report's body.
var rightsPageNames = []string{"rights", "sar"}

// addRightsPages parses the residents' rights pages into the page set.
func addRightsPages(pages map[string]*template.Template) {
	for _, name := range rightsPageNames {
		pages[name] = template.Must(template.New("layout.html").Funcs(sarFuncs()).
			ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html", "templates/sar_body.html"))
	}
}

// sarFuncs are the page functions with those the report adds.
func sarFuncs() template.FuncMap {
	fm := template.FuncMap{}
	for k, v := range templateFuncs {
		fm[k] = v
	}
	fm["pct"] = percent
	fm["words"] = words
	fm["capital"] = capital
	fm["household"] = func(k string) string {
		if u, ok := strings.CutPrefix(k, "uprn:"); ok {
			return "Property " + u
		}
		return k
	}
	fm["from"] = func(p resindex.Provenance) string { return provenance(&p) }
	return fm
}

// reportTemplate is the stand-alone report: the same body as the page, in
// one self-contained file with its own style and print rules.
var reportTemplate = template.Must(template.New("sar_report.html").Funcs(sarFuncs()).
	ParseFS(templateFS, "templates/sar_report.html", "templates/sar_body.html"))

// WriteSARReport writes a subject access report as one self-contained,
// printable HTML file (what `resindex sar` writes as sar.html).
func WriteSARReport(w io.Writer, sar *access.SAR) error {
	var buf bytes.Buffer
	if err := reportTemplate.Execute(&buf, sar); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
