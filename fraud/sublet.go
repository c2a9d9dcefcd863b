package fraud

import (
	"fmt"
	"slices"

	"github.com/resindex/resindex"
)

// Weights of the subletting signals (see docs/fraud.md): each is read as
// the chance that the signal alone means the home is not the tenant's.
const (
	wTenantElsewhere  = 0.5
	wOthersAtProperty = 0.5
	wTenantHoldsOther = 0.35
	wNoTenantActivity = 0.3
	wOthersLiable     = 0.6
	wTenantDormant    = 0.5
)

// tenancy is one live tenancy as the subletting check weighs it.
type tenancy struct {
	x       *index
	account int32 // the lead tenant's housing record
	tenant  int32
	place   string
	ref     string
	start   day
	members map[int32]bool // persons on the tenancy
}

// sublets runs the subletting check over every live tenancy.
func (x *index) sublets() ([]Finding, int) {
	var out []Finding
	n := 0
	for ri := range x.recs {
		r := &x.recs[ri]
		if r.key.Source != resindex.SourceHousing || r.attrs["tenancy_role"] != "lead_tenant" || r.place == "" {
			continue
		}
		t := x.tenancy(int32(ri))
		if t.superseded() || x.anyRestricted(t.members) {
			continue
		}
		n++
		if f, ok := t.weigh(); ok {
			out = append(out, f)
		}
	}
	return out, n
}

func (x *index) tenancy(ri int32) *tenancy {
	r := &x.recs[ri]
	t := &tenancy{x: x, account: ri, tenant: r.person, place: r.place, ref: r.attrs["tenancy_ref"], start: r.moved,
		members: map[int32]bool{r.person: true}}
	if d := dayOf(r.attrs["tenancy_start"]); d != 0 {
		t.start = d
	}
	for _, oi := range x.byPlace[r.place] {
		o := &x.recs[oi]
		if o.key.Source == resindex.SourceHousing && o.attrs["tenancy_ref"] == t.ref || x.samePerson(r.person, o.person) {
			t.members[o.person] = true
		}
	}
	return t
}

// superseded reports whether a later tenancy of the property is live: the
// landlord re-let it, and this tenancy's record is one it forgot to end.
func (t *tenancy) superseded() bool {
	x := t.x
	for _, ri := range x.byPlace[t.place] {
		r := &x.recs[ri]
		if r.key.Source == resindex.SourceHousing && r.attrs["tenancy_ref"] != t.ref && r.moved > t.start {
			if d := dayOf(r.attrs["tenancy_start"]); d == 0 || d > t.start {
				return true
			}
		}
	}
	return false
}

// weigh fires the signals of one tenancy. A tenancy where another member
// of it still lives is no sublet: the household is there (a tenant who
// left their family behind is a matter for the tenancy, not fraud).
func (t *tenancy) weigh() (Finding, bool) {
	x := t.x
	var sigs []Signal
	since := day(0)
	if liable := t.othersLiable(); len(liable.who) > 0 {
		sigs = append(sigs, Signal{Name: SigOthersLiable, Weight: wOthersLiable,
			Says:     fmt.Sprintf("council tax for the property is paid on an account opened on %s by %d adult(s) not on the tenancy", liable.first, len(liable.who)),
			Evidence: liable.ev})
		since = liable.first
	} else if t.memberStillThere() {
		return Finding{}, false
	}
	if !t.tenantFresh(func(*rec) bool { return true }) {
		sigs = append(sigs, Signal{Name: SigTenantDormant, Weight: wTenantDormant,
			Says: "no record of the tenant, the tenancy's own included, has been active for over a year"})
	}
	notHousing := func(r *rec) bool { return r.key.Source != resindex.SourceHousing }
	if lt := x.latest(t.tenant, notHousing); lt >= 0 && t.elsewhere(&x.recs[lt]) {
		sigs = append(sigs, Signal{Name: SigTenantElsewhere, Weight: wTenantElsewhere,
			Says:     fmt.Sprintf("the tenant's most recent address, from %s, is at another property", x.recs[lt].moved),
			Evidence: []Evidence{x.evidenceOf(lt)}})
		since = earliest(since, x.recs[lt].moved)
	}
	if ev := t.holdsOther(); len(ev) > 0 {
		sigs = append(sigs, Signal{Name: SigTenantHoldsOther, Weight: wTenantHoldsOther,
			Says: "the tenant holds a tenancy, a council tax liability or an electoral registration at another property", Evidence: ev})
	}
	here := func(r *rec) bool { return r.place == t.place }
	present := t.tenantFresh(func(r *rec) bool { return here(r) && r.key.Source != resindex.SourceHousing })
	others := t.others()
	if len(others.who) > 0 && !present {
		sigs = append(sigs, Signal{Name: SigOthersAtProperty, Weight: wOthersAtProperty,
			Says:     fmt.Sprintf("%d adult(s) not on the tenancy are recorded at the property, and the tenant is not", len(others.who)),
			Evidence: others.ev})
		since = earliest(since, others.first)
	}
	if len(others.who) > 0 && !present && !t.tenantFresh(here) {
		sigs = append(sigs, Signal{Name: SigNoTenantActivity, Weight: wNoTenantActivity,
			Says: "no record of the tenant at the property has been active for a year, while others there have"})
	}
	if len(sigs) == 0 {
		return Finding{}, false
	}
	f := x.finding(Subletting, t.account, sigs, others.who)
	f.Since = since.String()
	return f, true
}

