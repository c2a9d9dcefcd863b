package synth

import (
	"math"
	"math/rand/v2"
)

// populate creates the households living in the borough at the start.
func (w *world) populate(target int, progress func(string, int, int)) {
	r := w.rng
	for w.live < target {
		specs, kind := w.drawHousehold(r)
		if len(specs) > target-w.live {
			specs = specs[:target-w.live]
			fixPartners(specs)
		}
		if w.placeHousehold(r, specs, kind, w.start, true) < 0 {
			break // the gazetteer is sized with headroom, so this is a guard only
		}
		report(progress, "population", w.live, target)
	}
	report(progress, "population", target, target)
}

// fixPartners drops partner links to members trimmed off a spec list.
func fixPartners(specs []spec) {
	for i := range specs {
		if specs[i].partnerOf >= len(specs) {
			specs[i].partnerOf = -1
		}
		if specs[i].twinOf >= len(specs) {
			specs[i].twinOf = -1
		}
	}
}

// report calls progress every so often (and at the end) without making
// the caller count.
func report(progress func(string, int, int), stage string, done, total int) {
	if progress != nil && (done == total || done%2048 == 0) {
		progress(stage, done, total)
	}
}

// simulate runs the timeline month by month: each household may see a
// death, a move, a birth, a marriage, a separation, a young adult leaving
// home or a new adult moving in; arrivals then fill the person budget.
func (w *world) simulate(progress func(string, int, int)) {
	w.pm = monthlyRates(w.cfg)
	months := w.cfg.Years * 12
	for m := range months {
		lo := dayOf(w.cfg.Start.AddDate(0, m, 0))
		hi := dayOf(w.cfg.Start.AddDate(0, m+1, 0))
		n := len(w.hhs)
		for h := range n {
			if w.hhs[h].occ >= 0 {
				w.householdMonth(int32(h), lo+day(w.rng.IntN(int(hi-lo))))
			}
		}
		w.arrivals(lo, hi, months-m)
		if progress != nil {
			progress("timeline", m+1, months)
		}
	}
}

// perMonth converts a yearly rate to a monthly probability.
func perMonth(yearly float64) float64 { return 1 - math.Pow(1-min(yearly, 0.999), 1.0/12) }

// Fixed yearly rates of household events, as monthly probabilities.
var (
	pmBirthPartnered = perMonth(0.09)
	pmBirthOther     = perMonth(0.02)
	pmMarriage       = perMonth(0.05)
	pmSeparation     = perMonth(0.02)
	pmLeaveHome      = perMonth(0.12)
	pmSharerChurn    = perMonth(0.3)
)

// monthly holds the configured yearly rates as monthly probabilities.
type monthly struct {
	leave, move, sublet, partner, partnerKnown float64
}

func monthlyRates(c Config) monthly {
	return monthly{leave: perMonth(c.LeaveRate), move: perMonth(c.MoveRate), sublet: perMonth(c.SubletRate),
		partner: perMonth(c.PartnerRate), partnerKnown: perMonth(c.PartnerRate + c.SafeguardingRate)}
}

// approxAge is the age in years, to within a day of the birthday: enough
// for the chance of an event, and much cheaper than calendar arithmetic.
func approxAge(dob, d day) int { return int(d-dob) * 4 / 1461 }

// householdMonth applies at most one change of household structure on day
// d (after any deaths), so that no residence starts and ends on one day.
func (w *world) householdMonth(h int32, d day) {
	r := w.rng
	w.deaths(h, d)
	if w.hhs[h].occ < 0 {
		return
	}
	pm := &w.pm
	switch {
	case chance(r, pm.leave):
		w.leaveBorough(h, d, true)
	case chance(r, pm.move):
		w.moveHousehold(r, h, d, true)
	case chance(r, pm.sublet) && w.isTenancy(h):
		w.sublet(r, h, d)
	case w.birth(r, h, d):
	case w.marriage(r, h, d):
	case w.separation(r, h, d):
	case w.youngAdultLeaves(r, h, d):
	case w.newAdultMovesIn(r, h, d):
	case w.hhs[h].sharers:
		w.sharerChurn(r, h, d)
	}
}

// deaths applies a Gompertz hazard, about 5% a year at 80.
func (w *world) deaths(h int32, d day) {
	members := w.hhs[h].members
	for i := 0; i < len(members); i++ {
		pi := members[i]
		if !chance(w.rng, deathRisk[min(approxAge(w.people[pi].dob, d), 120)]) {
			continue
		}
		{
			w.people[pi].death = d
			w.removeMember(pi, d)
			if w.hhs[h].occ < 0 {
				return
			}
			members = w.hhs[h].members
			i--
		}
	}
}

// deathRisk is the monthly chance of dying at each age (Gompertz).
var deathRisk = func() []float64 {
	out := make([]float64, 121)
	for age := range out {
		out[age] = perMonth(math.Min(0.6, math.Exp(-10.6+0.095*float64(age))))
	}
	return out
}()

