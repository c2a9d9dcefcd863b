package access

import (
	"slices"
	"strings"
	"time"

	"github.com/resindex/resindex"
)

// Value is one field of a view, with where it came from when the role
// may see which services hold a record (the `sources` field).
type Value[T any] struct {
	Value T                    `json:"value"`
	From  *resindex.Provenance `json:"from,omitempty"`
}

// SourceRef names one service's record of a person: the index to source
// systems.
type SourceRef struct {
	Source       string `json:"source"`
	ID           string `json:"id"`
	LastActivity string `json:"last_activity,omitempty"`
}

// PersonView is a person as one principal may see them: only the fields
// their role grants for the person's class, taken only from the records
// of the sources their role grants and inside the activity window.
type PersonView struct {
	Ref      string `json:"id"`
	Class    Class  `json:"class"`
	Shielded bool   `json:"shielded,omitempty"`
	// ShieldReason says why a shielded person is shielded when the index
	// itself shields them: ShieldRestricted.
	ShieldReason      string                   `json:"shield_reason,omitempty"`
	Name              *Value[resindex.Name]    `json:"name,omitempty"`
	OtherNames        []resindex.Name          `json:"other_names,omitempty"`
	DOB               *Value[string]           `json:"dob,omitempty"`
	Sex               *Value[string]           `json:"sex,omitempty"`
	Address           *Value[resindex.Address] `json:"address,omitempty"`
	PreviousAddresses []resindex.Address       `json:"previous_addresses,omitempty"`
	Emails            *Value[[]string]         `json:"emails,omitempty"`
	Phones            *Value[[]string]         `json:"phones,omitempty"`
	Identifiers       map[string]Value[string] `json:"identifiers,omitempty"`
	Flags             []string                 `json:"flags,omitempty"`
	Attributes        map[string]Value[string] `json:"attributes,omitempty"`
	Sources           []SourceRef              `json:"sources,omitempty"`
	// Strength and Matched are set on search results only: how strongly
	// the person matched (strong, possible, weak) and the query's fields
	// that agreed with values the role sees.
	Strength string   `json:"strength,omitempty"`
	Matched  []string `json:"matched_fields,omitempty"`
	// Property is set in household views only when the member's place in
	// the household rests on a UPRN inferred from their address text.
	Property *resindex.Property `json:"property,omitempty"`
	// PerRecord: the index keeps no golden record of the person (a child
	// without recorded consent): the fields above are the most trusted
	// record's alone, and Records shows each record (children_view.go).
	PerRecord bool               `json:"per_record,omitempty"`
	Records   []SourceRecordView `json:"records,omitempty"`
}

// Strengths of a search result, by the weight of the records the role
// sees: at the index's link weight, at its review weight, or below.
const (
	Strong   = "strong"
	Possible = "possible"
	Weak     = "weak"
)

// strength puts a visible weight in plain words, by the index's review and
// link weights.
func strength(w, review, link float64) string {
	switch {
	case w >= link:
		return Strong
	case w >= review:
		return Possible
	}
	return Weak
}

// summaryFields are the fields a search result or a household member
// shows, when the role grants them: enough to tell people apart.
var summaryFields = []string{"name", "dob", "sex", "address"}

// withProvenance, in a view's show list, gives the values' sources (to a
// role that sees sources) without the list of records: a household's
// members, each with the record that places them there.
const withProvenance = "provenance"

// memberFields are what a household shows of each member.
var memberFields = append(slices.Clone(summaryFields), withProvenance)

// IsShielded reports whether any of a person's records shields them
// (restricted, staff, VIP): only roles with see_shielded, and a reason,
// see them.
func IsShielded(p *resindex.Person) bool {
	return slices.ContainsFunc(p.Records, func(r resindex.Record) bool { return hasAny(r.Flags, shieldFlags) })
}

// childFlags mark a record as a child's whatever its date of birth says.
var childFlags = []string{resindex.FlagChildProtectionPlan, resindex.FlagLookedAfter, resindex.FlagChildInNeed}

// shieldFlags shield a person when any of their records carries one.
var shieldFlags = []string{resindex.FlagRestricted, resindex.FlagStaff, resindex.FlagVIP}

// subject is one person as the rules see them, before redaction: their
// class and shielding come from every record (so that what a role may not
// see cannot make a child look like an adult), their fields only from the
// records the role may see.
type subject struct {
	id       string
	class    Class
	shielded bool
	// restricted: the person asked for processing to be restricted
	// (RightsState), which shields them as a source's flag does.
	restricted bool
	visible    []resindex.Record // granted sources, inside the window, in trust order
	household  string
	golden     *resindex.Golden // of the visible records, made when first asked for
	// noGolden: the index keeps no golden record of the person; views
	// merge nothing across their records (children_view.go).
	noGolden bool
}

// goldenRecord is the golden record of the records the role sees: what
// every view of the subject, and its household's address, are built from.
func (sub *subject) goldenRecord(trust []string) *resindex.Golden {
	if sub.golden == nil {
		g := resindex.GoldenRecord(sub.merged(), trust, time.Time{})
		sub.golden = &g
	}
	return sub.golden
}

