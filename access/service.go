package access

import (
	"errors"
	"fmt"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/alerts"
)

// The errors of this package are of the root's kinds (resindex.KindOf):
// no such person, or one the principal may not see, is
// resindex.ErrNotFound (the two are never told apart); a role that lacks
// the ability or field a call needs, resindex.ErrForbidden; a request
// that cannot be served as asked, an InputError (resindex.ErrInvalid).
var (
	// ErrReasonRequired (forbidden): the person is shielded and the role
	// may see them only with a reason, which is recorded.
	ErrReasonRequired = resindex.NewError(resindex.ErrForbidden, "a reason is required to see this person")
)

// ForbiddenError is a call refused because the role lacks an ability or
// a field the call needs; Need names what is missing ("the
// review_matches ability", "the links field"), so that the caller can ask
// for the right role. It names policy terms only, never resident data. It
// is of kind resindex.ErrForbidden.
type ForbiddenError struct {
	Need string
}

func (e *ForbiddenError) Error() string { return "your role does not allow this: it needs " + e.Need }

// Is makes a ForbiddenError of kind resindex.ErrForbidden.
func (e *ForbiddenError) Is(target error) bool { return target == resindex.ErrForbidden }

func needAbility(a Ability) error { return &ForbiddenError{"the " + string(a) + " ability"} }

func needField(f string) error { return &ForbiddenError{"the " + f + " field"} }

// InputError is a request that cannot be served as asked; it names the
// field, never quotes the value. It is of kind resindex.ErrInvalid.
type InputError struct {
	Field, Msg string
}

func (e *InputError) Error() string { return e.Field + ": " + e.Msg }

// Is makes an InputError of kind resindex.ErrInvalid.
func (e *InputError) Is(target error) bool { return target == resindex.ErrInvalid }

// Index is what access reads resident data through (the resolver's
// engine implements it).
type Index interface {
	Search(q resindex.Query, limit int) ([]resindex.Hit, error)
	Person(id string) (resindex.Person, error)
	PersonOf(k resindex.RecordKey) (string, bool)
	Household(key string) ([]string, error)
	// Property is the property an address places a household at (its
	// UPRN, inferred when the address carries none).
	Property(a resindex.Address) (resindex.Property, error)
	// Links explains how the records among (a person's, or some of them)
	// are joined.
	Links(id string, among []resindex.RecordKey) ([]resindex.Link, error)
	Candidates(after string, n int) ([]resindex.Candidate, string, error)
	Thresholds() (review, link float64)
}

// Overrider records a data steward's decision about two records.
type Overrider interface {
	Override(a, b resindex.RecordKey, kind, reason string) error
}

// Options tune the service; zero values take the defaults.
type Options struct {
	// Window is how long a record stays visible after its last activity
	// (default two years; negative: no window).
	Window time.Duration
	Trust  []string         // golden-record source order (default resindex.DefaultTrust)
	Now    func() time.Time // default time.Now
	// Key makes person references (KeySize bytes, kept in the store so
	// that references outlive a restart).
	Key []byte
	// Alerts is the store of the safeguarding alert inbox (the index's
	// store); without it the alert calls answer ErrNoInbox.
	Alerts alerts.Store
	// AlertEndpoints are the webhook endpoints lookup notifications are
	// queued for, as the rule's alerts are.
	AlertEndpoints []string
	// AlertRaised, if set, is told the kind of each notification raised
	// once it is stored (a server counts them on its metrics).
	AlertRaised func(kind string)
	// Fraud is the latest run of the fraud checks, and FraudReviews the
	// store investigators' reviews of findings are kept in (the index's
	// store); without both the fraud calls answer ErrNoFindings.
	Fraud        Findings
	FraudReviews ReviewStore
	// Rights is the store restrictions and objections are kept in (the
	// index's store); without it nobody is restricted and the rights
	// calls answer ErrNoRights.
	Rights TxnStore
	// Changes is the change feed a subject access report reads household
	// history from (the index's store); without it the report has none.
	Changes ChangeFeed
	// Notices is the store rectification notices are kept in (the
	// index's store); without it the rectification calls answer
	// ErrNoNotices.
	Notices NoticeStore
	// Eraser erases persons (erase.go); without it erasure answers ErrNoEraser.
	Eraser Eraser
	// ReadReplica: the service of a read replica, whose store the
	// writer's copy overwrites, so it raises no lookup notifications
	// (the alert inbox is the writer's; a replica's own alert would clash
	// with the writer's numbering). Its audit log is its own.
	ReadReplica bool
}

// DefaultWindow is the activity window DESIGN §4 names.
const DefaultWindow = 2 * 365 * 24 * time.Hour