// isTenancy reports whether h holds a social tenancy in its own right (not
// as subletters, and not already sublet).
func (w *world) isTenancy(h int32) bool {
	o := &w.occs[w.hhs[h].occ]
	return w.g.props[o.prop].tenure == tenureSocial && o.subletOf < 0 && !o.sublet
}

// sublet moves the tenants away without telling housing (elsewhere in the
// borough or out of it) and a household of newcomers occupies the flat.
func (w *world) sublet(r *rand.Rand, h int32, d day) {
	if w.budget() < 1 {
		return
	}
	old := w.hhs[h].occ
	if !chance(r, 0.5) || !w.moveHousehold(r, h, d, false) {
		w.leaveBorough(h, d, false)
	}
	w.occs[old].sublet = true
	specs, kind := w.drawHousehold(r)
	specs = specs[:min(len(specs), w.budget())]
	fixPartners(specs)
	nh := int32(len(w.hhs))
	ids := w.makePeople(r, specs, nh, d)
	w.hhs = append(w.hhs, household{members: ids, occ: -1, sharers: kind == hhSharers, origin: specs[0].originIdx})
	o := w.newOccupancy(w.occs[old].prop, nh, d)
	w.occs[o].subletOf = old
	for _, pi := range ids {
		w.startResidence(pi, o, d, joinWithHousehold)
	}
	w.live += len(ids)
	w.assignCare(r, nh, d)
}

// birth lets a woman of 18–44 have a baby, more often with a partner at home.
func (w *world) birth(r *rand.Rand, h int32, d day) bool {
	if w.budget() < 1 {
		return false
	}
	for _, pi := range w.hhs[h].members {
		p := &w.people[pi]
		if p.sex != 'F' || p.role == roleChild {
			continue
		}
		age := approxAge(p.dob, d)
		if age < 18 || age > 44 {
			continue
		}
		rate := pmBirthOther
		if p.partner >= 0 && age >= 20 && age <= 40 {
			rate = pmBirthPartnered
		}
		if chance(r, rate) {
			w.newBaby(r, h, pi, d)
			return true
		}
	}
	return false
}

// newBaby adds a child born on day d; the family name follows the
// household's children, else the parents' rules. Twins now and then.
func (w *world) newBaby(r *rand.Rand, h, mother int32, d day) {
	m := &w.people[mother]
	o := origins[m.origin]
	family := m.family()
	if f := w.siblingFamily(h); f != "" {
		family = f
	} else if m.partner >= 0 && w.people[m.partner].sex == 'M' && chance(r, 0.75) {
		family = w.people[m.partner].family()
	}
	n := 1
	if chance(r, 0.016) && w.budget() >= 2 {
		n = 2
	}
	for range n {
		sex := pick(r, []byte{'M', 'F'})
		s := spec{sex: sex, origin: o, originIdx: m.origin, family: o.forSex(o.masculine(family), sex),
			role: roleChild, partnerOf: -1, twinOf: -1}
		pi := w.makePeople(r, []spec{s}, h, d)[0]
		w.people[pi].dob = d
		w.addMember(pi, h, d, joinBirth, roleChild)
		w.babyCare(r, h, pi, d)
	}
}

func (w *world) siblingFamily(h int32) string {
	for _, pi := range w.hhs[h].members {
		if p := &w.people[pi]; p.role == roleChild {
			return origins[p.origin].masculine(p.family())
		}
	}
	return ""
}

// marriage marries unmarried partners with different names; one of them,
// usually the woman, takes the other's name or a double-barrelled one.
func (w *world) marriage(r *rand.Rand, h int32, d day) bool {
	for _, pi := range w.hhs[h].members {
		p := &w.people[pi]
		if p.partner < 0 || p.sex != 'F' || p.maiden != "" || len(p.names) > 1 {
			continue
		}
		q := &w.people[p.partner]
		if q.family() == p.family() || !chance(r, pmMarriage) {
			return false
		}
		o := origins[p.origin]
		switch choose(r, 80, 15, 5) {
		case 0:
			p.names = append(p.names, nameSpan{from: d, family: o.forSex(origins[q.origin].masculine(q.family()), 'F'), marriage: true})
		case 1:
			p.names = append(p.names, nameSpan{from: d, family: q.family() + "-" + p.family(), marriage: true})
		default:
			q.names = append(q.names, nameSpan{from: d, family: origins[q.origin].masculine(p.family()), marriage: true})
		}
		return true
	}
	return false
}

// separation has one partner, usually the man, leave, to somewhere in the
// borough or away.
func (w *world) separation(r *rand.Rand, h int32, d day) bool {
	for _, pi := range w.hhs[h].members {
		p := &w.people[pi]
		if p.partner < 0 || !chance(r, pmSeparation) {
			continue
		}
		leaver := pi
		if p.sex == 'F' && chance(r, 0.75) {
			leaver = p.partner
		}
		w.moveOut(r, leaver, d, chance(r, 0.5))
		return true
	}
	return false
}