// classify decides a person's class and shielding from all their
// records. Anyone who might be a child is treated as one: any record's
// date of birth that says (or may say) under 18, or an electoral-register
// attainment date (the day an attainer turns 18) still to come, or a
// record of children's social care, with a child flag or marking an
// attainer that is still active (a care leaver's record from decades ago
// does not make an adult a child).
func (s *Service) classify(p *resindex.Person) (Class, bool) {
	class, shielded := Adult, false
	now, since := s.opts.Now(), s.windowStart()
	for i := range p.Records {
		r := &p.Records[i]
		if saysChild(r, now, since) {
			class = Child
		}
		if hasAny(r.Flags, shieldFlags) {
			shielded = true
		}
	}
	return class, shielded
}

// saysChild reports whether one record makes its subject a child on a day
// (since: the activity window's start), by classify's rules.
func saysChild(r *resindex.Record, now, since time.Time) bool {
	return under18(r.DOB, now) || beforeAttainment(r, now) || (childRecord(r) && resindex.Active(r, since))
}

// childRecord reports whether a record says its subject is a child,
// whatever their date of birth: children's social care's, one with a
// child flag, or the register's entry of an attainer with no attainment
// date (beforeAttainment reads one that has a date).
func childRecord(r *resindex.Record) bool {
	attainer := r.Attributes[attrAttainer] == "true" && r.Attributes[attrAttainment] == ""
	return r.Source == resindex.SourceChildrenSocial || hasAny(r.Flags, childFlags) || attainer
}

// The electoral register's attributes for an attainer, someone registered
// before they turn 18, and for the day they do (connectors'
// electoral_roll mapping).
const (
	attrAttainer   = "attainer"
	attrAttainment = "attainment_date"
)

// beforeAttainment reports whether a record's attainment date (a partial
// date counting from its latest day) is still to come: its subject is
// under 18, whatever else is known of them.
func beforeAttainment(r *resindex.Record, now time.Time) bool {
	d, err := resindex.ParsePartialDate(r.Attributes[attrAttainment])
	return err == nil && !d.IsZero() && now.Before(d.Latest())
}

// under18 reports whether someone born on a (possibly partial) date is
// under 18 on a day; a partial date counts from its latest possible day,
// so that anyone who might be a child is treated as one.
func under18(dob string, now time.Time) bool {
	d, err := resindex.ParsePartialDate(dob)
	if err != nil || d.IsZero() {
		return false
	}
	return now.Before(d.Latest().AddDate(18, 0, 0))
}

func hasAny(flags, of []string) bool {
	return slices.ContainsFunc(flags, func(f string) bool { return slices.Contains(of, f) })
}

// see applies the record-level rules to a person for a role: a child to a
// role without child fields, a shielded person to a role without the
// shielded ability, and a person with no record the role may see are
// all not found; a shielded person without a reason is refused.
func (s *Service) see(role *Role, p *resindex.Person, reason string) (*subject, error) {
	return s.seeSince(role, p, reason, s.windowStart())
}

// seeSince is see counting the records active since a time.
func (s *Service) seeSince(role *Role, p *resindex.Person, reason string, since time.Time) (*subject, error) {
	sub, err := s.subjectSince(role, p, since)
	if err == nil && sub.shielded && strings.TrimSpace(reason) == "" {
		return nil, ErrReasonRequired
	}
	return sub, err
}

// subjectOf applies the record-level rules but the reason's: a search
// asks it whether a reason would show a shielded person, to count them.
func (s *Service) subjectOf(role *Role, p *resindex.Person) (*subject, error) {
	return s.subjectSince(role, p, s.windowStart())
}

// rightsSubjectOf is subjectOf for a resident's rights: every record the
// index holds counts, however long ago the person was last active, since
// the rights are over what is held, not what staff are shown.
func (s *Service) rightsSubjectOf(role *Role, p *resindex.Person, reason string) (*subject, error) {
	return s.seeSince(role, p, reason, time.Time{})
}

// subjectSince is subjectOf counting the records active since a time.
func (s *Service) subjectSince(role *Role, p *resindex.Person, since time.Time) (*subject, error) {
	class, shielded := s.classify(p)
	restricted, err := s.restricted(p.ID)
	if err != nil {
		return nil, err
	}
	shielded = shielded || restricted
	if !role.Sees(class) || (shielded && !role.Can(SeeShielded)) {
		return nil, resindex.ErrNotFound
	}
	var visible []resindex.Record
	for i := range p.Records {
		r := &p.Records[i]
		if role.Source(r.Source) && resindex.Active(r, since) {
			visible = append(visible, *r)
		}
	}
	if len(visible) == 0 {
		return nil, resindex.ErrNotFound
	}
	return &subject{id: p.ID, class: class, shielded: shielded, restricted: restricted, visible: resindex.TrustOrder(visible, s.opts.Trust),
		household: p.Household, noGolden: p.NoGolden}, nil
}

func (s *Service) windowStart() time.Time {
	if s.opts.Window < 0 {
		return time.Time{}
	}
	return s.opts.Now().Add(-s.opts.Window)
}

