package access

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/fraud"
)

// The fraud team's findings (issue 15): the latest run of the subletting
// and single person discount checks, listed, read and reviewed by roles
// with the fraud_findings ability. The checks run over the whole index,
// away from any request (fraud.Cache); what a role sees of the persons a
// finding names is decided here, as for any other view (fraud_view.go).

// Findings is where the findings come from: the latest run of the checks
// (fraud.Cache is one).
type Findings interface {
	// Report is the latest run of one check, with every finding whatever
	// its score, and when it ran; it waits for the first run, as long as
	// ctx allows.
	Report(ctx context.Context, k fraud.Kind) (fraud.Report, time.Time, error)
	// Refresh starts a run unless one is in progress.
	Refresh()
	// Forget drops what is held after an erasure (fraud.Cache.Forget).
	Forget()
	// Running reports whether a run is in progress.
	Running() bool
}

// ReviewStore is the store investigators' reviews are kept in (the
// index's store).
type ReviewStore interface {
	View(fn func(resindex.Txn) error) error
	Update(fn func(resindex.Txn) error) error
}

// ErrNoFindings answers the fraud calls of a service built without the
// checks (Options.Fraud) or a store for their reviews.
var ErrNoFindings = resindex.NewError(resindex.ErrUnavailable, "the fraud findings are not set up: the access service has no fraud checks")

// ErrChecksRunning answers a fraud call that gave up waiting for the
// first run of the checks: there is nothing to show yet.
var ErrChecksRunning = resindex.NewError(resindex.ErrUnavailable, "the fraud checks are running for the first time: try again shortly")

// FindingsFilter picks the findings of one check: those scoring at least
// MinScore (when HasMin; else fraud.DefaultMinScore), with a signal
// ("" any) and a review status ("" any: unreviewed, reviewed, or an
// outcome of fraud.Outcomes).
type FindingsFilter struct {
	Signal   string
	MinScore float64
	HasMin   bool
	Status   string
}

// Review statuses a filter may name besides the outcomes.
const (
	FindingUnreviewed = "unreviewed"
	FindingReviewed   = "reviewed"
)

// FindingStatuses are the statuses a filter may name, in the order the
// pages offer them.
func FindingStatuses() []string {
	return append([]string{FindingUnreviewed, FindingReviewed}, fraud.Outcomes...)
}

// FindingSignals are the names of the signals a check fires, in the order
// the pages offer them; nil for a check that does not exist.
func FindingSignals(check string) []string {
	return slices.Clone(checkSignals[fraud.Kind(check)])
}

var checkSignals = fraud.Signals

// FindingCounts are the findings at or above the filter's score, with its
// signal, by review status (whatever status it picks).
type FindingCounts struct {
	Unreviewed int            `json:"unreviewed"`
	Reviewed   int            `json:"reviewed"`
	Outcomes   map[string]int `json:"outcomes"`
}

// FindingsView is one page of a check's findings, highest score first.
type FindingsView struct {
	Check string `json:"check"`
	// AsOf is the newest day of the data the run read; RanAt when it
	// ran; Running says a newer run is in progress.
	AsOf     string        `json:"as_of"`
	RanAt    time.Time     `json:"ran_at"`
	Running  bool          `json:"running"`
	Examined int           `json:"examined"`
	MinScore float64       `json:"min_score"`
	Total    int           `json:"total"`
	Counts   FindingCounts `json:"counts"`
	Findings []FindingView `json:"findings"`
	NextPage string        `json:"next_page,omitempty"`
}

// FraudRun says whether a run of the checks is in progress.
type FraudRun struct {
	Running bool `json:"running"`
}

