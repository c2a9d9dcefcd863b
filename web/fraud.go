package web

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
)

// The fraud findings API (issue 15): one check's findings, one finding
// with its evidence, an investigator's review of it, and a fresh run of
// the checks; for roles with the fraud_findings ability (access refuses
// the rest).

// findingsParams are the query parameters of a check's findings.
var findingsParams = []param{{"signal", false}, {"min_score", false}, {"status", false}, {"page_size", false}, {"page_token", false}}

// firstRunWait bounds how long a request waits for the first run of the
// checks after a start: over a million records it takes tens of seconds,
// and an answer saying so is better than a hung page.
const firstRunWait = 5 * time.Second

func (s *Server) findingList(r *http.Request, p resindex.Principal) (any, error) {
	if err := s.cfg.Access.MayReadFindings(p); err != nil {
		return nil, err
	}
	v, err := query(r, findingsParams...)
	if err != nil {
		return nil, err
	}
	f, err := findingsFilter(v)
	if err != nil {
		return nil, err
	}
	pg, err := page(v)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(r.Context(), firstRunWait)
	defer cancel()
	out, err := s.cfg.Access.FraudFindings(ctx, p, r.PathValue("check"), f, pg)
	return out, findingError(err, "no such check: want subletting or spd")
}

// findingsFilter reads a findings filter's parameters; a score that is
// not a number is refused here, one outside 0 to 1 by access.
func findingsFilter(v url.Values) (access.FindingsFilter, error) {
	f := access.FindingsFilter{Signal: v.Get("signal"), Status: v.Get("status")}
	if ms := v.Get("min_score"); ms != "" {
		n, err := strconv.ParseFloat(ms, 64)
		if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
			return f, rejected("min_score", "want a number from 0 to 1")
		}
		f.MinScore, f.HasMin = n, true
	}
	return f, nil
}

func (s *Server) finding(r *http.Request, p resindex.Principal) (any, error) {
	if err := s.cfg.Access.MayReadFindings(p); err != nil {
		return nil, err
	}
	if _, err := query(r); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(r.Context(), firstRunWait)
	defer cancel()
	v, err := s.cfg.Access.FraudFinding(ctx, p, r.PathValue("id"))
	return v, findingError(err, "no such finding")
}

// FindingReviewRequest is an investigator's outcome for a finding, with
// an optional note.
type FindingReviewRequest struct {
	Outcome string `json:"outcome"`
	Note    string `json:"note"`
}

func (s *Server) reviewFinding(r *http.Request, p resindex.Principal) (any, error) {
	if err := s.cfg.Access.MayReadFindings(p); err != nil {
		return nil, err
	}
	var req FindingReviewRequest
	if err := readJSON(r, &req); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(r.Context(), firstRunWait)
	defer cancel()
	v, err := s.cfg.Access.ReviewFinding(ctx, p, r.PathValue("id"), req.Outcome, req.Note)
	return v, findingError(err, "no such finding in the latest run of the checks")
}

// FraudRunRequest asks for a run of the checks; it has no fields (a JSON
// body keeps cross-site forms out, as every POST's does).
type FraudRunRequest struct{}

func (s *Server) runFraud(r *http.Request, p resindex.Principal) (any, error) {
	if err := s.cfg.Access.MayReadFindings(p); err != nil {
		return nil, err
	}
	var req FraudRunRequest
	if err := readJSON(r, &req); err != nil {
		return nil, err
	}
	return s.cfg.Access.RunFraudChecks(p)
}

// errChecksRunning is what a fraud call says while the first run of the
// checks has not finished.
var errChecksRunning = &apiError{http.StatusServiceUnavailable, "unavailable",
	"the fraud checks are running for the first time: try again in a minute"}

// findingError words a fraud call's error for findings, not persons:
// byKind's "no such person" would mislead (missing says what is not
// found), and a first run still going says so.
func findingError(err error, missing string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, resindex.ErrNotFound):
		return &apiError{http.StatusNotFound, "not_found", missing}
	case errors.Is(err, access.ErrChecksRunning):
		return errChecksRunning
	}
	return err
}