// memberStillThere reports whether someone on the tenancy other than the
// lead tenant is an adult whose newest residence evidence is fresh and
// at the property.
func (t *tenancy) memberStillThere() bool {
	x := t.x
	for m := range t.members {
		if m == t.tenant || !x.countable(m) {
			continue
		}
		if lt := x.livesAt(m, t.place); lt >= 0 && x.fresh(&x.recs[lt]) {
			return true
		}
	}
	return false
}

// othersLiable are the adults not on the tenancy liable for council tax
// at the property on an account none of the tenancy's people is on,
// opened after the tenancy began and after every account of theirs
// there: the newest account at a property is its occupier's. With their
// records there, and the day the account opened.
func (t *tenancy) othersLiable() gathered {
	x := t.x
	ours := map[string]bool{}
	newestOurs := day(0)
	for _, ri := range x.byPlace[t.place] {
		if r := &x.recs[ri]; r.key.Source == resindex.SourceCouncilTax && t.members[r.person] {
			ours[r.attrs["account_ref"]] = true
			newestOurs = max(newestOurs, r.moved)
		}
	}
	var g gathered
	for _, ri := range x.byPlace[t.place] {
		r := &x.recs[ri]
		if r.key.Source != resindex.SourceCouncilTax || t.members[r.person] || ours[r.attrs["account_ref"]] ||
			r.moved < t.start || r.moved <= newestOurs || !x.countable(r.person) {
			continue
		}
		g.add(x, ri)
	}
	return g
}

// gathered are the other adults a signal names, their records behind it
// and the first day one of those says they moved in.
type gathered struct {
	who   []int32
	ev    []Evidence
	first day
}

func (g *gathered) add(x *index, ri int32) {
	r := &x.recs[ri]
	if !slices.Contains(g.who, r.person) {
		g.who = append(g.who, r.person)
	}
	g.ev = append(g.ev, x.evidenceOf(ri))
	g.first = earliest(g.first, r.moved)
}

// tenantFresh reports whether any record of the tenant that keep picks
// was active within a year of its source's newest day.
func (t *tenancy) tenantFresh(keep func(*rec) bool) bool {
	x := t.x
	for _, ri := range x.persons[t.tenant].recs {
		if r := &x.recs[ri]; keep(r) && x.fresh(r) {
			return true
		}
	}
	return false
}

// earliest is the earlier of two days, 0 being none.
func earliest(a, b day) day {
	if a == 0 || b != 0 && b < a {
		return b
	}
	return a
}

// settle is how long after a move in the records of the home left behind
// may still be dated: sources learn of a move over weeks.
const settle = 30

// elsewhere reports whether a record places the tenant at another
// property (one the gazetteer knows) from a day well after the tenancy
// began.
func (t *tenancy) elsewhere(r *rec) bool {
	return r.uprn != "" && r.place != t.place && r.moved > t.start+settle
}

// holdsOther is the tenant's evidence of a home elsewhere since the
// tenancy began: another tenancy, a council tax liability, a registration.
func (t *tenancy) holdsOther() []Evidence {
	x := t.x
	var out []Evidence
	for _, ri := range x.persons[t.tenant].recs {
		r := &x.recs[ri]
		if !t.elsewhere(r) {
			continue
		}
		switch r.key.Source {
		case resindex.SourceHousing, resindex.SourceCouncilTax, resindex.SourceElectoralRoll:
			out = append(out, x.evidenceOf(ri))
		}
	}
	return out
}

// others are the adults not on the tenancy whose newest residence
// evidence is fresh, at the property and dated since the tenancy began,
// with their records there and the first day one of them moved in.
func (t *tenancy) others() gathered {
	x := t.x
	var g gathered
	for _, ri := range x.byPlace[t.place] {
		p := x.recs[ri].person
		if t.members[p] || slices.Contains(g.who, p) || !x.countable(p) {
			continue
		}
		lt := x.livesAt(p, t.place)
		if lt < 0 || x.recs[lt].moved < t.start || !x.fresh(&x.recs[lt]) {
			continue
		}
		for _, oi := range x.persons[p].recs {
			if o := &x.recs[oi]; o.place == t.place && o.moved >= t.start {
				g.add(x, oi)
			}
		}
	}
	return g
}
