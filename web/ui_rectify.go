package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
)

// The rectification page (issue 16): a form choosing the field to
// correct and its new value, showing which source systems will be told,
// for roles with the rights ability; once recorded, the notice and the
// sources it goes to. It works without JavaScript: every field's inputs
// are on the page, and only the chosen field's are read.

func init() {
	// The page's template is parsed with the others (parsePages), named
	// here so that this part's files stay its own.
	pageNames = append(pageNames, "rectify")
}

// rectifyForm is the form as sent.
type rectifyPost struct {
	Field, Given, Family, Day, Month, Year string
	Line1, Line2, Line3, Postcode, UPRN    string
	ReportedVia, Reason                    string
}

// rectifyData is the rectification page.
type rectifyData struct {
	Ref      string
	Reason   string // the reason to see a shielded person, carried through the form
	V        access.RectifyView
	Sources  []option
	Posted   rectifyPost
	Problems []formError
	Notice   *RectificationResponse // set once recorded
}

func (d *rectifyData) formErrors() []formError { return d.Problems }

func (s *Server) rectifyPage(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	return s.rectifyView(r, p, rectifyPost{}, nil, nil)
}

// rectifyView draws the form for a person, filled with what was sent,
// with its problems, or the notice just recorded.
func (s *Server) rectifyView(r *http.Request, p resindex.Principal, sent rectifyPost, problems []formError, n *RectificationResponse) (view, error) {
	if err := s.cfg.Access.MayRectify(p); err != nil {
		return view{}, err
	}
	ref, reason := r.PathValue("ref"), strings.TrimSpace(r.FormValue("reason"))
	rv, err := s.cfg.Access.RectifyForm(p, ref, reason)
	if err != nil {
		return s.reasonPage(r, err, "rectify")
	}
	d := &rectifyData{Ref: ref, Reason: reason, V: rv, Posted: sent, Problems: problems, Notice: n,
		Sources: options(resindex.Sources, sourceName)}
	v := view{page: "rectify", title: "Correct " + nameOr(rv.Person.Name, "this person") + "'s details", nav: "/search", data: d}
	switch {
	case n != nil:
		v.title = fmt.Sprintf("Correction recorded: notice %d", n.Notice)
	case len(problems) > 0:
		v.title, v.status = "Error: "+v.title, http.StatusBadRequest
	}
	return v, nil
}

// rectifyForm records the correction the form sends, then shows its
// notice; a correction access refuses is shown with the problem linked
// to its input.
func (s *Server) rectifyForm(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	if err := s.cfg.Access.MayRectify(p); err != nil {
		return view{}, err
	}
	sent := readRectifyPost(r)
	if sent.Field == "" {
		return s.rectifyView(r, p, sent, []formError{{"field", "Choose what to correct"}}, nil)
	}
	n, err := s.cfg.Access.Rectify(p, r.PathValue("ref"), sent.correction())
	var in *access.InputError
	switch {
	case errors.As(err, &in):
		return s.rectifyView(r, p, sent, []formError{rectifyProblem(in)}, nil)
	case err != nil:
		return view{}, err
	}
	resp := s.rectification(n)
	return s.rectifyView(r, p, rectifyPost{}, nil, &resp)
}

func readRectifyPost(r *http.Request) rectifyPost {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return rectifyPost{Field: f("field"), Given: f("given"), Family: f("family"), Day: f("dob-day"), Month: f("dob-month"), Year: f("dob-year"),
		Line1: f("line1"), Line2: f("line2"), Line3: f("line3"), Postcode: f("postcode"), UPRN: f("uprn"),
		ReportedVia: f("reported_via"), Reason: f("reason_for_correction")}
}

// correction is the correction the form sends: only the chosen field's
// inputs are read, so a half-filled other group does not get in the way.
func (f rectifyPost) correction() resindex.Correction {
	c := resindex.Correction{Field: f.Field, ReportedVia: f.ReportedVia, Reason: f.Reason}
	switch f.Field {
	case resindex.CorrectName:
		c.Name = &resindex.CorrectedName{Given: f.Given, Family: f.Family}
	case resindex.CorrectDOB:
		c.DOB = f.dob()
	case resindex.CorrectAddress:
		c.Address = &resindex.CorrectedAddress{Lines: []string{f.Line1, f.Line2, f.Line3}, Postcode: f.Postcode, UPRN: f.UPRN}
	}
	return c
}

// dob joins the date input's parts as YYYY-MM-DD (a day or month of one
// digit padded); nothing typed is no date, and anything else is left for
// access to refuse.
func (f rectifyPost) dob() string {
	if f.Day == "" && f.Month == "" && f.Year == "" {
		return ""
	}
	pad := func(s string) string {
		if len(s) == 1 {
			return "0" + s
		}
		return s
	}
	return f.Year + "-" + pad(f.Month) + "-" + pad(f.Day)
}

// rectifyProblem words a refused correction for the form, linked to the
// input it is about.
func rectifyProblem(in *access.InputError) formError {
	switch in.Field {
	case "field":
		return formError{"field", "Choose what to correct, and fill in only its new value"}
	case "name", "name.given":
		return formError{"given", "Enter the given name, up to 100 characters"}
	case "name.family":
		return formError{"family", "Enter the family name, up to 100 characters"}
	case "dob":
		return formError{"dob-day", "Enter a real date of birth, in the past, like 27 3 1980"}
	case "address", "address.lines":
		return formError{"line1", "Enter the first line of the address, each line up to 100 characters"}
	case "address.postcode":
		return formError{"postcode", "Enter a real UK postcode, like SW1A 1AA"}
	case "address.uprn":
		return formError{"uprn", "Enter the UPRN as up to 12 digits, or leave it empty"}
	case "reported_via":
		return formError{"reported_via", "Choose a service from the list"}
	case "reason":
		return formError{"reason_for_correction", "Enter why you are recording this correction, up to 500 characters"}
	}
	return formError{"field", sentence(in.Field, in.Msg)}
}
