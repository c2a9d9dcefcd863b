package access

import (
	"errors"
	"slices"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/alerts"
)

// Looking up a child on a plan is itself news (issue 14, as the NHS child
// protection information sharing service does): when a role outside
// children's services finds or opens a child on a child protection plan
// or looked after, the child's social workers get a notification in the
// alert inbox saying who looked, in which role, when, through which
// surface and call. It names the child and nothing the looker saw.

// planFlags are the flags whose children are watched.
var planFlags = []string{resindex.FlagChildProtectionPlan, resindex.FlagLookedAfter}

// notifyLookups raises a notification for each child on a plan that a
// successful call returned to a role without the alerts ability. One a
// day per looker and child: a social worker needs to know that someone
// looked, not every page they opened.
func (s *Service) notifyLookups(p resindex.Principal, e *AuditEntry) error {
	if s.opts.Alerts == nil || s.opts.ReadReplica || e.Outcome != "ok" || len(e.Persons) == 0 {
		return nil
	}
	role, err := s.role(p)
	if err != nil || role.Can(Alerts) || !role.Sees(Child) {
		return nil
	}
	for _, id := range e.Persons {
		if err := s.notifyLookup(p, e, id); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) notifyLookup(p resindex.Principal, e *AuditEntry, id string) error {
	m, err := s.index.Person(id)
	if errors.Is(err, resindex.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	class, _ := s.classify(&m)
	flags := childPlanFlags(&m)
	if class != Child || len(flags) == 0 {
		return nil
	}
	// A restricted child raises no alert of any kind (issue 16): the
	// restriction says their data is stored, not processed.
	if restricted, err := s.restricted(m.ID); err != nil || restricted {
		return err
	}
	a := resindex.Alert{Kind: resindex.AlertChildLookedUp, Severity: resindex.SeverityMedium,
		Children: []resindex.AlertPerson{{Person: m.ID, Records: cscRecords(&m), Flags: flags}},
		LookedUp: &resindex.Lookup{By: p.User, Role: p.Role, At: e.At, Surface: surface(p), Action: e.Action}}
	if slices.Contains(flags, resindex.FlagChildProtectionPlan) {
		a.Severity = resindex.SeverityHigh
	}
	raised := false
	err = s.opts.Alerts.Update(func(t resindex.Txn) error {
		var err error
		raised, err = alerts.RaiseLookup(t, &a, e.At, s.opts.AlertEndpoints) // afresh if tried again
		return err
	})
	if err == nil && raised && s.opts.AlertRaised != nil {
		s.opts.AlertRaised(a.Kind) // committed: counted once
	}
	return err
}

// childPlanFlags are the plan flags any of a person's records give.
func childPlanFlags(m *resindex.Person) []string {
	var out []string
	for _, f := range planFlags {
		for i := range m.Records {
			if slices.Contains(m.Records[i].Flags, f) {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// cscRecords are the child's children's social care records: what their
// social workers know them by.
func cscRecords(m *resindex.Person) []resindex.RecordKey {
	var out []resindex.RecordKey
	for i := range m.Records {
		if m.Records[i].Source == resindex.SourceChildrenSocial {
			out = append(out, m.Records[i].Key())
		}
	}
	return out
}

// surface is where a call came from: the principal's, else by how they
// signed in.
func surface(p resindex.Principal) string {
	switch {
	case p.Surface != "":
		return p.Surface
	case p.Via == "token":
		return "api"
	case p.Via == "cli":
		return "cli"
	}
	return "ui"
}
