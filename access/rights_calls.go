package access

import (
	"errors"
	"time"

	"github.com/resindex/resindex"
)

// ErrNoRights answers the rights calls of a service built without a store
// for restrictions and objections (Options.Rights).
var ErrNoRights = resindex.NewError(resindex.ErrUnavailable, "restriction and objection are not set up: the access service has no store for them")

// RightsView is a person's restriction and objection as the API shows
// them: by reference, each mark with who recorded it, when and why.
type RightsView struct {
	Ref         string `json:"id"`
	Restricted  bool   `json:"restricted"`
	Objecting   bool   `json:"objecting"`
	Restriction *Mark  `json:"restriction,omitempty"`
	Objection   *Mark  `json:"objection,omitempty"`
}

// Restrict restricts the processing of a person's data: they stay stored
// but are left out of search and views for roles without see_shielded,
// of safeguarding alerts, of fraud checks and of analytics exports,
// until released. It needs the rights ability and a reason.
func (s *Service) Restrict(p resindex.Principal, ref, reason string) (RightsView, error) {
	return s.exercise(p, "restrict", ref, RightRestriction, reason, true)
}

// Release ends a person's restriction.
func (s *Service) Release(p resindex.Principal, ref, reason string) (RightsView, error) {
	return s.exercise(p, "release", ref, RightRestriction, reason, false)
}

// Object records a person's objection to profiling: they are left out of
// fraud checks and analytics exports until it is withdrawn.
func (s *Service) Object(p resindex.Principal, ref, reason string) (RightsView, error) {
	return s.exercise(p, "object", ref, RightObjection, reason, true)
}

// WithdrawObjection ends a person's objection to profiling.
func (s *Service) WithdrawObjection(p resindex.Principal, ref, reason string) (RightsView, error) {
	return s.exercise(p, "withdraw_objection", ref, RightObjection, reason, false)
}

// Rights reads a person's restriction and objection. Like the calls that
// change them it needs the rights ability, and shows a shielded (or
// restricted) person without a further reason: the request is the
// reason, and the look is recorded.
func (s *Service) Rights(p resindex.Principal, ref string) (RightsView, error) {
	var out RightsView
	err := s.audited(p, "rights", "person "+s.refs.show(ref), "", func(e *AuditEntry) error {
		sub, err := s.rightsSubject(p, ref, e)
		if err != nil {
			return err
		}
		return s.opts.Rights.View(func(t resindex.Txn) error {
			st, err := PersonRights(t, sub.id)
			out = s.rightsView(sub.id, st)
			return err
		})
	})
	return out, err
}

// exercise puts a right in force (on) or ends it, audited as action with
// the reason.
func (s *Service) exercise(p resindex.Principal, action, ref, right, reason string, on bool) (RightsView, error) {
	var out RightsView
	err := s.audited(p, action, "person "+s.refs.show(ref), reason, func(e *AuditEntry) error {
		sub, err := s.rightsSubject(p, ref, e)
		if err != nil {
			return err
		}
		if err := CheckRightsReason(reason); err != nil {
			return err
		}
		var m *Mark
		if on {
			m = &Mark{At: e.At, By: p.User, Role: p.Role, Reason: reason}
		}
		return s.opts.Rights.Update(func(t resindex.Txn) error {
			st, err := SetRight(t, sub.id, right, m)
			out = s.rightsView(sub.id, st)
			return err
		})
	})
	return out, err
}

// rightsSubject resolves the person a rights call is about, for a role
// with the rights ability, recording them in the audit entry; one the
// role may not see is not found.
func (s *Service) rightsSubject(p resindex.Principal, ref string, e *AuditEntry) (*subject, error) {
	role, err := s.roleAble(p, Rights)
	if err != nil {
		return nil, err
	}
	if s.opts.Rights == nil {
		return nil, ErrNoRights
	}
	pid, ok := s.personID(role, ref)
	if !ok {
		return nil, resindex.ErrNotFound
	}
	e.Persons = []string{pid}
	per, err := s.index.Person(pid)
	if errors.Is(err, resindex.ErrNotFound) {
		return nil, resindex.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	sub, err := s.subjectSince(role, &per, time.Time{}) // every record held: rights are over what is held
	if sub != nil {
		e.Persons = appendOnce(e.Persons, sub.id) // a merged-away ID's survivor, too
	}
	return sub, err
}

func (s *Service) rightsView(pid string, st RightsState) RightsView {
	return RightsView{Ref: s.refs.ref(pid), Restricted: st.Restriction != nil, Objecting: st.Objection != nil,
		Restriction: st.Restriction, Objection: st.Objection}
}

// ShieldRestricted is the shield's reason a view of a restricted person
// gives, to a role that may see them.
const ShieldRestricted = "the person is restricted"

// restricted reports whether a person (by current ID) is restricted.
// Without a store for rights nobody is.
func (s *Service) restricted(pid string) (bool, error) {
	if s.opts.Rights == nil {
		return false, nil
	}
	var on bool
	err := s.opts.Rights.View(func(t resindex.Txn) (err error) {
		on, err = RestrictedIn(t, pid)
		return err
	})
	return on, err
}