// view redacts a subject for a role, showing only the fields in show
// (nil: every field) that the role grants for the subject's class.
func (s *Service) view(role *Role, sub *subject, show []string) PersonView {
	grant := func(f string) bool {
		return (show == nil || slices.Contains(show, f)) && role.Field(sub.class, f)
	}
	v := PersonView{Ref: s.refs.ref(sub.id), Class: sub.class, Shielded: sub.shielded}
	if sub.restricted {
		v.ShieldReason = ShieldRestricted
	}
	g := sub.goldenRecord(s.opts.Trust)
	from := func(p resindex.Provenance) *resindex.Provenance {
		if grant("sources") || (slices.Contains(show, withProvenance) && role.Field(sub.class, "sources")) {
			return &p
		}
		return nil
	}
	if g.Name != nil && grant("name") {
		v.Name = &Value[resindex.Name]{g.Name.Value, from(g.Name.From)}
	}
	if g.DOB != nil && grant("dob") {
		v.DOB = &Value[string]{g.DOB.Value, from(g.DOB.From)}
	}
	if g.Sex != nil && grant("sex") {
		v.Sex = &Value[string]{g.Sex.Value, from(g.Sex.From)}
	}
	if g.Address != nil && grant("address") {
		v.Address = &Value[resindex.Address]{g.Address.Value, from(g.Address.From)}
	}
	if g.Emails != nil && grant("emails") {
		v.Emails = &Value[[]string]{g.Emails.Value, from(g.Emails.From)}
	}
	if g.Phones != nil && grant("phones") {
		v.Phones = &Value[[]string]{g.Phones.Value, from(g.Phones.From)}
	}
	for kind, iv := range g.Identifiers {
		if grant("identifiers." + kind) {
			v.Identifiers = setValue(v.Identifiers, kind, Value[string]{iv.Value, from(iv.From)})
		}
	}
	if grant("other_names") {
		v.OtherNames = otherNames(sub.merged(), g.Name)
	}
	if grant("previous_addresses") {
		v.PreviousAddresses = previousAddresses(sub.merged(), g.Address)
	}
	s.viewRecordFields(&v, sub, grant, from)
	if sub.noGolden {
		v.PerRecord = true
		if show == nil && grant("sources") {
			v.Records = sourceRecordViews(sub.visible, grant)
		}
	}
	return v
}

// viewRecordFields adds what comes from the records rather than the
// golden record: flags, attributes (the most trusted record's value) and
// the index to source systems.
func (s *Service) viewRecordFields(v *PersonView, sub *subject, grant func(string) bool, from func(resindex.Provenance) *resindex.Provenance) {
	for i := range sub.visible {
		r := &sub.visible[i]
		for _, f := range r.Flags {
			if grant("flags."+f) && !slices.Contains(v.Flags, f) {
				v.Flags = append(v.Flags, f)
			}
		}
		for name, val := range r.Attributes {
			if _, done := v.Attributes[name]; !done && val != "" && grant("attributes."+name) {
				v.Attributes = setValue(v.Attributes, name, Value[string]{val, from(resindex.Provenance{Source: r.Source, Record: r.ID, Version: r.Version})})
			}
		}
		if grant("sources") {
			v.Sources = append(v.Sources, SourceRef{Source: r.Source, ID: r.ID, LastActivity: r.LastActivity})
		}
	}
	slices.Sort(v.Flags)
	slices.SortFunc(v.Sources, func(a, b SourceRef) int { return strings.Compare(a.Source+"\x00"+a.ID, b.Source+"\x00"+b.ID) })
}

func setValue(m map[string]Value[string], k string, v Value[string]) map[string]Value[string] {
	if m == nil {
		m = map[string]Value[string]{}
	}
	m[k] = v
	return m
}

// otherNames lists the names the records hold besides the golden one.
func otherNames(recs []resindex.Record, golden *resindex.GoldenValue[resindex.Name]) []resindex.Name {
	var out []resindex.Name
	add := func(n resindex.Name) {
		n.Title = ""
		if (n.Given == "" && n.Family == "") || slices.Contains(out, n) {
			return
		}
		if golden != nil && strings.EqualFold(n.Given, golden.Value.Given) && strings.EqualFold(n.Family, golden.Value.Family) {
			return
		}
		out = append(out, n)
	}
	for i := range recs {
		add(recs[i].Name)
		for _, n := range recs[i].OtherNames {
			add(n)
		}
	}
	return out
}

// previousAddresses lists the addresses the records hold besides the
// current one, once each.
func previousAddresses(recs []resindex.Record, current *resindex.GoldenValue[resindex.Address]) []resindex.Address {
	same := func(a, b resindex.Address) bool {
		return strings.EqualFold(strings.Join(a.Lines, ","), strings.Join(b.Lines, ",")) && strings.EqualFold(a.Postcode, b.Postcode)
	}
	var out []resindex.Address
	for i := range recs {
		for _, a := range recs[i].Addresses {
			if current != nil && same(a, current.Value) {
				continue
			}
			if !slices.ContainsFunc(out, func(o resindex.Address) bool { return same(o, a) }) {
				a.Current = false
				out = append(out, a)
			}
		}
	}
	return out
}
