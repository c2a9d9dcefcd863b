package synth

import (
	"fmt"

	"github.com/resindex/resindex"
)

// Adult and children's social care (Mosaic / LiquidLogic style): one
// person record each, NHS number usually present, address history kept,
// flags for needs and risks. Both learn moves quickly; children's cases
// close at 18 unless the child was looked after (care leavers stay open).

func ascDef() *sourceDef {
	return &sourceDef{
		name:  resindex.SourceAdultSocialCare,
		attrs: []string{"client_type"},
		//          title middle dob sex nino nhs upn uprn email phone prev hist
		holds: holdRates{1, 1, 1, 1, 0.4, 0.92, 0, 0.6, 0.3, 0.8, 0.6, 1},
		//          typo nick init swap marr dbar dswap ddig dmiss stale afmt pcmis badid
		rates:      errRates{0.06, 0.06, 0.02, 0.04, 0.2, 0.3, 0.02, 0.025, 0.02, 0, 0.12, 0.03, 0.04},
		shield:     [3]float64{0.9, 0.9, 0.95},
		phoneStyle: 1,
		spaced:     1,
		build:      buildASC,
	}
}

func cscDef() *sourceDef {
	return &sourceDef{
		name:  resindex.SourceChildrenSocial,
		attrs: []string{"case_status"},
		//          title middle dob sex nino nhs upn uprn email phone prev hist
		holds: holdRates{0, 1, 1, 1, 0, 0.85, 0.7, 0.5, 0, 0, 0.3, 1},
		//          typo nick init swap marr dbar dswap ddig dmiss stale afmt pcmis badid
		rates:      errRates{0.06, 0.03, 0.02, 0.04, 0, 0.3, 0.02, 0.025, 0.02, 0, 0.12, 0.03, 0.04},
		shield:     [3]float64{0, 0, 0.95},
		phoneStyle: 0,
		spaced:     1,
		build:      buildCSC,
	}
}

func buildASC(b *builder) {
	w := b.w
	for pi := range w.people {
		p := &w.people[pi]
		if p.asc.from > w.end || p.resAt(p.asc.from) < 0 {
			continue
		}
		t := p.asc.from
		ri := p.resAt(t)
		s := b.newRec(int32(pi), t, w.occs[p.res[ri].occ].prop, p.res[ri].from, fmt.Sprintf("%07d", b.nextID(60)))
		kind := "client"
		if chance(b.r, 0.1) {
			kind = "carer"
		}
		s.add(change{at: t, op: opAttr, sval: kind})
		if p.asc.level&ascDisability != 0 {
			s.add(change{at: t, op: opFlag, val: flagDisability})
		}
		if p.asc.level&ascCaution != 0 {
			s.add(change{at: t, op: opFlag, val: flagCaution})
		}
		b.follow(s, t, b.profileFollow([2]int{30, 120}, [2]int{7, 60}, 0.2, 0.05))
		b.every(s, t, 365, b.inBorough(int32(pi)))
	}
}

func buildCSC(b *builder) {
	w := b.w
	for pi := range w.people {
		p := &w.people[pi]
		if p.csc.from > w.end || p.resAt(p.csc.from) < 0 {
			continue
		}
		t := p.csc.from
		ri := p.resAt(t)
		s := b.newRec(int32(pi), t, w.occs[p.res[ri].occ].prop, p.res[ri].from, fmt.Sprintf("5%06d", b.nextID(40)))
		s.add(change{at: t, op: opAttr, sval: "open"})
		s.add(change{at: t, op: opFlag, val: []int32{flagCIN, flagCPP, flagLAC}[p.csc.level]})
		if p.csc.escalate != never {
			s.add(change{at: p.csc.escalate, op: opUnflag, val: flagCIN})
			s.add(change{at: p.csc.escalate, op: opFlag, val: flagCPP})
		}
		b.follow(s, t, b.profileFollow([2]int{30, 120}, [2]int{7, 60}, 0.1, 0.02))
		b.every(s, t, 182, b.inBorough(int32(pi)))
		if at18 := birthday(p.dob, 18); p.csc.level != cscLookedAfter && at18 <= w.end {
			s.add(change{at: at18 + b.lag([2]int{0, 90}), op: opDelete})
		}
	}
}

// every adds an activity every period days from c while present holds:
// case reviews.
func (b *builder) every(s *srec, c day, period int, present func(day) bool) {
	d := c + day(period)
	if early := b.w.start - 365; d < early {
		d += (early - d) / day(period) * day(period)
	}
	for ; d <= b.w.end; d += day(period) {
		if present(d) {
			s.add(change{at: d, op: opActivity})
		}
	}
}
