package synth

import (
	"fmt"

	"github.com/resindex/resindex"
)

// Housing: a tenancy per social-housing occupancy, with a record for the
// lead tenant, a joint tenant and every household member. It learns of
// people joining and leaving late; it never learns that sublet tenants
// have gone, which is the subletting fraud.

func housingDef() *sourceDef {
	return &sourceDef{
		name:  resindex.SourceHousing,
		attrs: []string{"tenancy_ref", "tenancy_role", "tenancy_start"},
		//          title middle dob sex nino nhs upn uprn email phone prev hist
		holds: holdRates{1, 0.7, 1, 1, 0.7, 0, 0, 1, 0.5, 0.85, 0.3, 0},
		//          typo nick init swap marr dbar dswap ddig dmiss stale afmt pcmis badid
		rates:      errRates{0.06, 0.07, 0.04, 0.05, 0.3, 0.35, 0.02, 0.025, 0.05, 0, 0.1, 0.02, 0.04},
		shield:     [3]float64{0.8, 0.8, 0.9},
		phoneStyle: 0,
		spaced:     1,
		build:      buildHousing,
	}
}

// Housing attribute slots.
const (
	hoRef uint8 = iota
	hoRole
	hoStart
)

func buildHousing(b *builder) {
	w := b.w
	for o := range w.occs {
		oc := &w.occs[o]
		if w.g.props[oc.prop].tenure == tenureSocial && oc.subletOf < 0 && oc.from <= w.end {
			b.tenancy(int32(o))
		}
	}
}

// tenancy builds the records of one tenancy.
func (b *builder) tenancy(o int32) {
	w := b.w
	oc := &w.occs[o]
	ref := fmt.Sprintf("TEN%07d", b.nextID(20))
	lead, n := int32(-1), 0
	end := never
	if oc.to != never && !oc.sublet {
		end = oc.to + b.lag([2]int{0, 30})
	}
	for _, m := range w.occRes[o] {
		r, p := w.res(m), &w.people[m.pi]
		t, role := r.from, "household_member"
		switch {
		case r.from == oc.from && lead < 0 && p.adultAt(oc.from):
			lead, role = m.pi, "lead_tenant"
		case r.from == oc.from && lead >= 0 && p.partner == lead && chance(b.r, 0.6):
			role = "joint_tenant"
		case r.from > oc.from:
			if !chance(b.r, 0.75) {
				continue // an unauthorised occupant: housing never hears
			}
			t += b.lag([2]int{30, 365})
		}
		if t >= end || t >= r.to && r.to != never && r.to < oc.to {
			continue
		}
		n++
		b.tenancyMember(o, m, fmt.Sprintf("%s-%02d", ref, n), t, ref, role, end)
	}
}

// tenancyMember adds one person's record on a tenancy.
func (b *builder) tenancyMember(o int32, m member, id string, t day, ref, role string, end day) {
	w := b.w
	oc := &w.occs[o]
	r, p := w.res(m), &w.people[m.pi]
	s := b.newRec(m.pi, t, oc.prop, r.from, id)
	s.occ = o
	s.add(change{at: t, op: opAttr, slot: hoRef, sval: ref})
	s.add(change{at: t, op: opAttr, slot: hoRole, sval: role})
	s.add(change{at: t, op: opAttr, slot: hoStart, sval: w.iso(oc.from)})
	if p.adultAt(t) && chance(b.r, 0.015) {
		s.add(change{at: t, op: opFlag, val: flagCaution})
	}
	b.followNames(s, t, follow{name: [2]int{30, 365}, missName: b.prof.MissName})
	b.annual(s, t, 4, 1, b.livesAt(m.pi, oc.prop))
	switch {
	case r.to != never && r.to < oc.to:
		// This person left (or died) while the household stayed.
		miss := 0.2
		if p.death == r.to {
			miss = 0.1
		}
		if b.learns(miss) {
			s.add(change{at: r.to + b.lag([2]int{30, 180}), op: opDelete})
		}
	case end != never:
		s.add(change{at: max(end, t), op: opDelete})
	}
}
