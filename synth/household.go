package synth

import "math/rand/v2"

// The operations below are the only writers of residences, occupancies and
// household membership, so the truth stays consistent: every residence
// lies within its occupancy, and a household lives at one property at a
// time.

// placeHousehold creates household specs at a vacant property from day at
// (initial: they moved in some years before at). It returns the household,
// or -1 when no property is vacant.
func (w *world) placeHousehold(r *rand.Rand, specs []spec, kind int, at day, initial bool) int32 {
	prop, ok := w.vacancy(r, w.preferredTenure(r, kind, specs))
	if !ok {
		return -1
	}
	h := int32(len(w.hhs))
	ids := w.makePeople(r, specs, h, at)
	w.hhs = append(w.hhs, household{members: ids, occ: -1, sharers: kind == hhSharers, origin: specs[0].originIdx})
	from := at
	if initial {
		from = w.movedInBefore(r, at, ids, w.g.props[prop].tenure)
	}
	o := w.newOccupancy(prop, h, from)
	for _, pi := range ids {
		p := &w.people[pi]
		how, f := joinWithHousehold, from
		if p.dob > from {
			how, f = joinBirth, p.dob
		}
		w.startResidence(pi, o, f, how)
	}
	w.live += len(ids)
	w.assignCare(r, h, at)
	return h
}

// preferredTenure draws a tenure from the configured mix, nudged by
// household type: sharers rent privately, families and older people are
// more often social tenants.
func (w *world) preferredTenure(r *rand.Rand, kind int, specs []spec) tenure {
	mix := w.cfg.tenureMix()
	switch {
	case kind == hhSharers:
		mix[tenurePrivate] *= 2
		mix[tenureOwner] *= 0.4
	case kind == hhFamily && len(specs) > 0 && specs[len(specs)-1].role == roleChild && len(specs) >= 4:
		mix[tenureSocial] *= 1.3
	}
	return tenure(choose(r, mix[:]...))
}

// vacancy takes a vacant property of tenure t, or of another tenure when
// none is left.
func (w *world) vacancy(r *rand.Rand, t tenure) (int32, bool) {
	for k := tenure(0); k < numTenures; k++ {
		if p, ok := w.vacant[(t+k)%numTenures].take(r); ok {
			return p, true
		}
	}
	return 0, false
}

// movedInBefore draws when a household present at the start moved in:
// owners stay longest, private renters least. Nobody moved in before the
// eldest was 18.
func (w *world) movedInBefore(r *rand.Rand, at day, ids []int32, t tenure) day {
	mean := [numTenures]float64{9, 3, 10}[t] * 365
	from := at - day(r.ExpFloat64()*mean) - 1
	var eldest day = never
	for _, pi := range ids {
		eldest = min(eldest, w.people[pi].dob)
	}
	return max(from, birthday(eldest, 18), at-day(40*365))
}

func (w *world) newOccupancy(prop, h int32, from day) int32 {
	o := int32(len(w.occs))
	w.occs = append(w.occs, occupancy{prop: prop, hh: h, from: from, to: never, subletOf: -1,
		ctLearns: chance(w.rng, 0.5)})
	w.hhs[h].occ = o
	return o
}

func (w *world) startResidence(pi, o int32, from day, how uint8) {
	p := &w.people[pi]
	p.res = append(p.res, residence{occ: o, from: from, to: never, how: how})
}

func (w *world) endResidence(pi int32, d day) {
	p := &w.people[pi]
	if n := len(p.res); n > 0 && p.res[n-1].to == never {
		p.res[n-1].to = d
	}
}

// vacate ends an occupancy and returns the property to the vacant pool
// (unless it stays occupied by subletters or is held by a sublet tenancy).
func (w *world) vacate(o int32, d day, free bool) {
	oc := &w.occs[o]
	oc.to = d
	// A flat whose tenancy is sublet is never re-let: housing thinks it is
	// still let to the tenant.
	if free && oc.subletOf < 0 {
		w.vacant[w.g.props[oc.prop].tenure].add(oc.prop)
	}
}

