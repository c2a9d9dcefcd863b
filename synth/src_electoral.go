package synth

import (
	"fmt"
	"strconv"
	"time"

	"github.com/resindex/resindex"
)

// Electoral register: an entry per elector per address, numbered within
// its polling district. People register at a new address by rolling
// registration or at the annual canvass (published 1 December); an entry
// is removed when they register elsewhere, at the canvass after they left,
// or when the registrar reports a death. Attainers (16–17) are marked.

func electoralDef() *sourceDef {
	return &sourceDef{
		name:  resindex.SourceElectoralRoll,
		attrs: []string{"polling_district", "elector_number", "attainer", "attainment_date"},
		//          title middle dob sex nino nhs upn uprn email phone prev hist
		holds: holdRates{1, 1, 1, 0, 0, 0, 0, 1, 0.3, 0.2, 0.1, 0},
		//          typo nick init swap marr dbar dswap ddig dmiss stale afmt pcmis badid
		rates:      errRates{0.04, 0.02, 0.02, 0.03, 0.15, 0.25, 0.015, 0.02, 0.06, 0, 0.05, 0.005, 0.01},
		shield:     [3]float64{0, 0, 0.7},
		phoneStyle: 2,
		build:      buildElectoral,
	}
}

// Electoral attribute slots.
const (
	erDistrict uint8 = iota
	erNumber
	erAttainer
	erAttainment
)

func buildElectoral(b *builder) {
	w := b.w
	numbers := make(map[string]int, len(w.g.polling))
	for pi := range w.people {
		p := &w.people[pi]
		if !p.eligible || !chance(b.r, b.prof.Coverage) {
			continue
		}
		regs := b.registrations(int32(pi))
		for i, t := range regs {
			if t == never {
				continue
			}
			next := never
			for _, u := range regs[i+1:] {
				if u != never {
					next = u
					break
				}
			}
			b.elector(int32(pi), i, t, next, numbers)
		}
	}
}

// canvass returns the first register publication (1 December) after d.
func canvass(d day) day { return nextAnnual(d, time.December, 1) }

// registrations returns, per residence, the day the person is registered
// there (never when they are not).
func (b *builder) registrations(pi int32) []day {
	p := &b.w.people[pi]
	out := make([]day, len(p.res))
	for i, r := range p.res {
		from := max(r.from, birthday(p.dob, 16))
		t := canvass(from)
		if chance(b.r, 0.4) {
			t = from + b.lag([2]int{14, 120}) // rolling registration
		}
		out[i] = never
		if t < r.to && t <= b.w.end && from < r.to {
			out[i] = t
		}
	}
	return out
}

// elector builds the entry for residence ri, registered on day t; the
// person's next registration in the borough (or never) removes it.
func (b *builder) elector(pi int32, ri int, t, next day, numbers map[string]int) {
	w := b.w
	p := &w.people[pi]
	r := p.res[ri]
	prop := w.occs[r.occ].prop
	pd := w.g.pollingOf(prop)
	numbers[pd]++
	s := b.newRec(pi, t, prop, r.from, fmt.Sprintf("%s-%d", pd, numbers[pd]))
	s.add(change{at: t, op: opAttr, slot: erDistrict, sval: pd})
	s.add(change{at: t, op: opAttr, slot: erNumber, sval: strconv.Itoa(numbers[pd])})
	if at18 := birthday(p.dob, 18); at18 > t {
		s.add(change{at: t, op: opAttr, slot: erAttainer, sval: "true"})
		s.add(change{at: t, op: opAttr, slot: erAttainment, sval: w.iso(at18)})
		s.add(change{at: at18, op: opAttr, slot: erAttainer})
		s.add(change{at: at18, op: opAttr, slot: erAttainment})
	}
	b.annual(s, t, 12, 1, b.livesAt(pi, prop))
	b.electorNames(s, t)
	if r.to == never {
		return
	}
	switch {
	case p.death == r.to:
		if b.learns(0.05) {
			s.add(change{at: r.to + b.lag([2]int{14, 60}), op: opDelete})
		}
	case next != never:
		s.add(change{at: next, op: opDelete}) // registering elsewhere removes the old entry
	case b.learns(b.prof.MissMove):
		s.add(change{at: canvass(r.to), op: opDelete})
	}
}

// electorNames brings a change of name to the register by an application
// or at the next canvass.
func (b *builder) electorNames(s *srec, t day) {
	p := &b.w.people[s.person]
	for k := 1; k < len(p.names); k++ {
		n := p.names[k]
		if n.from <= t || !b.learns(b.prof.MissName) {
			continue
		}
		at := canvass(n.from)
		if chance(b.r, 0.5) {
			at = n.from + b.lag([2]int{30, 120})
		}
		s.add(change{at: at, op: opName, val: int32(k)})
	}
}
