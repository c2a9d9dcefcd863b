package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
)

// The review queue: possible matches for a data steward to decide, and
// the outcome of a decision.

// reviewData is the review queue's page.
type reviewData struct {
	Q                access.QueuePage
	Source, Min, Max string
	View             string // the page's own query, sent back with a decision
	Next             string
	Problems         []formError
	Posted           posted // a decision sent back for its problems
}

// posted is a decision as the steward sent it, to fill its form again.
type posted struct{ A, B, Decision, Reason string }

func (d *reviewData) formErrors() []formError { return d.Problems }

// reviewFields are the queue page's parameters.
var reviewFields = []string{"source", "min_weight", "max_weight", "page"}

func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	return s.reviewView(p, r.URL.Query())
}

// reviewView draws a page of the queue for the filters in v.
func (s *Server) reviewView(p resindex.Principal, v url.Values) (view, error) {
	d := &reviewData{Source: v.Get("source"), Min: v.Get("min_weight"), Max: v.Get("max_weight"), View: keep(v, reviewFields).Encode()}
	out := view{page: "review", title: "Review possible matches", nav: "/review", data: d}
	f := access.QueueFilter{Source: d.Source}
	if d.Source != "" && !slices.Contains(resindex.Sources, d.Source) {
		d.Problems = append(d.Problems, formError{"source", "Choose a source system from the list"})
		f.Source = "\x00none" // shows no pairs, and keeps the unknown text out of the audit log
	}
	f.MinWeight, f.HasMin = d.weight("min_weight", d.Min)
	f.MaxWeight, f.HasMax = d.weight("max_weight", d.Max)
	q, err := s.cfg.Access.Queue(p, f, access.Page{Size: 10, Token: v.Get("page")})
	if err != nil {
		return view{}, err
	}
	d.Q = q
	if q.NextPage != "" {
		u := keep(v, reviewFields)
		u.Set("page", q.NextPage)
		d.Next = "/review?" + u.Encode()
	}
	if len(d.Problems) > 0 {
		out.title, out.status = "Error: "+out.title, http.StatusBadRequest
	}
	return out, nil
}

// weight reads a weight bound, noting a problem with it; an empty one is
// no bound.
func (d *reviewData) weight(field, text string) (float64, bool) {
	if text = strings.TrimSpace(text); text == "" {
		return 0, false
	}
	n, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
		d.Problems = append(d.Problems, formError{field, "Enter the weight as a number, like 6 or -2.5"})
		return 0, false
	}
	return n, true
}

// keep is the values of some parameters only.
func keep(v url.Values, names []string) url.Values {
	out := url.Values{}
	for _, n := range names {
		if x := v.Get(n); x != "" {
			out.Set(n, x)
		}
	}
	return out
}

