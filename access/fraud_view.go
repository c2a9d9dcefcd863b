package access

import (
	"errors"
	"slices"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/fraud"
)

// What a role sees of a finding. The fraud_findings ability is the grant
// to see findings, not to see more of the persons they name than the
// role's policy gives: each person is shown as the role sees adults,
// from the records of the sources it is granted that the checks weigh
// (never a social-care record: health and care are not fraud evidence),
// and never with flags. A person the rules treat as a child is left out
// altogether, with the records behind them; a shielded person (staff,
// VIP) is shown only as shielded, by reference, whatever the role, since
// a list takes no reason (their own page asks for one, to roles that may
// see them). Evidence names its record only for a source the role sees.

// FindingView is a finding as a role may see it.
type FindingView struct {
	ID    string  `json:"finding_id"`
	Check string  `json:"check"`
	Score float64 `json:"score"`
	UPRN  string  `json:"uprn,omitempty"`
	Since string  `json:"since,omitempty"`
	// Account is the tenancy's or the council tax account's record, and
	// Reference its tenancy or account reference: both only when the
	// subject is shown by name, and each only as the role's policy
	// grants the source and the attribute.
	Account   FindingRecord `json:"account"`
	Reference string        `json:"reference,omitempty"`
	// Subject is the tenant, or the liable party; Others the adults
	// whose evidence places them at the property, and anyone else the
	// evidence is of.
	Subject *PersonView   `json:"subject,omitempty"`
	Others  []PersonView  `json:"others"`
	Signals []SignalView  `json:"signals"`
	Review  *fraud.Review `json:"review,omitempty"`
}

// FindingRecord is a source record a finding rests on: its source, and
// its ID only for a source the role sees.
type FindingRecord struct {
	Source string `json:"source"`
	ID     string `json:"id,omitempty"`
}

// SignalView is one reason a finding was raised, with (on a finding's
// own view) the records behind it.
type SignalView struct {
	Name     string         `json:"name"`
	Weight   float64        `json:"weight"`
	Says     string         `json:"says"`
	Evidence []EvidenceView `json:"evidence,omitempty"`
}

// EvidenceView is one record behind a signal: its source (and ID, for a
// source the role sees), whose it is (by reference), the property it
// places them at and its dates.
type EvidenceView struct {
	FindingRecord
	Person     string `json:"person"`
	UPRN       string `json:"uprn,omitempty"`
	MovedIn    string `json:"moved_in,omitempty"`
	LastActive string `json:"last_active,omitempty"`
}

// shownPerson is a person of a finding as a role sees them: view nil when
// left out (a child, or no longer in the index); named when shown with
// their fields rather than only by reference.
type shownPerson struct {
	view  *PersonView
	named bool
}

// findingPeople shows the persons of one call's findings to a role, each
// read once, recording in the audit entry every person shown.
type findingPeople struct {
	s    *Service
	role *Role
	e    *AuditEntry
	show []string // the fields shown; nil: every field granted
	seen map[string]*shownPerson
}

func (s *Service) findingPeople(role *Role, e *AuditEntry, show []string) *findingPeople {
	return &findingPeople{s: s, role: role, e: e, show: show, seen: map[string]*shownPerson{}}
}

// finding shows a finding, with the evidence of its signals when asked.
func (fp *findingPeople) finding(f *fraud.Finding, review *fraud.Review, evidence bool) (FindingView, error) {
	v := FindingView{ID: f.ID, Check: string(f.Kind), Score: f.Score, UPRN: uprnOnly(f.UPRN), Since: f.Since,
		Account: FindingRecord{Source: f.Account.Source}, Others: []PersonView{}, Signals: []SignalView{}, Review: review}
	sub, err := fp.person(f.Subject)
	if err != nil {
		return v, err
	}
	v.Subject = sub.view
	if sub.named {
		v.Account.ID = fp.recordID(f.Account)
		if attr := referenceAttribute[f.Kind]; fp.role.Source(f.Account.Source) && fp.role.Field(Adult, "attributes."+attr) {
			v.Reference = f.Reference
		}
	}
	for _, id := range otherPersons(f) {
		o, err := fp.person(id)
		if err != nil {
			return v, err
		}
		if o.view != nil {
			v.Others = append(v.Others, *o.view)
		}
	}
	for i := range f.Signals {
		sv, err := fp.signal(f, &f.Signals[i], evidence)
		if err != nil {
			return v, err
		}
		v.Signals = append(v.Signals, sv)
	}
	return v, nil
}