// FraudFindings lists one check's findings for a role with the
// fraud_findings ability: filtered, counted and paged, highest score
// first, each with its signals (without their evidence) and the persons
// it names as the role may see them. ctx bounds the wait for the first
// run of the checks (ErrChecksRunning).
func (s *Service) FraudFindings(ctx context.Context, p resindex.Principal, check string, f FindingsFilter, pg Page) (FindingsView, error) {
	var out FindingsView
	err := s.audited(p, "fraud_findings", describeFindings(check, f), "", func(e *AuditEntry) error {
		role, kind, err := s.fraudCall(p, check)
		if err == nil {
			err = checkFindingsFilter(kind, &f)
		}
		if err == nil {
			out, err = s.findingsPage(ctx, role, kind, f, pg, e)
		}
		return err
	})
	return out, err
}

// MayReadFindings refuses, audited, a principal whose role lacks the
// fraud_findings ability: callers ask before they read a request's
// parameters, so that another role learns nothing from how a malformed
// request is answered.
func (s *Service) MayReadFindings(p resindex.Principal) error {
	if _, err := s.roleAble(p, FraudFindings); err != nil {
		return s.audited(p, "fraud_findings", "refused before the request was read", "", func(*AuditEntry) error { return err })
	}
	return nil
}

// findingsPage is a page of the findings of the latest run of a check
// that a (checked) filter picks, shown to a role.
func (s *Service) findingsPage(ctx context.Context, role *Role, kind fraud.Kind, f FindingsFilter, pg Page, e *AuditEntry) (FindingsView, error) {
	size, from, err := pageBounds(pg)
	if err != nil {
		return FindingsView{}, err
	}
	rep, at, err := s.fraudReport(ctx, kind)
	if err != nil {
		return FindingsView{}, err
	}
	reviews, err := s.fraudReviews()
	if err != nil {
		return FindingsView{}, err
	}
	kept, counts := pickFindings(rep.Findings, f, reviews)
	out := FindingsView{Check: string(kind), AsOf: rep.AsOf, RanAt: at, Running: s.opts.Fraud.Running(), Examined: rep.Examined,
		MinScore: f.MinScore, Total: len(kept), Counts: counts, Findings: []FindingView{}}
	people := s.findingPeople(role, e, summaryFields)
	for i := min(from, len(kept)); i < min(from+size, len(kept)); i++ {
		v, err := people.finding(&kept[i], reviewOf(reviews, kept[i].ID), false)
		if err != nil {
			return out, err
		}
		out.Findings = append(out.Findings, v)
	}
	if from+size < len(kept) {
		out.NextPage = offsetToken(from + size)
	}
	e.Query += fmt.Sprintf(": %d of %d findings", len(out.Findings), len(kept))
	return out, nil
}

// pageBounds reads a page's size and offset. A token past the end of the
// list (the run changed since it was given) is an empty page, not an error.
func pageBounds(pg Page) (size, from int, err error) {
	if size, err = pg.size(); err != nil {
		return 0, 0, err
	}
	from, err = pg.offset(math.MaxInt32)
	return size, from, err
}

// FraudFinding reads one finding, with the evidence behind each signal
// and its review, if it has one.
func (s *Service) FraudFinding(ctx context.Context, p resindex.Principal, id string) (FindingView, error) {
	var v FindingView
	err := s.audited(p, "fraud_finding", "finding "+showFindingID(id), "", func(e *AuditEntry) error {
		role, _, err := s.fraudCall(p, "")
		if err == nil {
			v, err = s.findingView(ctx, role, id, e, nil)
		}
		return err
	})
	return v, err
}

// ReviewFinding records an investigator's outcome (one of
// fraud.Outcomes) and note for a finding of the latest run, in the
// principal's name and role, replacing any earlier review. The note is
// case work, kept with the review for the roles that read findings; the
// audit log (which auditors read) has only its length.
func (s *Service) ReviewFinding(ctx context.Context, p resindex.Principal, id, outcome, note string) (FindingView, error) {
	note = strings.TrimSpace(note)
	reason := ""
	if note != "" {
		reason = fmt.Sprintf("a note of %d characters", len([]rune(note)))
	}
	query := "review finding " + showFindingID(id) + " as " + showOutcome(outcome, fraud.Outcomes)
	var v FindingView
	err := s.audited(p, "fraud_review", query, reason, func(e *AuditEntry) error {
		role, _, err := s.fraudCall(p, "")
		if err != nil {
			return err
		}
		if err := checkReview(outcome, note); err != nil {
			return err
		}
		r := fraud.Review{Finding: id, Outcome: outcome, Note: note, By: p.User, Role: p.Role, At: s.opts.Now().UTC()}
		v, err = s.findingView(ctx, role, id, e, &r)
		return err
	})
	return v, err
}