// moveHousehold moves every member of h to a vacant property from day d.
// It reports false (and changes nothing) when nothing is vacant.
func (w *world) moveHousehold(r *rand.Rand, h int32, d day, free bool) bool {
	hh := &w.hhs[h]
	old := hh.occ
	t := w.g.props[w.occs[old].prop].tenure
	if !chance(r, 0.7) {
		t = tenure(r.IntN(int(numTenures)))
	}
	prop, ok := w.vacancy(r, t)
	if !ok {
		return false
	}
	w.vacate(old, d, free)
	o := w.newOccupancy(prop, h, d)
	for _, pi := range hh.members {
		w.endResidence(pi, d)
		w.startResidence(pi, o, d, joinWithHousehold)
	}
	return true
}

// leaveBorough takes the whole household out of the borough on day d.
func (w *world) leaveBorough(h int32, d day, free bool) {
	hh := &w.hhs[h]
	w.vacate(hh.occ, d, free)
	for _, pi := range hh.members {
		w.endResidence(pi, d)
		w.people[pi].hh = -1
	}
	w.live -= len(hh.members)
	hh.members, hh.occ = nil, -1
}

// removeMember takes one person out of household h on day d. A household
// left with only children goes too: they move to relatives elsewhere.
func (w *world) removeMember(pi int32, d day) {
	h := w.people[pi].hh
	hh := &w.hhs[h]
	hh.members = without(hh.members, pi)
	w.endResidence(pi, d)
	w.people[pi].hh = -1
	w.live--
	if p := w.people[pi].partner; p >= 0 && w.people[p].partner == pi {
		w.people[p].partner = -1
	}
	w.people[pi].partner = -1
	if len(hh.members) == 0 {
		w.vacate(hh.occ, d, true)
		hh.occ = -1
		return
	}
	if !w.anyAdult(h, d) {
		w.leaveBorough(h, d, true)
	}
}

// addMember moves person pi into household h on day d.
func (w *world) addMember(pi, h int32, d day, how uint8, role uint8) {
	hh := &w.hhs[h]
	hh.members = append(hh.members, pi)
	p := &w.people[pi]
	p.hh, p.role = h, role
	w.startResidence(pi, hh.occ, d, how)
	w.live++
	if how == joinExisting && p.adultAt(d) {
		w.joins = append(w.joins, join{person: pi, occ: hh.occ, at: d})
	}
}

// setUpAlone moves person pi (already out of any household) into a new
// single-person household at a vacant property; false when none is vacant.
func (w *world) setUpAlone(r *rand.Rand, pi int32, d day) bool {
	prop, ok := w.vacancy(r, tenure(choose(r, 30, 50, 20)))
	if !ok {
		return false
	}
	h := int32(len(w.hhs))
	w.hhs = append(w.hhs, household{members: []int32{pi}, origin: w.people[pi].origin})
	o := w.newOccupancy(prop, h, d)
	p := &w.people[pi]
	p.hh, p.role = h, roleHead
	w.startResidence(pi, o, d, joinWithHousehold)
	w.live++
	return true
}

// moveOut takes pi out of their household on day d: to a new home in the
// borough when inBorough and a property is vacant, else out of it.
func (w *world) moveOut(r *rand.Rand, pi int32, d day, inBorough bool) {
	w.removeMember(pi, d)
	if inBorough {
		w.setUpAlone(r, pi, d)
	}
}

func (w *world) anyAdult(h int32, d day) bool {
	for _, pi := range w.hhs[h].members {
		if w.people[pi].adultAt(d) {
			return true
		}
	}
	return false
}

// adults returns the members who are 18 or over on day d.
func (w *world) adults(h int32, d day) []int32 {
	var out []int32
	for _, pi := range w.hhs[h].members {
		if w.people[pi].adultAt(d) {
			out = append(out, pi)
		}
	}
	return out
}

func without(xs []int32, x int32) []int32 {
	out := xs[:0:0]
	for _, v := range xs {
		if v != x {
			out = append(out, v)
		}
	}
	return out
}
