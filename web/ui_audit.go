package web

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
)

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
var auditActions = []string{"search", "view", "household", "explain", "verify", "export", "review", "override", "audit", "me",
	"alerts", "alert", "alert_acknowledge", "alert_close", "fraud_findings", "fraud_finding", "fraud_review", "fraud_run", "request", "signin", "signout"}

// auditFields are the audit page's parameters.
var auditFields = []string{"person", "user", "action", "since", "until", "page", "check"}

// chainCheckAge is how old a check of the chain the audit page shows
// before checking again (the page offers "check now").
const chainCheckAge = 5 * time.Minute

// auditPage shows the log's entries for the filters and, whatever the
// filters, whether the hash chain holds.
func (s *Server) auditPage(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	v := r.URL.Query()
	d := &auditData{Person: strings.TrimSpace(v.Get("person")), User: strings.TrimSpace(v.Get("user")), Action: v.Get("action"),
		Since: strings.TrimSpace(v.Get("since")), Until: strings.TrimSpace(v.Get("until")), Actions: auditActions}
	out := view{page: "audit", title: "Audit log", nav: "/audit", data: d}
	var err error
	age := chainCheckAge
	if v.Get("check") == "1" {
		age = 0 // the auditor asked for a check now
	}
	if d.Chain, err = s.cfg.Access.VerifyAudit(p, age); err != nil {
		return view{}, err
	}
	f, ok := d.filter(v)
	if !ok {
		out.title, out.status = "Error: "+out.title, http.StatusBadRequest
		return out, nil
	}
	if d.Page, err = s.cfg.Access.Audit(p, f, access.Page{Size: 50, Token: v.Get("page")}); err != nil {
		return view{}, err
	}
	if d.Page.NextPage != "" {
		u := keep(v, auditFields)
		u.Set("page", d.Page.NextPage)
		d.Next = "/audit?" + u.Encode()
	}
	return out, nil
}

// filter reads the filters, noting each problem with them.
func (d *auditData) filter(v map[string][]string) (access.AuditFilter, bool) {
	f := access.AuditFilter{Person: d.Person, User: d.User, Action: d.Action}
	for k := range v {
		if !slices.Contains(auditFields, k) {
			d.Problems = append(d.Problems, formError{"person", "The address asked for an unknown filter; use the form below"})
			break
		}
	}
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
	if !f.Since.IsZero() && !f.Until.IsZero() && !f.Since.Before(f.Until) {
		d.Problems = append(d.Problems, formError{"until", "The last day must be the first day or after it"})
	}
	return f, len(d.Problems) == 0
}

// dayOf reads a day typed as DD/MM/YYYY or YYYY-MM-DD (in UTC, as the
// log's times are): its start, or for the end of a range the start of the
// next day.
func dayOf(s string, end bool) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	d, err := access.NormaliseDOB(s)
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