// RunFraudChecks starts a run of the checks now, unless one is in
// progress; the findings pages show it when it ends.
func (s *Service) RunFraudChecks(p resindex.Principal) (FraudRun, error) {
	var out FraudRun
	err := s.audited(p, "fraud_run", "run the fraud checks", "", func(*AuditEntry) error {
		if _, _, err := s.fraudCall(p, ""); err != nil {
			return err
		}
		s.opts.Fraud.Refresh()
		out.Running = s.opts.Fraud.Running()
		return nil
	})
	return out, err
}

// findingView finds a finding of the latest run and shows it to a role
// with its evidence and review; with save, it first keeps that review.
func (s *Service) findingView(ctx context.Context, role *Role, id string, e *AuditEntry, save *fraud.Review) (FindingView, error) {
	kind, ok := findingKind(id)
	if !ok {
		return FindingView{}, resindex.ErrNotFound
	}
	rep, _, err := s.fraudReport(ctx, kind)
	if err != nil {
		return FindingView{}, err
	}
	i := slices.IndexFunc(rep.Findings, func(f fraud.Finding) bool { return f.ID == id })
	if i < 0 {
		return FindingView{}, resindex.ErrNotFound
	}
	review, err := s.keepReview(id, save)
	if err != nil {
		return FindingView{}, err
	}
	return s.findingPeople(role, e, nil).finding(&rep.Findings[i], review, true)
}

// keepReview saves a review (when there is one to save) and returns the
// finding's review as stored.
func (s *Service) keepReview(id string, save *fraud.Review) (*fraud.Review, error) {
	if save != nil {
		if err := s.opts.FraudReviews.Update(func(t resindex.Txn) error { return fraud.SaveReview(t, *save) }); err != nil {
			return nil, fmt.Errorf("access: review finding %s: %w", id, err)
		}
		return save, nil
	}
	var r fraud.Review
	var ok bool
	err := s.opts.FraudReviews.View(func(t resindex.Txn) error {
		var err error
		r, ok, err = fraud.GetReview(t, id)
		return err
	})
	if err != nil || !ok {
		return nil, err
	}
	return &r, nil
}

// fraudCall checks the principal may read findings and that the service
// has them; check, when given, names the check asked for (one that does
// not exist is not found).
func (s *Service) fraudCall(p resindex.Principal, check string) (*Role, fraud.Kind, error) {
	role, err := s.roleAble(p, FraudFindings)
	if err != nil {
		return nil, "", err
	}
	if s.opts.Fraud == nil || s.opts.FraudReviews == nil {
		return nil, "", ErrNoFindings
	}
	if check == "" {
		return role, "", nil
	}
	if _, ok := checkSignals[fraud.Kind(check)]; !ok {
		return nil, "", resindex.ErrNotFound
	}
	return role, fraud.Kind(check), nil
}

// fraudReport is the latest run of a check; a wait for the first run that
// ctx cut short is ErrChecksRunning.
func (s *Service) fraudReport(ctx context.Context, kind fraud.Kind) (fraud.Report, time.Time, error) {
	rep, at, err := s.opts.Fraud.Report(ctx, kind)
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled) && ctx.Err() != nil:
		return rep, at, ErrChecksRunning
	case errors.Is(err, context.Canceled):
		return rep, at, fmt.Errorf("access: the %s check: the server is closing: %w", kind, resindex.ErrUnavailable)
	case err != nil:
		return rep, at, fmt.Errorf("access: the %s check: %w", kind, err)
	}
	rep.Findings, err = s.withoutLeftOut(rep.Findings)
	return rep, at, err
}

