package synth

import (
	"fmt"
	"slices"

	"github.com/resindex/resindex"
)

// Council tax: an account per occupied property and period, with one or
// two liable parties (one record each) and a single person discount when
// one adult lives there. LLPG-integrated, clean, learns moves within
// weeks; learns of an adult moving in only when told.

func councilTaxDef() *sourceDef {
	return &sourceDef{
		name:  resindex.SourceCouncilTax,
		attrs: []string{"account_ref", "liability", "single_person_discount", "account_start"},
		//          title middle dob sex nino nhs upn uprn email phone prev hist
		holds: holdRates{1, 1, 1, 0, 0.15, 0, 0, 1, 0.35, 0.6, 0, 0},
		//          typo nick init swap marr dbar dswap ddig dmiss stale afmt pcmis badid
		rates:      errRates{0.05, 0.05, 0.06, 0.04, 0.25, 0.3, 0.015, 0.02, 0.10, 0, 0.08, 0.01, 0.02},
		shield:     [3]float64{0.2, 0.2, 0.6},
		phoneStyle: 1,
		build:      buildCouncilTax,
	}
}

// Council tax attribute slots.
const (
	ctRef uint8 = iota
	ctLiability
	ctSPD
	ctStart
)

// ctAccount is one account being built: its liable parties and discount.
type ctAccount struct {
	ref     string
	o       int32
	liable  []int32 // people liable now, as the account knows them
	recs    []*srec // every liable-party record ever on the account
	spd     bool
	seq     int
	adults  []int32 // adults really living there now
	created day
}

func buildCouncilTax(b *builder) {
	for o := range b.w.occs {
		b.councilTaxAccount(int32(o))
	}
}

// councilTaxAccount opens the account of occupancy o and plays its events.
func (b *builder) councilTaxAccount(o int32) {
	w := b.w
	oc := &w.occs[o]
	var adults []int32
	for _, m := range w.occRes[o] {
		if w.res(m).from == oc.from && w.people[m.pi].adultAt(oc.from) {
			adults = append(adults, m.pi)
		}
	}
	c := oc.from + b.lag([2]int{7, 45})
	if len(adults) == 0 || c > w.end {
		return
	}
	a := &ctAccount{ref: fmt.Sprintf("6%07d", b.nextID(40)), o: o, adults: adults, created: c}
	a.spd = len(adults) == 1 || chance(b.r, w.cfg.FalseSPDRate)
	b.addLiable(a, adults[0], c)
	// A false discount claim names one liable adult; otherwise a couple (and
	// some sharers) are jointly liable.
	if len(adults) > 1 && !a.spd && (w.people[adults[0]].partner == adults[1] || w.hhs[oc.hh].sharers && chance(b.r, 0.5)) {
		b.addLiable(a, adults[1], c)
	}
	b.councilTaxEvents(a)
	if oc.to != never && b.learns(b.prof.MissMove) {
		t := oc.to + b.lag([2]int{14, 60})
		for _, s := range a.recs {
			s.add(change{at: t, op: opDelete})
		}
	}
}

// addLiable adds a liable-party record for pi from day t.
func (b *builder) addLiable(a *ctAccount, pi int32, t day) {
	w := b.w
	a.seq++
	prop := w.occs[a.o].prop
	from := w.occs[a.o].from
	if i := w.people[pi].resAt(t); i >= 0 {
		from = w.people[pi].res[i].from
	}
	s := b.newRec(pi, t, prop, from, fmt.Sprintf("%s-%d", a.ref, a.seq))
	s.occ = a.o
	a.liable = append(a.liable, pi)
	a.recs = append(a.recs, s)
	s.add(change{at: t, op: opAttr, slot: ctRef, sval: a.ref})
	s.add(change{at: t, op: opAttr, slot: ctStart, sval: w.iso(w.occs[a.o].from)})
	b.setLiability(a, t)
	b.setSPD(a, a.spd, t)
	b.followNames(s, t, follow{name: [2]int{30, 180}, missName: b.prof.MissName})
	b.annual(s, t, 3, 10, b.livesAt(pi, prop))
}