// otherPersons are the persons a finding names besides its subject: the
// adults it places at the property, then anyone else its evidence is of
// (an adult liable for the property's council tax, say), each once.
func otherPersons(f *fraud.Finding) []string {
	ids := slices.Clone(f.Others)
	for _, sig := range f.Signals {
		for _, ev := range sig.Evidence {
			if ev.Person != f.Subject && !slices.Contains(ids, ev.Person) {
				ids = append(ids, ev.Person)
			}
		}
	}
	return ids
}

// referenceAttribute is the attribute a check's account reference is.
var referenceAttribute = map[fraud.Kind]string{fraud.Subletting: "tenancy_ref", fraud.SPD: "account_ref"}

func (fp *findingPeople) signal(f *fraud.Finding, sig *fraud.Signal, evidence bool) (SignalView, error) {
	sv := SignalView{Name: sig.Name, Weight: sig.Weight, Says: sig.Says}
	if !evidence {
		return sv, nil
	}
	for _, ev := range sig.Evidence {
		p, err := fp.person(ev.Person)
		if err != nil {
			return sv, err
		}
		if p.view == nil {
			continue // a child's record, or a gone person's
		}
		row := EvidenceView{FindingRecord: FindingRecord{Source: ev.Record.Source}, Person: p.view.Ref, UPRN: uprnOnly(ev.UPRN),
			MovedIn: ev.Moved, LastActive: ev.Active}
		if p.view.Shielded {
			if row.UPRN != uprnOnly(f.UPRN) {
				row.UPRN = "" // where a shielded person lives elsewhere is theirs
			}
		} else {
			row.ID = fp.recordID(ev.Record)
		}
		sv.Evidence = append(sv.Evidence, row)
	}
	return sv, nil
}

// recordID is a record's ID for a role that sees its source, else "".
func (fp *findingPeople) recordID(k resindex.RecordKey) string {
	if fp.role.Source(k.Source) {
		return k.ID
	}
	return ""
}

// person shows one person of a finding, read once per call.
func (fp *findingPeople) person(id string) (*shownPerson, error) {
	if sp, ok := fp.seen[id]; ok {
		return sp, nil
	}
	sp := &shownPerson{}
	fp.seen[id] = sp
	m, err := fp.s.index.Person(id)
	if errors.Is(err, resindex.ErrNotFound) {
		return sp, nil
	}
	if err != nil {
		return nil, err
	}
	class, shielded := fp.s.classify(&m)
	if class == Child {
		return sp, nil
	}
	view := PersonView{Ref: fp.s.refs.ref(m.ID), Class: Adult, Shielded: shielded}
	if !shielded {
		if sub := fp.evidenceSubject(&m); sub != nil {
			view, sp.named = fp.s.view(fp.role, sub, fp.show), true
			view.Flags = nil // caution and disability flags are not fraud evidence
			delete(view.Identifiers, "nhs")
		}
	}
	sp.view = &view
	fp.e.Persons = appendOnce(fp.e.Persons, m.ID)
	return sp, nil
}

// evidenceSubject is an adult as the role sees them from the records the
// checks weigh, or nil when it sees none of those.
func (fp *findingPeople) evidenceSubject(m *resindex.Person) *subject {
	sub, err := fp.s.subjectOf(fp.role, m)
	if err != nil {
		return nil
	}
	sub.visible = slices.DeleteFunc(sub.visible, func(r resindex.Record) bool { return !slices.Contains(fraud.EvidenceSources, r.Source) })
	if len(sub.visible) == 0 {
		return nil
	}
	return sub
}
