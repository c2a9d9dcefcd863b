package fraud

import (
	"slices"

	"github.com/resindex/resindex"
)

// Weights of the single person discount signals, by the source that
// places another adult at the property: the electoral register (as the
// National Fraud Initiative matches), a tenancy, a benefit claim, and any
// other record (the contact centre's: where a caller said they live).
// Evidence not active within a year counts half.
var spdWeights = map[string]struct {
	name   string
	weight float64
}{
	resindex.SourceElectoralRoll:  {SigElectoralRegister, 0.6},
	resindex.SourceHousing:        {SigTenancyMember, 0.6},
	resindex.SourceHousingBenefit: {SigBenefitClaim, 0.6},
	resindex.SourceCouncilTax:     {SigOtherSource, 0.5},
	resindex.SourceLibraries:      {SigOtherSource, 0.5},
	resindex.SourceParking:        {SigOtherSource, 0.5},
	resindex.SourceSchools:        {SigOtherSource, 0.5},
	resindex.SourceContactCentre:  {SigOtherSource, 0.5},
}

// account is one council tax account with the discount.
type account struct {
	x      *index
	record int32 // the first liable party's record
	place  string
	start  day
	liable map[int32]bool
}

// discounts runs the single person discount check over every account
// that has the discount.
func (x *index) discounts() ([]Finding, int) {
	seen := map[string]bool{}
	var out []Finding
	n := 0
	for ri := range x.recs {
		r := &x.recs[ri]
		if r.key.Source != resindex.SourceCouncilTax || !truthy(r.attrs["single_person_discount"]) || r.place == "" {
			continue
		}
		ref := r.attrs["account_ref"]
		if ref == "" {
			ref = r.key.ID
		}
		if seen[r.place+"\x00"+ref] {
			continue
		}
		seen[r.place+"\x00"+ref] = true
		a := x.account(int32(ri), ref)
		if x.anyRestricted(a.liable) {
			continue
		}
		n++
		if f, ok := a.weigh(); ok {
			out = append(out, f)
		}
	}
	return out, n
}

// account gathers the liable parties of an account at the property; the
// finding names the account by its first record in key order.
func (x *index) account(ri int32, ref string) *account {
	r := &x.recs[ri]
	a := &account{x: x, record: ri, place: r.place, start: r.moved, liable: map[int32]bool{}}
	for _, oi := range x.byPlace[r.place] {
		o := &x.recs[oi]
		if o.key.Source != resindex.SourceCouncilTax || (o.attrs["account_ref"] != ref && o.key.ID != ref) {
			continue
		}
		a.liable[o.person] = true
		if o.key.Compare(x.recs[a.record].key) < 0 {
			a.record = oi
		}
	}
	a.start = x.recs[a.record].moved
	if d := dayOf(x.recs[a.record].attrs["account_start"]); d != 0 {
		a.start = d
	}
	return a
}

// liableHere reports whether a liable party's newest residence evidence
// is at the property (or nothing places them anywhere).
func (a *account) liableHere() bool {
	x := a.x
	for p := range a.liable {
		if lt := x.newest(p); lt < 0 || x.recs[lt].place == a.place {
			return true
		}
	}
	return false
}

// isLiable reports whether p is a liable party, or looks like one the
// matcher left apart.
func (a *account) isLiable(p int32) bool {
	if a.liable[p] {
		return true
	}
	for l := range a.liable {
		if a.x.samePerson(l, p) {
			return true
		}
	}
	return false
}

// weigh finds the other adults living at the property during the
// discount: not liable on the account, not disregarded, 18 or over now,
// whose newest residence evidence is at the property. Only evidence
// active during the discount (since the account began) counts, and of a
// person who turned 18 during it, only since their birthday.
func (a *account) weigh() (Finding, bool) {
	x := a.x
	best := map[string]*Signal{}
	var others []int32
	for _, ri := range x.byPlace[a.place] {
		p := x.recs[ri].person
		if a.isLiable(p) || slices.Contains(others, p) || !a.otherAdult(p) {
			continue
		}
		added := false
		for _, oi := range x.persons[p].recs {
			added = a.signal(best, oi) || added
		}
		if added {
			others = append(others, p)
		}
	}
	// A discount is for one adult living there: with every liable party
	// moved away, it takes two others to make it wrong.
	if len(best) == 0 || len(others) < 2 && !a.liableHere() {
		return Finding{}, false
	}
	var sigs []Signal
	for _, name := range []string{SigElectoralRegister, SigTenancyMember, SigBenefitClaim, SigOtherSource} {
		if s := best[name]; s != nil {
			sigs = append(sigs, *s)
		}
	}
	return a.finding(sigs, others), true
}

// otherAdult reports whether a person counts against the discount.
func (a *account) otherAdult(p int32) bool {
	x := a.x
	ps := &x.persons[p]
	if ps.disregard || !x.countable(p) {
		return false
	}
	return x.livesAt(p, a.place) >= 0
}

// signal adds one record of another adult to the signal of its source,
// if it places them at the property while an adult.
func (a *account) signal(best map[string]*Signal, ri int32) bool {
	x := a.x
	r := &x.recs[ri]
	w, ok := spdWeights[r.key.Source]
	if !ok || r.place != a.place || r.active < x.eighteenth(r.person) || r.active < a.start {
		return false
	}
	weight := w.weight
	if !x.fresh(r) {
		weight /= 2
	}
	s := best[w.name]
	if s == nil {
		s = &Signal{Name: w.name, Says: says[w.name]}
		best[w.name] = s
	}
	s.Weight = max(s.Weight, weight)
	s.Evidence = append(s.Evidence, x.evidenceOf(ri))
	return true
}

var says = map[string]string{
	SigElectoralRegister: "another adult is on the electoral register at the property",
	SigTenancyMember:     "another adult is on a tenancy at the property",
	SigBenefitClaim:      "another adult is named on a benefit claim at the property",
	SigOtherSource:       "another adult's records (council tax, libraries, parking, schools, the contact centre) place them at the property",
}

func (a *account) finding(sigs []Signal, others []int32) Finding {
	f := a.x.finding(SPD, a.record, sigs, others)
	first := day(0)
	for _, s := range sigs {
		for _, e := range s.Evidence {
			first = earliest(first, dayOf(e.Moved))
		}
	}
	f.Since = max(first, a.start).String()
	return f
}

// truthy reads a yes/no attribute as sources spell it.
func truthy(v string) bool {
	switch v {
	case "true", "yes", "y", "1":
		return true
	}
	return false
}