// setLiability marks every current party sole or joint from day t.
func (b *builder) setLiability(a *ctAccount, t day) {
	v := "sole"
	if len(a.liable) > 1 {
		v = "joint"
	}
	for i, s := range a.recs {
		if slices.Contains(a.liable, s.person) && i < len(a.recs) {
			s.add(change{at: t, op: opAttr, slot: ctLiability, sval: v})
		}
	}
}

func (b *builder) setSPD(a *ctAccount, on bool, t day) {
	a.spd = on
	for _, s := range a.recs {
		s.add(change{at: t, op: opAttr, slot: ctSPD, sval: fmt.Sprint(on)})
	}
}

// ctEvent is an adult arriving at (or turning 18 in) the property, or
// leaving it.
type ctEvent struct {
	at    day
	pi    int32
	join  bool
	birth bool // a child turning 18
}

// councilTaxEvents replays adults arriving and leaving: the account
// learns some of them, late, which is how false single person discounts
// arise.
func (b *builder) councilTaxEvents(a *ctAccount) {
	for _, e := range b.ctEvents(a.o) {
		if e.at < a.created {
			continue
		}
		if e.join {
			b.ctJoin(a, e)
		} else {
			b.ctLeave(a, e)
		}
	}
}

func (b *builder) ctEvents(o int32) []ctEvent {
	w := b.w
	oc := &w.occs[o]
	var ev []ctEvent
	for _, m := range w.occRes[o] {
		r, p := w.res(m), &w.people[m.pi]
		switch {
		case r.from > oc.from && p.adultAt(r.from):
			ev = append(ev, ctEvent{at: r.from, pi: m.pi, join: true})
		case !p.adultAt(r.from):
			if t := birthday(p.dob, 18); t >= r.from && t < r.to && t <= w.end {
				ev = append(ev, ctEvent{at: t, pi: m.pi, join: true, birth: true})
			}
		}
		if r.to != never && r.to < oc.to && p.adultAt(r.to) {
			ev = append(ev, ctEvent{at: r.to, pi: m.pi})
		}
	}
	slices.SortStableFunc(ev, func(x, y ctEvent) int { return int(x.at) - int(y.at) })
	return ev
}

// ctJoin handles another adult living there now. Council tax hears of it
// if told (a partner is added as joint liable); otherwise a discount stays on.
func (b *builder) ctJoin(a *ctAccount, e ctEvent) {
	a.adults = append(a.adults, e.pi)
	learn := b.w.occs[a.o].ctLearns
	if e.birth {
		learn = chance(b.r, 0.3)
	}
	if !learn {
		return
	}
	t := e.at + b.lag([2]int{30, 180})
	if a.spd {
		b.setSPD(a, false, t)
	}
	if !e.birth && len(a.liable) == 1 && b.w.people[e.pi].partner == a.liable[0] {
		b.addLiable(a, e.pi, t)
	}
}

// ctLeave handles an adult who moved out or died. A liable party's record closes; if
// nobody liable is left, the remaining adult becomes liable; one adult
// left alone usually claims the discount.
func (b *builder) ctLeave(a *ctAccount, e ctEvent) {
	a.adults = without(a.adults, e.pi)
	t := e.at + b.lag([2]int{14, 90})
	if i := slices.Index(a.liable, e.pi); i >= 0 {
		if !b.learns(b.prof.MissMove) {
			return
		}
		a.liable = slices.Delete(a.liable, i, i+1)
		for _, s := range a.recs {
			if s.person == e.pi {
				s.add(change{at: t, op: opDelete})
			}
		}
		if len(a.liable) == 0 && len(a.adults) > 0 {
			b.addLiable(a, a.adults[0], t)
		}
		b.setLiability(a, t)
	}
	if len(a.adults) == 1 && !a.spd && chance(b.r, 0.6) {
		b.setSPD(a, true, t)
	}
}