// youngAdultLeaves has a grown-up child leave home.
func (w *world) youngAdultLeaves(r *rand.Rand, h int32, d day) bool {
	for _, pi := range w.hhs[h].members {
		p := &w.people[pi]
		if p.role == roleChild && approxAge(p.dob, d) >= 18 && chance(r, pmLeaveHome) {
			w.moveOut(r, pi, d, chance(r, 0.6))
			return true
		}
	}
	return false
}

// newAdultMovesIn moves a partner in with a single adult or lone parent,
// much more often (SafeguardingRate) where a child is known to children's
// social care, so that the safeguarding scenarios are there to find.
func (w *world) newAdultMovesIn(r *rand.Rand, h int32, d day) bool {
	ad := w.adults(h, d)
	if len(ad) != 1 || w.hhs[h].sharers || w.people[ad[0]].partner >= 0 {
		return false
	}
	rate := w.pm.partner
	if w.knownChild(h, d) {
		rate = w.pm.partnerKnown
	}
	if !chance(r, rate) {
		return false
	}
	a := ad[0]
	pi := w.findPartner(r, a, d)
	if pi < 0 {
		return false
	}
	w.addMember(pi, h, d, joinExisting, rolePartner)
	w.people[pi].partner, w.people[a].partner = a, pi
	return true
}

// knownChild reports whether a child of household h is known to
// children's social care on day d.
func (w *world) knownChild(h int32, d day) bool {
	for _, pi := range w.hhs[h].members {
		p := &w.people[pi]
		if p.csc.from <= d && !p.adultAt(d) {
			return true
		}
	}
	return false
}

// findPartner returns someone to move in with a: a single adult already in
// the borough (who gives up their home) or a newcomer; -1 when neither.
func (w *world) findPartner(r *rand.Rand, a int32, d day) int32 {
	pa := &w.people[a]
	if chance(r, 0.4) {
		for range 12 {
			h := int32(r.IntN(len(w.hhs)))
			hh := &w.hhs[h]
			if hh.occ < 0 || len(hh.members) != 1 || hh.members[0] == a {
				continue
			}
			c := hh.members[0]
			pc := &w.people[c]
			if pc.sex != pa.sex && abs(ageAt(pc.dob, d)-ageAt(pa.dob, d)) <= 8 && pc.adultAt(d) {
				w.removeMember(c, d)
				return c
			}
		}
	}
	if w.budget() < 1 {
		return -1
	}
	sex := byte('M')
	if pa.sex == 'M' {
		sex = 'F'
	}
	oi := int(pa.origin)
	if chance(r, 0.3) {
		oi = originW.draw(r)
	}
	s := w.adultSpec(r, oi, max(18, ageAt(pa.dob, d)+between(r, -6, 6)), sex, rolePartner)
	pi := w.makePeople(r, []spec{s}, -1, d)[0]
	return pi
}

// sharerChurn has one sharer in a shared house leave or a new one arrive.
func (w *world) sharerChurn(r *rand.Rand, h int32, d day) {
	hh := &w.hhs[h]
	if !chance(r, pmSharerChurn) {
		return
	}
	if len(hh.members) > 2 && chance(r, 0.5) {
		w.moveOut(r, pick(r, hh.members[1:]), d, chance(r, 0.3))
		return
	}
	if len(hh.members) < 6 && w.budget() > 0 {
		s := w.adultSpec(r, originW.draw(r), between(r, 19, 40), 0, roleOther)
		pi := w.makePeople(r, []spec{s}, h, d)[0]
		w.addMember(pi, h, d, joinExisting, roleOther)
	}
}

// arrivals brings new households in so that, by the end, exactly
// cfg.Persons people have lived in the borough. A share of the budget is
// kept back for births and partners in the months left.
func (w *world) arrivals(lo, hi day, monthsLeft int) {
	r := w.rng
	reserve := int(float64(w.live) * 0.002 * float64(monthsLeft-1))
	allow := (w.budget() - reserve) / monthsLeft
	if monthsLeft == 1 {
		allow = w.budget()
	}
	for tries := 0; allow > 0 && tries < 10000; tries++ {
		d := lo + day(r.IntN(int(hi-lo)))
		specs, kind := w.drawHousehold(r)
		specs = specs[:min(len(specs), allow)]
		fixPartners(specs)
		if w.placeHousehold(r, specs, kind, d, false) < 0 {
			w.lodger(r, d)
			specs = specs[:1]
		}
		allow -= len(specs)
	}
}

// lodger is the fallback when no property is vacant: a newcomer rents a
// room in an existing household.
func (w *world) lodger(r *rand.Rand, d day) {
	for range 100 {
		h := int32(r.IntN(len(w.hhs)))
		if w.hhs[h].occ >= 0 {
			s := w.adultSpec(r, originW.draw(r), between(r, 20, 50), 0, roleOther)
			pi := w.makePeople(r, []spec{s}, h, d)[0]
			w.addMember(pi, h, d, joinExisting, roleOther)
			return
		}
	}
}

// budget is how many more people may be created.
func (w *world) budget() int { return w.cfg.Persons - len(w.people) }

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