// Service produces every view of resident data, for a principal, and
// records each in the audit log: the one chokepoint for reads.
type Service struct {
	policy   *Policy
	index    Index
	override Overrider
	log      AuditLog
	opts     Options
	refs     refs
	queues   queueCache // each reviewing role's sorted queue, for a short while
	chain    chainCheck // the last check of the audit log's chain
}

// New returns the service over an index and an audit log.
func New(p *Policy, idx Index, ov Overrider, log AuditLog, opts Options) (*Service, error) {
	if opts.Window == 0 {
		opts.Window = DefaultWindow
	}
	if len(opts.Trust) == 0 {
		opts.Trust = resindex.DefaultTrust
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	r, err := newRefs(opts.Key)
	if err != nil {
		return nil, err
	}
	return &Service{policy: p, index: idx, override: ov, log: log, opts: opts, refs: r}, nil
}

// Policy returns the policy the service applies.
func (s *Service) Policy() *Policy { return s.policy }

// Ref returns the reference the API shows for a person ID.
func (s *Service) Ref(pid string) string { return s.refs.ref(pid) }

// role resolves a principal's role; an unknown role may do nothing.
func (s *Service) role(p resindex.Principal) (*Role, error) {
	r, ok := s.policy.Role(p.Role)
	if !ok {
		return nil, fmt.Errorf("role %q is not in the policy: %w", p.Role, resindex.ErrForbidden)
	}
	return r, nil
}

// roleAble resolves a principal's role for a call that needs an ability.
func (s *Service) roleAble(p resindex.Principal, a Ability) (*Role, error) {
	role, err := s.role(p)
	if err == nil && !role.Can(a) {
		err = needAbility(a)
	}
	return role, err
}

// personID reads how a caller names a person: a reference, or for a role
// with resolve_ids the index's own ID too. For any other role an ID is
// not found, like anything else that is not a reference, so that it
// tells nobody whether the person exists.
func (s *Service) personID(role *Role, ref string) (string, bool) {
	if pid, ok := s.refs.id(ref); ok {
		return pid, true
	}
	return ref, isPersonID(ref) && role.Can(ResolveIDs)
}

// person reads a person by reference (or ID, see personID) and applies
// the record-level rules.
func (s *Service) person(role *Role, ref, reason string) (*subject, error) {
	pid, ok := s.personID(role, ref)
	if !ok {
		return nil, resindex.ErrNotFound
	}
	p, err := s.index.Person(pid)
	if errors.Is(err, resindex.ErrNotFound) {
		return nil, resindex.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return s.see(role, &p, reason)
}

// audited runs a call and appends its audit entry before any result goes
// back: a look that cannot be recorded does not happen.
func (s *Service) audited(p resindex.Principal, action, query, reason string, call func(e *AuditEntry) error) error {
	e := AuditEntry{At: s.opts.Now().UTC(), User: p.User, Role: p.Role, Action: action, Query: query, Reason: reason}
	err := call(&e)
	e.Outcome = Outcome(err)
	if nerr := s.notifyLookups(p, &e); nerr != nil {
		// The child's social workers could not be told: the look does
		// not happen either.
		err = fmt.Errorf("access: notify a child's social workers of a look: %w", nerr)
		e.Outcome = Outcome(err)
	}
	if aerr := Record(s.log, e); aerr != nil {
		return aerr
	}
	return err
}

// Outcome is an action's outcome in the audit log, by the error's kind:
// ok, not_found, denied, bad_request, or error for any other.
func Outcome(err error) string {
	switch resindex.KindOf(err) {
	case "":
		return "ok"
	case resindex.KindNotFound:
		return "not_found"
	case resindex.KindForbidden:
		return "denied"
	case resindex.KindInvalid:
		return "bad_request"
	}
	return "error"
}

// Log records what happens outside a view: a request turned away before
// it reached one (action request; outcome unauthenticated, denied or
// bad_request), or a browser's sign-in (action signin; ok,
// unauthenticated or denied).
// p is as much of the principal as is known.
func (s *Service) Log(p resindex.Principal, action, query, outcome string) error {
	return Record(s.log, AuditEntry{At: s.opts.Now().UTC(), User: p.User, Role: p.Role, Action: action, Query: query, Outcome: outcome})
}

// Me returns the principal's role, for a caller asking what it may see
// and do; the question is recorded like any other call.
func (s *Service) Me(p resindex.Principal) (*Role, error) {
	var role *Role
	err := s.audited(p, "me", "", "", func(*AuditEntry) error {
		var err error
		role, err = s.role(p)
		return err
	})
	return role, err
}
