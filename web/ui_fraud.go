package web

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/fraud"
)

// The fraud findings pages: one check's findings, ranked and filtered,
// and one finding with its evidence and the form that records an
// investigator's review (for roles with the fraud_findings ability;
// access refuses the rest).

// fraudData is the findings page.
type fraudData struct {
	Check    string
	Tabs     []checkTab
	Signal   string // the filter as sent
	MinScore string
	Status   string
	Signals  []option
	Statuses []option
	F        access.FindingsView
	Listed   bool // the filter was one access could list by
	Running  bool // the first run of the checks has not finished
	Next     string
	Problems []formError
}

func (d *fraudData) formErrors() []formError { return d.Problems }

// checkTab is a link to one check's findings.
type checkTab struct {
	Check, Href string
	Current     bool
}

// fraudFields are the findings page's parameters.
var fraudFields = []string{"check", "signal", "min_score", "status", "page"}

// findingsPageSize is how many findings a page lists.
const findingsPageSize = 20

func (s *Server) fraudPage(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	if err := s.cfg.Access.MayReadFindings(p); err != nil {
		return view{}, err
	}
	v := r.URL.Query()
	d, err := newFraudData(v)
	if err != nil {
		return view{}, err
	}
	out := view{page: "fraud", title: "Fraud findings: " + checkWords(d.Check), nav: "/fraud", data: d}
	f, err := findingsFilter(v)
	var in *access.InputError
	if errors.As(err, &in) {
		d.Problems = append(d.Problems, findingsProblem(in))
	}
	if len(d.Problems) == 0 {
		if err := s.listFindings(w, r, p, d, f, &out); err != nil {
			return view{}, err
		}
	}
	if len(d.Problems) > 0 {
		out.title, out.status = "Error: "+out.title, http.StatusBadRequest
	}
	return out, nil
}

// newFraudData reads the page's check and filter as sent; a check that
// does not exist is the page that does not.
func newFraudData(v url.Values) (*fraudData, error) {
	check := cmp.Or(v.Get("check"), string(fraud.Subletting))
	signals := access.FindingSignals(check)
	if signals == nil {
		return nil, &apiError{http.StatusNotFound, "not_found", "There is no such check. Go to the fraud findings and choose one."}
	}
	d := &fraudData{Check: check, Signal: v.Get("signal"), Status: v.Get("status"), Signals: options(signals, signalWords),
		Statuses: options(access.FindingStatuses(), findingStatusWords),
		MinScore: cmp.Or(v.Get("min_score"), strconv.FormatFloat(fraud.DefaultMinScore, 'f', -1, 64))}
	for _, k := range []fraud.Kind{fraud.Subletting, fraud.SPD} {
		d.Tabs = append(d.Tabs, checkTab{Check: string(k), Href: "/fraud?check=" + string(k), Current: string(k) == check})
	}
	for k := range v {
		if !slices.Contains(fraudFields, k) {
			d.Problems = append(d.Problems, formError{"signal", "The address asked for an unknown filter; use the form below"})
			break
		}
	}
	return d, nil
}

// listFindings fills the page with a page of findings; a first run of the
// checks still going is said on the page, with 503, rather than waited for.
func (s *Server) listFindings(w http.ResponseWriter, r *http.Request, p resindex.Principal, d *fraudData, f access.FindingsFilter, out *view) error {
	ctx, cancel := context.WithTimeout(r.Context(), firstRunWait)
	defer cancel()
	list, err := s.cfg.Access.FraudFindings(ctx, p, d.Check, f, access.Page{Size: findingsPageSize, Token: r.URL.Query().Get("page")})
	var in *access.InputError
	switch {
	case errors.As(err, &in):
		d.Problems = append(d.Problems, findingsProblem(in))
	case errors.Is(err, access.ErrChecksRunning):
		d.Running, out.status = true, http.StatusServiceUnavailable
		w.Header().Set("Retry-After", "30")
	case err != nil:
		return err
	default:
		d.F, d.Listed = list, true
		if list.NextPage != "" {
			u := keep(r.URL.Query(), fraudFields)
			u.Set("check", d.Check)
			u.Set("page", list.NextPage)
			d.Next = "/fraud?" + u.Encode()
		}
	}
	return nil
}

// findingsProblem is a refused filter field, in words.
func findingsProblem(in *access.InputError) formError {
	switch in.Field {
	case "min_score":
		return formError{"min_score", "Enter the score as a number from 0 to 1, like 0.5"}
	case "signal":
		return formError{"signal", "Choose a signal from the list"}
	case "status":
		return formError{"status", "Choose a review status from the list"}
	}
	return formError{"signal", sentence(in.Field, in.Msg)}
}

