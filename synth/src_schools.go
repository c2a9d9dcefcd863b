package synth

import (
	"fmt"
	"strconv"
	"time"

	"github.com/resindex/resindex"
)

// Schools: a pupil record per child per school (primary, then secondary),
// keyed by admission number, always with the UPN. Children start in the
// September after their fourth birthday and leave in the July of Year 11;
// a child moving within the borough stays at the same school.

func schoolsDef() *sourceDef {
	return &sourceDef{
		name:  resindex.SourceSchools,
		attrs: []string{"school", "year_group", "establishment"},
		//          title middle dob sex nino nhs upn uprn email phone prev hist
		holds: holdRates{0, 1, 1, 1, 0, 0, 1, 0.3, 0, 0, 0, 0},
		//          typo nick init swap marr dbar dswap ddig dmiss stale afmt pcmis badid
		rates:      errRates{0.03, 0.05, 0, 0.03, 0, 0.3, 0.01, 0.015, 0.005, 0, 0.1, 0.02, 0.01},
		shield:     [3]float64{0, 0, 0.8},
		phoneStyle: 0,
		build:      buildSchools,
	}
}

// School attribute slots.
const (
	scSchool uint8 = iota
	scYear
	scEstab
)

// receptionStart is the September a child born on dob starts school.
func receptionStart(dob day) day {
	b4 := birthday(dob, 4)
	y := b4.year()
	if b4 >= date(y, time.September, 1) {
		y++
	}
	return date(y, time.September, 1)
}

func buildSchools(b *builder) {
	w := b.w
	var primaries, secondaries []school
	for _, s := range w.g.schools {
		if s.secondary {
			secondaries = append(secondaries, s)
		} else {
			primaries = append(primaries, s)
		}
	}
	for pi := range w.people {
		p := &w.people[pi]
		if p.upn == "" || !chance(b.r, b.prof.Coverage) {
			continue
		}
		rs := receptionStart(p.dob)
		y7 := date(rs.year()+7, time.September, 1)
		b.pupil(int32(pi), rs, y7, pick(b.r, primaries), 0)
		b.pupil(int32(pi), y7, date(rs.year()+12, time.July, 20), pick(b.r, secondaries), 7)
	}
}

// pupil builds the record of a child at one school from the first
// September of the phase (or arrival) to the last July (or departure).
func (b *builder) pupil(pi int32, phaseStart, phaseEnd day, sc school, firstYear int) {
	w := b.w
	p := &w.people[pi]
	i := firstRes(p, phaseStart)
	if i < 0 || p.res[i].from >= phaseEnd || phaseStart > w.end {
		return
	}
	t := max(phaseStart, p.res[i].from+b.lag([2]int{7, 30}))
	if t >= phaseEnd || t > w.end || (p.res[i].to != never && t >= p.res[i].to) {
		return
	}
	s := b.newRec(pi, t, w.occs[p.res[i].occ].prop, p.res[i].from, fmt.Sprintf("%s-%05d", sc.estab, b.nextID(3)))
	s.add(change{at: t, op: opAttr, slot: scSchool, sval: sc.name})
	s.add(change{at: t, op: opAttr, slot: scEstab, sval: w.la + sc.estab})
	for y, d := firstYear, phaseStart; d < phaseEnd && d <= w.end; y++ {
		next := date(d.year()+1, time.September, 1)
		if next > t {
			s.add(change{at: max(d, t), op: opAttr, slot: scYear, sval: yearGroup(y)})
		}
		d = next
	}
	b.annual(s, t, 10, 5, b.inBorough(pi)) // the autumn census
	f := b.profileFollow([2]int{30, 120}, [2]int{14, 60}, 0.1, 0.02)
	b.follow(s, t, f)
	if phaseEnd <= w.end {
		s.add(change{at: phaseEnd, op: opDelete})
	}
}

// yearGroup names a school year: R for reception, then 1 to 11.
func yearGroup(y int) string {
	if y == 0 {
		return "R"
	}
	return strconv.Itoa(y)
}
