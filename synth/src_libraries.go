package synth

import (
	"fmt"

	"github.com/resindex/resindex"
)

// Libraries: a borrower record per card, for all ages. Borrowers update
// their address when they renew, if at all; a card is purged a couple of
// years after its holder stops borrowing. Someone who moved and never told
// the library sometimes joins again at their new branch: a duplicate card.

func librariesDef() *sourceDef {
	return &sourceDef{
		name:  resindex.SourceLibraries,
		attrs: []string{"borrower_type"},
		//          title middle dob sex nino nhs upn uprn email phone prev hist
		holds: holdRates{0.3, 0, 1, 0.4, 0, 0, 0, 0.05, 0.6, 0.5, 0, 0},
		//          typo nick init swap marr dbar dswap ddig dmiss stale afmt pcmis badid
		rates:      errRates{0.12, 0.14, 0.06, 0.05, 0.4, 0.5, 0.04, 0.05, 0.18, 0, 0.3, 0.08, 0.3},
		shield:     [3]float64{0, 0, 0.3},
		phoneStyle: 0,
		build:      buildLibraries,
	}
}

func buildLibraries(b *builder) {
	w := b.w
	for pi := range w.people {
		p := &w.people[pi]
		if !chance(b.r, b.prof.Coverage) {
			continue
		}
		if t, ok := b.joinDay(p); ok {
			b.card(int32(pi), t)
		}
	}
}

// joinDay draws when someone got their card: for people already here,
// usually years before the timeline; otherwise at some point while they
// live here, from the age of four.
func (b *builder) joinDay(p *person) (day, bool) {
	w := b.w
	first := p.res[0].from
	lo := max(first, birthday(p.dob, 4))
	hi := p.res[len(p.res)-1].to
	hi = min(hi, w.end)
	if lo >= hi {
		return 0, false
	}
	if lo < w.start && chance(b.r, 0.65) {
		lo = max(lo, w.start-8*365)
		hi = min(hi, w.start)
	}
	if lo >= hi {
		return 0, false
	}
	return lo + day(b.r.IntN(int(hi-lo))), true
}

// card builds a borrower record from day t, and sometimes a second card
// after a move the library never heard of.
func (b *builder) card(pi int32, t day) {
	w := b.w
	p := &w.people[pi]
	ri := p.resAt(t)
	if ri < 0 {
		return
	}
	s := b.newRec(pi, t, w.occs[p.res[ri].occ].prop, p.res[ri].from, fmt.Sprintf("2%013d", 21000000000+b.nextID(200)))
	kind := "adult"
	switch age := ageAt(p.dob, t); {
	case age < 16:
		kind = "child"
	case age >= 65:
		kind = "concession"
	}
	s.add(change{at: t, op: opAttr, sval: kind})
	f := b.profileFollow([2]int{540, 900}, [2]int{90, 720}, 0.4, 0.4)
	b.follow(s, t, f)
	b.loans(s, t, pi)
	for i := ri + 1; i < len(p.res); i++ {
		if d := p.res[i].from + b.lag([2]int{30, 365}); d <= w.end && d < p.res[i].to && chance(b.r, 0.08) {
			b.card(pi, d)
			return
		}
	}
}

// loans records borrowing: at most one activity every half year, while
// the borrower lives in the borough.
func (b *builder) loans(s *srec, t day, pi int32) {
	in := b.inBorough(pi)
	for d := max(t, b.w.start-365) + day(b.r.IntN(180)); d <= b.w.end; d += 180 + day(b.r.IntN(200)) {
		if in(d) && chance(b.r, 0.6) {
			s.add(change{at: d, op: opActivity})
		}
	}
}