// findingData is one finding's page, with what its review form was last
// sent (or the review it has).
type findingData struct {
	F access.FindingView
	// People are the finding's persons by reference, for its evidence.
	People   map[string]*access.PersonView
	Outcomes []string
	Posted   stepForm
	Problems []formError
}

func (d *findingData) formErrors() []formError { return d.Problems }

func (s *Server) findingPage(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	return s.findingView(r.Context(), p, r.PathValue("id"), nil, nil, 0)
}

// findingView draws a finding's page, with its review form filled with
// what was sent (nil: the finding's review, if any) and its problems
// (status their status, 0 for none).
func (s *Server) findingView(ctx context.Context, p resindex.Principal, id string, sent *stepForm, problems []formError, status int) (view, error) {
	ctx, cancel := context.WithTimeout(ctx, firstRunWait)
	defer cancel()
	f, err := s.cfg.Access.FraudFinding(ctx, p, id)
	if err != nil {
		return view{}, uiFindingError(err)
	}
	d := &findingData{F: f, People: map[string]*access.PersonView{}, Outcomes: fraud.Outcomes, Problems: problems}
	for _, pv := range append([]*access.PersonView{f.Subject}, pointers(f.Others)...) {
		if pv != nil {
			d.People[pv.Ref] = pv
		}
	}
	switch {
	case sent != nil:
		d.Posted = *sent
	case f.Review != nil:
		d.Posted = stepForm{Outcome: f.Review.Outcome, Note: f.Review.Note}
	}
	v := view{page: "finding", title: checkWords(f.Check) + ": finding " + f.ID, nav: "/fraud", status: status, data: d}
	if len(problems) > 0 {
		v.title = "Error: " + v.title
	}
	return v, nil
}

// findingReviewForm records an investigator's review from a finding's
// page, then shows the finding with it. Both fields are checked before
// access is asked, so that the page names every problem at once.
func (s *Server) findingReviewForm(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	id, sent := r.PathValue("id"), stepForm{Outcome: r.PostFormValue("outcome"), Note: r.PostFormValue("note")}
	var problems []formError
	if !slices.Contains(fraud.Outcomes, sent.Outcome) {
		problems = append(problems, formError{"outcome", "Choose the outcome"})
	}
	if utf8.RuneCountInString(strings.TrimSpace(sent.Note)) > fraud.MaxNoteLen {
		problems = append(problems, formError{"note", "Enter a note of 2,000 characters or fewer"})
	}
	if len(problems) > 0 {
		return s.findingView(r.Context(), p, id, &sent, problems, http.StatusBadRequest)
	}
	ctx, cancel := context.WithTimeout(r.Context(), firstRunWait)
	defer cancel()
	_, err := s.cfg.Access.ReviewFinding(ctx, p, id, sent.Outcome, sent.Note)
	var in *access.InputError
	switch {
	case err == nil:
		http.Redirect(w, r, "/fraud/findings/"+id, http.StatusSeeOther)
		return view{}, errRedirected
	case errors.As(err, &in):
		return s.findingView(r.Context(), p, id, &sent, []formError{stepProblem(in, "note")}, http.StatusBadRequest)
	}
	return view{}, uiFindingError(err)
}

// fraudRunForm starts a run of the checks and goes back to the findings
// of the check the form was on.
func (s *Server) fraudRunForm(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	if _, err := s.cfg.Access.RunFraudChecks(p); err != nil {
		return view{}, err
	}
	check := r.PostFormValue("check")
	if access.FindingSignals(check) == nil {
		check = string(fraud.Subletting)
	}
	http.Redirect(w, r, "/fraud?check="+check, http.StatusSeeOther)
	return view{}, errRedirected
}

// uiFindingError words a missing finding, or a first run of the checks
// still going, for the error page.
func uiFindingError(err error) error {
	switch {
	case errors.Is(err, resindex.ErrNotFound):
		return &apiError{http.StatusNotFound, "not_found", "There is no finding at this address in the latest run of the checks. Go back to the fraud findings."}
	case errors.Is(err, access.ErrChecksRunning):
		return &apiError{http.StatusServiceUnavailable, "unavailable", "The fraud checks are running for the first time since the service started. Try again in a minute."}
	}
	return err
}

func pointers[T any](list []T) []*T {
	out := make([]*T, len(list))
	for i := range list {
		out[i] = &list[i]
	}
	return out
}
