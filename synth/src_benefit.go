package synth

import (
	"fmt"

	"github.com/resindex/resindex"
)

// Housing benefit and council tax support: a claim per household, with a
// record for the claimant, a partner, dependants and non-dependants. The
// claim follows the household when it moves within the borough and ends
// when it leaves or stops claiming.

func benefitDef() *sourceDef {
	return &sourceDef{
		name:  resindex.SourceHousingBenefit,
		attrs: []string{"claim_ref", "benefit_role"},
		//          title middle dob sex nino nhs upn uprn email phone prev hist
		holds: holdRates{1, 1, 1, 1, 0.95, 0, 0, 0.9, 0.4, 0.7, 0.5, 0},
		//          typo nick init swap marr dbar dswap ddig dmiss stale afmt pcmis badid
		rates:      errRates{0.04, 0.03, 0.03, 0.04, 0.2, 0.3, 0.015, 0.02, 0.02, 0, 0.08, 0.01, 0.03},
		shield:     [3]float64{0.9, 0.5, 0.9},
		phoneStyle: 1,
		spaced:     1,
		build:      buildBenefit,
	}
}

// Benefit attribute slots.
const (
	hbRef uint8 = iota
	hbRole
)

// claimShare is the chance a household claims, by tenure, before scaling
// to the configured coverage (0.3·0.45 + 0.3·0.2 + 0.4·0.04 ≈ 0.21; claims
// that end bring the share of households claiming at a time to about 0.17).
var claimShare = [numTenures]float64{0.45, 0.20, 0.04}

func buildBenefit(b *builder) {
	w := b.w
	scale := b.prof.Coverage / 0.17
	for h := range w.hhs {
		occs := w.hhOccs[h]
		if len(occs) == 0 {
			continue
		}
		o := occs[0]
		if !chance(b.r, claimShare[w.g.props[w.occs[o].prop].tenure]*scale) {
			continue
		}
		start := w.occs[o].from + b.lag([2]int{14, 60})
		if w.occs[o].from > w.start && chance(b.r, 0.3) && start < w.end {
			start += day(b.r.IntN(int(w.end - start))) // a claim after losing a job
		}
		if start <= w.end {
			b.claim(int32(h), start)
		}
	}
}

// claim builds the records of household h's claim from day start.
func (b *builder) claim(h int32, start day) {
	w := b.w
	ref := fmt.Sprintf("HB%07d", b.nextID(30))
	stop := never
	if chance(b.r, 0.08*float64(w.cfg.Years)) {
		stop = start + day(b.r.IntN(int(max(1, w.end-start))))
	}
	var claimant int32 = -1
	n := 0
	for _, o := range w.hhOccs[h] {
		for _, m := range w.occRes[o] {
			r := w.res(m)
			t := max(start, r.from)
			if r.to <= t || t > w.end || r.how == joinWithHousehold && o != w.hhOccs[h][0] {
				continue // gone before the claim, or an existing member moving with it
			}
			if r.from > start && r.how != joinWithHousehold {
				if !chance(b.r, 0.85) {
					continue
				}
				t += b.lag([2]int{14, 90})
			}
			role := b.benefitRole(m.pi, &claimant, t)
			n++
			b.claimMember(h, m, fmt.Sprintf("%s-%d", ref, n), t, ref, role, stop)
		}
	}
}

// benefitRole decides a member's role on the claim as of day t.
func (b *builder) benefitRole(pi int32, claimant *int32, t day) string {
	p := &b.w.people[pi]
	switch {
	case *claimant < 0 && p.adultAt(t):
		*claimant = pi
		return "claimant"
	case *claimant >= 0 && p.partner == *claimant:
		return "partner"
	case !p.adultAt(t):
		return "dependant"
	}
	return "non_dependant"
}

// claimMember adds one member's record: it follows their moves with the
// household and closes when they leave it, when the household leaves the
// borough, or when the claim stops.
func (b *builder) claimMember(h int32, m member, id string, t day, ref, role string, stop day) {
	w := b.w
	p := &w.people[m.pi]
	ri := p.resAt(t)
	if ri < 0 {
		return
	}
	s := b.newRec(m.pi, t, w.occs[p.res[ri].occ].prop, p.res[ri].from, id)
	s.add(change{at: t, op: opAttr, slot: hbRef, sval: ref})
	s.add(change{at: t, op: opAttr, slot: hbRole, sval: role})
	if role == "dependant" {
		if a := birthday(p.dob, 18); a > t && a <= w.end {
			s.add(change{at: a + b.lag([2]int{30, 120}), op: opAttr, slot: hbRole, sval: "non_dependant"})
		}
	}
	b.annual(s, t, 4, 6, b.inHousehold(m.pi, h))
	b.followNames(s, t, follow{name: [2]int{30, 120}, missName: b.prof.MissName})
	end := stop
	for i := ri + 1; i < len(p.res); i++ {
		r := p.res[i]
		if w.occs[r.occ].hh != h {
			end = min(end, r.from+b.lag([2]int{14, 90})) // left the household
			break
		}
		if b.learns(b.prof.MissMove) {
			s.add(change{at: r.from + b.lag(b.prof.LearnMove), op: opAddress, val: w.occs[r.occ].prop, from: r.from})
		}
	}
	if last := p.res[len(p.res)-1]; last.to != never && w.occs[last.occ].hh == h {
		end = min(end, last.to+b.lag([2]int{14, 60})) // left the borough or died
	}
	if end != never {
		s.add(change{at: end, op: opDelete})
	}
}

// inHousehold returns a test for "pi lives with household h on day d".
func (b *builder) inHousehold(pi, h int32) func(day) bool {
	return func(d day) bool {
		p := &b.w.people[pi]
		i := p.resAt(d)
		return i >= 0 && b.w.occs[p.res[i].occ].hh == h
	}
}
