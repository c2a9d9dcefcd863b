package synth

import (
	"fmt"

	"github.com/resindex/resindex"
)

// Contact centre (CRM): a contact record made the first time someone gets
// in touch, refreshed when they call again. Sparse and sloppy: a name, a
// phone number, sometimes an address and rarely a date of birth; agents
// who cannot find the caller make a new contact.

func contactDef() *sourceDef {
	return &sourceDef{
		name:  resindex.SourceContactCentre,
		attrs: []string{"channel"},
		//          title middle dob sex nino nhs upn uprn email phone prev hist
		holds: holdRates{0.5, 0, 1, 0.2, 0, 0, 0, 0.05, 0.5, 0.85, 0, 0},
		//          typo nick init swap marr dbar dswap ddig dmiss stale afmt pcmis badid
		rates:      errRates{0.15, 0.18, 0.06, 0.04, 0.35, 0.5, 0.04, 0.05, 0.6, 0, 0.35, 0.15, 0.3},
		shield:     [3]float64{0.5, 0.9, 0.4},
		phoneStyle: 2,
		build:      buildContact,
	}
}

var channels = fields("phone phone phone web email face_to_face")

func buildContact(b *builder) {
	w := b.w
	for pi := range w.people {
		p := &w.people[pi]
		lo := max(p.res[0].from, birthday(p.dob, 18), w.start-365)
		hi := min(p.res[len(p.res)-1].to, w.end)
		if lo >= hi || !chance(b.r, b.prof.Coverage) {
			continue
		}
		calls := 1 + choose(b.r, 50, 25, 15, 10)
		days := make([]day, calls)
		for i := range days {
			days[i] = lo + day(b.r.IntN(int(hi-lo)))
		}
		b.contacts(int32(pi), sortDays(days))
	}
}

// contacts builds the contact record(s) of someone who called on days.
func (b *builder) contacts(pi int32, days []day) {
	var s *srec
	for _, d := range days {
		if s == nil || chance(b.r, 0.1) {
			s = b.contact(pi, d)
			continue
		}
		b.call(s, pi, d)
	}
}

// contact creates a contact on the day of a first call.
func (b *builder) contact(pi int32, d day) *srec {
	w := b.w
	p := &w.people[pi]
	ri := p.resAt(d)
	id := fmt.Sprintf("%08x-%04x-4%03x-%04x-%012x", b.r.Uint32(), b.r.IntN(1<<16), b.r.IntN(1<<12),
		0x8000|b.r.IntN(1<<14), b.r.Uint64()&(1<<48-1))
	s := b.newRec(pi, d, w.occs[p.res[ri].occ].prop, p.res[ri].from, id)
	s.add(change{at: d, op: opAttr, sval: pick(b.r, channels)})
	if p.death != never && b.learns(0.7) {
		s.add(change{at: p.death + b.lag([2]int{14, 60}), op: opDelete}) // tell us once
	}
	return s
}

// call refreshes a contact: the agent may confirm the address and name.
func (b *builder) call(s *srec, pi int32, d day) {
	w := b.w
	p := &w.people[pi]
	s.add(change{at: d, op: opAttr, sval: pick(b.r, channels)})
	if ri := p.resAt(d); ri >= 0 && !chance(b.r, b.prof.MissMove) {
		s.add(change{at: d, op: opAddress, val: w.occs[p.res[ri].occ].prop, from: p.res[ri].from})
	}
	if !chance(b.r, b.prof.MissName) {
		s.add(change{at: d, op: opName, val: int32(p.nameAt(d))})
	}
}

func sortDays(ds []day) []day {
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && ds[j] < ds[j-1]; j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
	return ds
}
