package synth

import (
	"fmt"

	"github.com/resindex/resindex"
)

// Parking: a resident permit per household that has one, in the holder's
// name, renewed yearly. The service hears of a move only at renewal: the
// permit moves with the holder (if they renew) or lapses.

func parkingDef() *sourceDef {
	return &sourceDef{
		name:  resindex.SourceParking,
		attrs: []string{"permit_type", "vrm", "valid_to"},
		//          title middle dob sex nino nhs upn uprn email phone prev hist
		holds: holdRates{1, 0, 0, 0, 0, 0, 0, 0.6, 0.85, 0.85, 0, 0},
		//          typo nick init swap marr dbar dswap ddig dmiss stale afmt pcmis badid
		rates:      errRates{0.08, 0.12, 0.1, 0.03, 0.3, 0.4, 0, 0, 0, 0, 0.2, 0.03, 0.05},
		shield:     [3]float64{0, 0, 0.2},
		phoneStyle: 3,
		build:      buildParking,
	}
}

// Parking attribute slots.
const (
	pkType uint8 = iota
	pkVRM
	pkValidTo
)

func buildParking(b *builder) {
	w := b.w
	for o := range w.occs {
		oc := &w.occs[o]
		// Lapsed permits stay on the system a while, so fewer than the
		// coverage share of new occupancies apply for one.
		if !chance(b.r, b.prof.Coverage*0.8) {
			continue
		}
		var holder int32 = -1
		for _, m := range w.occRes[o] {
			if w.res(m).from == oc.from && w.people[m.pi].adultAt(oc.from) {
				holder = m.pi
				break
			}
		}
		t := oc.from + b.lag([2]int{7, 90})
		if holder < 0 || t > w.end || (oc.to != never && t >= oc.to) {
			continue
		}
		b.permit(holder, int32(o), t)
	}
}

// permit builds a permit record issued on day t and its renewals.
func (b *builder) permit(pi, o int32, t day) {
	w := b.w
	p := &w.people[pi]
	ri := p.resAt(t)
	if ri < 0 {
		return
	}
	s := b.newRec(pi, t, w.occs[o].prop, p.res[ri].from, fmt.Sprintf("RP%06d", b.nextID(10)))
	s.add(change{at: t, op: opAttr, slot: pkType, sval: "resident"})
	s.add(change{at: t, op: opAttr, slot: pkVRM, sval: vrm(b)})
	renewal := func(e day) day {
		n := (int(e-t) + 364) / 365
		return t + day(n*365)
	}
	for d := t; d <= w.end; d += 365 {
		s.add(change{at: d, op: opAttr, slot: pkValidTo, sval: w.iso(d + 364)})
		if d > t && chance(b.r, 0.1) {
			s.add(change{at: d, op: opAttr, slot: pkVRM, sval: vrm(b)})
		}
	}
	f := follow{move: [2]int{0, 0}, name: [2]int{0, 0}, missMove: b.prof.MissMove, missName: b.prof.MissName,
		missGone: 0.1, missDeath: 0.1, at: renewal}
	b.follow(s, t, f)
}

// vrm draws a current-style UK registration mark, "AB12 CDE".
func vrm(b *builder) string {
	const letters = "ABCDEFGHJKLMNOPRSTUVWXYZ"
	l := func() byte { return letters[b.r.IntN(len(letters))] }
	return fmt.Sprintf("%c%c%02d %c%c%c", l(), l(), pick(b.r, []int{15, 65, 16, 66, 17, 67, 18, 68, 19, 69, 20, 70, 21, 71, 22, 72, 23, 73}), l(), l(), l())
}