// decide records a steward's decision on a pair and shows its outcome.
func (s *Server) decide(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	a, errA := resindex.ParseRecordKey(r.PostFormValue("a"))
	b, errB := resindex.ParseRecordKey(r.PostFormValue("b"))
	if errA != nil || errB != nil {
		return view{}, &access.InputError{Field: "pair", Msg: "the form does not name two records"}
	}
	pd := posted{A: a.String(), B: b.String(), Decision: r.PostFormValue("decision"), Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	var problems []string
	if pd.Decision != "link" && pd.Decision != "unlink" {
		problems = append(problems, "decision", "Choose whether these are the same person")
	}
	if pd.Reason == "" {
		problems = append(problems, "reason", "Give the reason for your decision")
	}
	if r.PostFormValue("undo") == "1" {
		return s.undo(w, r, p, pd, problems)
	}
	if len(problems) > 0 {
		view, _ := url.ParseQuery(r.PostFormValue("view"))
		return s.decisionProblems(p, view, pd, problems)
	}
	return s.record(w, r, p, a, b, pd)
}

// record makes the decision and sends the browser to its outcome.
func (s *Server) record(w http.ResponseWriter, r *http.Request, p resindex.Principal, a, b resindex.RecordKey, pd posted) (view, error) {
	if err := s.cfg.Access.Override(p, a, b, pd.Decision, pd.Reason); err != nil {
		return view{}, err
	}
	http.Redirect(w, r, "/review/outcome?"+s.signOutcome(p, pd.A, pd.B, pd.Decision, time.Now()).Encode(), http.StatusSeeOther)
	return view{}, errRedirected
}

// decisionProblems draws the queue page the decision came from again,
// with the problems on the pair's own form, filled in as it was sent.
func (s *Server) decisionProblems(p resindex.Principal, from url.Values, pd posted, problems []string) (view, error) {
	v, err := s.reviewView(p, from)
	if err != nil {
		return v, err
	}
	d := v.data.(*reviewData)
	d.Posted = pd
	at := -1
	for i, it := range d.Q.Items {
		if it.A.Record == pd.A && it.B.Record == pd.B {
			at = i
		}
	}
	if at < 0 {
		d.Problems = append(d.Problems, formError{"count", "That pair is no longer on this page of the queue: another steward may have decided it. Nothing was recorded."})
	}
	for i := 0; at >= 0 && i+1 < len(problems); i += 2 {
		d.Problems = append(d.Problems, formError{problems[i] + "-" + strconv.Itoa(at), problems[i+1]})
	}
	v.title, v.status = "Error: Review possible matches", http.StatusBadRequest
	return v, nil
}

// undo records the opposite of a decision just made, from its outcome
// page, which it must carry the signature of.
func (s *Server) undo(w http.ResponseWriter, r *http.Request, p resindex.Principal, pd posted, problems []string) (view, error) {
	undone := r.PostFormValue("undone")
	if !s.outcomeSigned(p, r.PostForm, undone) {
		return view{}, errNoOutcome
	}
	if len(problems) == 0 {
		a, _ := resindex.ParseRecordKey(pd.A)
		b, _ := resindex.ParseRecordKey(pd.B)
		return s.record(w, r, p, a, b, pd)
	}
	v, err := s.outcome(p, r.PostForm, undone)
	if d, ok := v.data.(*outcomeData); ok && err == nil {
		d.Problems = []formError{{"reason-0", "Give the reason for changing the decision"}}
		v.title, v.status = "Error: "+v.title, http.StatusBadRequest
	}
	return v, err
}

var errNoOutcome = &apiError{http.StatusNotFound, "not_found", "There is no decision of yours to show here. Decisions are shown once, just after they are made: see the review queue or the audit log."}

// outcomeFor is how long after a decision its outcome page may be shown.
const outcomeFor = time.Hour

// signOutcome makes the outcome page's address for a decision just
// recorded: signed for this user, so that the page shows only decisions
// they made and cannot be used to look up any record by its reference.
func (s *Server) signOutcome(p resindex.Principal, a, b, decision string, at time.Time) url.Values {
	v := url.Values{"a": {a}, "b": {b}, "decision": {decision}, "at": {strconv.FormatInt(at.Unix(), 10)}}
	v.Set("sig", s.outcomeMAC(p, v))
	return v
}

func (s *Server) outcomeMAC(p resindex.Principal, v url.Values) string {
	m := hmac.New(sha256.New, s.csrfKey)
	for _, x := range []string{"outcome", p.User, p.Role, v.Get("a"), v.Get("b"), v.Get("decision"), v.Get("at")} {
		m.Write([]byte(x + "\x00"))
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// outcomeSigned checks an outcome's signature and age; decision is the
// one the signature must be for.
func (s *Server) outcomeSigned(p resindex.Principal, v url.Values, decision string) bool {
	signed := url.Values{"a": {v.Get("a")}, "b": {v.Get("b")}, "decision": {decision}, "at": {v.Get("at")}}
	at, err := strconv.ParseInt(v.Get("at"), 10, 64)
	return err == nil && time.Since(time.Unix(at, 0)) < outcomeFor &&
		hmac.Equal([]byte(v.Get("sig")), []byte(s.outcomeMAC(p, signed)))
}

type outcomeData struct {
	Decision string
	Owners   []access.Owner
	Same     bool
	Signed   url.Values // carried by the undo form
	Problems []formError
}

func (d *outcomeData) formErrors() []formError { return d.Problems }

func (s *Server) outcomePage(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	v := r.URL.Query()
	if !s.outcomeSigned(p, v, v.Get("decision")) {
		return view{}, errNoOutcome
	}
	return s.outcome(p, v, v.Get("decision"))
}

// outcome shows who holds a decided pair's records now.
func (s *Server) outcome(p resindex.Principal, signed url.Values, decision string) (view, error) {
	var keys []resindex.RecordKey
	for _, f := range []string{"a", "b"} {
		k, err := resindex.ParseRecordKey(signed.Get(f))
		if err != nil {
			return view{}, errNoOutcome
		}
		keys = append(keys, k)
	}
	owners, err := s.cfg.Access.Owners(p, keys)
	if err != nil {
		return view{}, err
	}
	d := &outcomeData{Decision: decision, Owners: owners, Signed: keep(signed, []string{"a", "b", "at", "sig"})}
	d.Same = len(owners) == 2 && owners[0].Person.Ref == owners[1].Person.Ref
	return view{page: "outcome", title: "Decision recorded", nav: "/review", data: d}, nil
}