// fraudReviews reads every review, by finding ID.
func (s *Service) fraudReviews() (map[string]fraud.Review, error) {
	var out map[string]fraud.Review
	err := s.opts.FraudReviews.View(func(t resindex.Txn) error {
		var err error
		out, err = fraud.Reviews(t)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("access: read the findings' reviews: %w", err)
	}
	return out, nil
}

func reviewOf(reviews map[string]fraud.Review, id string) *fraud.Review {
	if r, ok := reviews[id]; ok {
		return &r
	}
	return nil
}

// pickFindings keeps the findings a filter picks, in the run's order
// (highest score first), and counts those at its score and signal by
// review status.
func pickFindings(all []fraud.Finding, f FindingsFilter, reviews map[string]fraud.Review) ([]fraud.Finding, FindingCounts) {
	c := FindingCounts{Outcomes: map[string]int{}}
	var kept []fraud.Finding
	for i := range all {
		fd := &all[i]
		if fd.Score < f.MinScore || (f.Signal != "" && !slices.Contains(fd.SignalNames(), f.Signal)) {
			continue
		}
		r, reviewed := reviews[fd.ID]
		if reviewed {
			c.Reviewed++
			c.Outcomes[r.Outcome]++
		} else {
			c.Unreviewed++
		}
		if statusMatches(f.Status, r, reviewed) {
			kept = append(kept, *fd)
		}
	}
	return kept, c
}

// statusMatches reports whether a finding's review (reviewed: it has
// one) is of a filter's status.
func statusMatches(status string, r fraud.Review, reviewed bool) bool {
	switch status {
	case "":
		return true
	case FindingUnreviewed:
		return !reviewed
	case FindingReviewed:
		return reviewed
	}
	return reviewed && r.Outcome == status
}

// checkFindingsFilter refuses a filter naming a signal the check does not
// fire, a score outside 0 to 1 or a status findings do not have, naming
// the field; a filter without a score takes the default.
func checkFindingsFilter(kind fraud.Kind, f *FindingsFilter) error {
	if !f.HasMin {
		f.MinScore = fraud.DefaultMinScore
	}
	switch {
	case math.IsNaN(f.MinScore) || f.MinScore < 0 || f.MinScore > 1:
		return &InputError{"min_score", "want a number from 0 to 1"}
	case f.Signal != "" && !slices.Contains(checkSignals[kind], f.Signal):
		return &InputError{"signal", "want one of " + strings.Join(checkSignals[kind], ", ")}
	case f.Status != "" && !slices.Contains(FindingStatuses(), f.Status):
		return &InputError{"status", "want one of " + strings.Join(FindingStatuses(), ", ")}
	}
	return nil
}

// checkReview refuses an outcome investigators do not give, or a note
// longer than the store keeps, naming the field.
func checkReview(outcome, note string) error {
	if field, want := fraud.ReviewProblem(outcome, note); field != "" {
		return &InputError{field, want}
	}
	return nil
}

// describeFindings renders a list's check and filter for the audit log,
// keeping only values findings have (a caller's garbage is not kept).
func describeFindings(check string, f FindingsFilter) string {
	score := "default"
	if f.HasMin {
		score = strconv.FormatFloat(f.MinScore, 'f', -1, 64)
	}
	signal := filterValue(f.Signal, FindingSignals(check))
	if _, ok := checkSignals[fraud.Kind(check)]; !ok {
		check = "(unknown check)"
	}
	return fmt.Sprintf("%s findings signal=%s min_score=%s status=%s", check, signal, score, filterValue(f.Status, FindingStatuses()))
}

// findingKind is the check a finding's ID names; anything else names no
// finding and is not looked up.
var findingKind = fraud.KindOfID

func showFindingID(id string) string {
	if _, ok := findingKind(id); ok {
		return id
	}
	return "(not a finding's ID)"
}
