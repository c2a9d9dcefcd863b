package synth

import (
	"math/rand/v2"

	"github.com/resindex/resindex"
)

// hold is the set of fields a source record holds, drawn per record from
// the source's habits: a library rarely has a UPRN, social care usually
// has an NHS number.
type hold uint16

const (
	holdTitle hold = 1 << iota
	holdMiddle
	holdDOB
	holdSex
	holdNINO
	holdNHS
	holdUPN
	holdUPRN
	holdEmail
	holdPhone
	holdPrevNames
	holdHistory
	numHolds = iota
)

// holdRates is the chance a record holds each field, in hold bit order.
type holdRates [numHolds]float64

// Flag bits of rstate.flags, rendered in this order.
var flagNames = []string{
	resindex.FlagChildProtectionPlan, resindex.FlagLookedAfter, resindex.FlagChildInNeed,
	resindex.FlagCaution, resindex.FlagDisability, resindex.FlagRestricted, resindex.FlagStaff, resindex.FlagVIP,
}

const (
	flagCPP int32 = iota
	flagLAC
	flagCIN
	flagCaution
	flagDisability
	flagRestricted
	flagStaff
	flagVIP
)

// sourceDef describes one source system: what it holds, how sloppy it is,
// which attributes it keeps and how it builds its records.
type sourceDef struct {
	name   string
	attrs  []string // attribute slot names
	holds  holdRates
	rates  errRates
	shield [3]float64 // chance of flagging a staff member, a VIP, a restricted person
	// phoneStyle: 0 07700900123, 1 07700 900123, 2 +447700900123, 3 +44 (0)7700900123.
	phoneStyle int
	spaced     float64 // scale on printing NHS numbers and NINOs with spaces
	build      func(b *builder)
}

// sourceDefs returns the ten sources in resindex.Sources order.
func sourceDefs() []*sourceDef {
	return []*sourceDef{
		councilTaxDef(), housingDef(), benefitDef(), electoralDef(), ascDef(), cscDef(),
		schoolsDef(), librariesDef(), parkingDef(), contactDef(),
	}
}

// builder builds one source's records from the world, with its own random
// stream so that sources can be built in any order, or at once.
type builder struct {
	w     *world
	def   *sourceDef
	src   uint8
	prof  SourceProfile
	r     *rand.Rand
	recs  []*srec
	seq   uint64
	scale float64
	ids   int // next serial for record ids
}

func newBuilder(w *world, def *sourceDef, src int) *builder {
	prof := w.cfg.Sources[def.name]
	return &builder{w: w, def: def, src: uint8(src), prof: prof,
		r:     newRand(w.cfg.Seed, streamSources+uint64(src)),
		scale: prof.Errors * w.cfg.ErrorScale}
}

// newRec starts a record about person pi, created on day at, at property
// prop where they have lived since from.
func (b *builder) newRec(pi int32, at day, prop int32, from day, id string) *srec {
	p := &b.w.people[pi]
	b.seq++
	s := &srec{src: b.src, id: id, person: pi, seed: mix(b.w.cfg.Seed ^ uint64(b.src)<<56 ^ b.seq), occ: -1}
	s.hold = b.drawHold(p)
	s.errs = pickErrors(b.r, &b.def.rates, b.scale, p, s.hold)
	if s.errs.has(errInvalidIdentifier) {
		s.badID = pickBadID(b.r, s.hold)
	}
	s.start = at
	s.changes = append(s.changes, change{at: at, op: opCreate, val: prop, from: from})
	s.add(change{at: at, op: opName, val: int32(p.nameAt(at))})
	b.shieldFlags(s, p, at)
	b.recs = append(b.recs, s)
	return s
}

// drawHold decides which fields the record holds, never an identifier or
// contact detail the person does not have.
func (b *builder) drawHold(p *person) hold {
	var h hold
	for i, rate := range b.def.holds {
		if chance(b.r, rate) {
			h |= 1 << i
		}
	}
	for _, f := range []struct {
		bit  hold
		have bool
	}{{holdNINO, p.nino != ""}, {holdUPN, p.upn != ""}, {holdEmail, p.email != ""},
		{holdPhone, p.phone != ""}, {holdMiddle, p.middle != ""}} {
		if !f.have {
			h &^= f.bit
		}
	}
	return h
}

// pickBadID chooses which held identifier the record gets wrong.
func pickBadID(r *rand.Rand, h hold) string {
	var kinds []string
	for _, k := range []struct {
		bit  hold
		kind string
	}{{holdNHS, resindex.IDNHS}, {holdNINO, resindex.IDNINO}, {holdUPN, resindex.IDUPN}, {holdUPRN, resindex.IDUPRN}} {
		if h&k.bit != 0 {
			kinds = append(kinds, k.kind)
		}
	}
	return pick(r, kinds)
}

// shieldFlags marks staff, VIPs and restricted people the way this source
// does.
func (b *builder) shieldFlags(s *srec, p *person, at day) {
	for i, f := range []int32{flagStaff, flagVIP, flagRestricted} {
		if p.shield&(1<<i) != 0 && chance(b.r, b.def.shield[i]) {
			s.add(change{at: at, op: opFlag, val: f})
		}
	}
}

// lag draws a delay in days from a [min, max] range.
func (b *builder) lag(r [2]int) day { return day(between(b.r, r[0], r[1])) }

// learns draws whether the source ever learns of something it misses with
// probability miss.
func (b *builder) learns(miss float64) bool { return !chance(b.r, miss) }

// nextID returns a fresh serial, starting at a seeded offset so that ids
// do not look like row numbers.
func (b *builder) nextID(step int) int {
	if b.ids == 0 {
		b.ids = 1000 + b.r.IntN(9000)
	}
	b.ids += 1 + b.r.IntN(step)
	return b.ids
}

// follow is how a source that keeps one record per person (social care,
// schools, libraries, parking, the contact centre) tracks them after
// creating the record on day c: it learns moves, name changes, a move out
// of the borough and a death, each late or never.
type follow struct {
	move, name, gone, death [2]int // lags in days
	missMove, missName      float64
	missGone, missDeath     float64
	at                      func(event day) day // optional: learn only at this day after the event (renewals)
}

// profileFollow takes move and name learning from the source's profile.
func (b *builder) profileFollow(gone, death [2]int, missGone, missDeath float64) follow {
	return follow{move: b.prof.LearnMove, name: [2]int{b.prof.LearnMove[0], b.prof.LearnMove[1] * 2},
		gone: gone, death: death, missMove: b.prof.MissMove, missName: b.prof.MissName,
		missGone: missGone, missDeath: missDeath}
}

func (b *builder) when(f *follow, event day, lag [2]int) day {
	if f.at != nil {
		return f.at(event)
	}
	return event + b.lag(lag)
}

// follow adds to s the changes the source makes after creating it on c.
func (b *builder) follow(s *srec, c day, f follow) {
	p := &b.w.people[s.person]
	last := c
	for i := 1; i < len(p.res); i++ {
		r := p.res[i]
		if r.from <= c || !b.learns(f.missMove) {
			continue
		}
		t := max(last, b.when(&f, r.from, f.move))
		s.add(change{at: t, op: opAddress, val: b.w.occs[r.occ].prop, from: r.from})
		last = t
	}
	b.followNames(s, c, f)
	b.followExit(s, c, f)
}

// followNames learns family-name changes after day c.
func (b *builder) followNames(s *srec, c day, f follow) {
	p := &b.w.people[s.person]
	for k := 1; k < len(p.names); k++ {
		if n := p.names[k]; n.from > c && b.learns(f.missName) {
			s.add(change{at: b.when(&f, n.from, f.name), op: opName, val: int32(k)})
		}
	}
}

// followExit closes the record when the source learns the person died or
// left the borough.
func (b *builder) followExit(s *srec, c day, f follow) {
	p := &b.w.people[s.person]
	last := p.res[len(p.res)-1]
	switch {
	case last.to == never || last.to < c:
	case p.death == last.to:
		if b.learns(f.missDeath) {
			s.add(change{at: b.when(&f, last.to, f.death), op: opDelete})
		}
	case b.learns(f.missGone):
		s.add(change{at: b.when(&f, last.to, f.gone), op: opDelete})
	}
}

// annual adds an activity on the given day of each year from c to the end
// while present(day) holds: billing, canvass, reviews. Activity more than
// a year before the timeline is not replayed: only the latest matters.
func (b *builder) annual(s *srec, c day, month, dom int, present func(day) bool) {
	c = max(c, b.w.start-365)
	for d := nextAnnual(c, monthOf(month), dom); d <= b.w.end; d = nextAnnual(d, monthOf(month), dom) {
		if present(d) {
			s.add(change{at: d, op: opActivity})
		}
	}
}

// livesAt returns a test for "person pi lives at prop on day d".
func (b *builder) livesAt(pi, prop int32) func(day) bool {
	return func(d day) bool { return b.w.propAt(pi, d) == prop }
}

// inBorough returns a test for "person pi lives in the borough on day d".
func (b *builder) inBorough(pi int32) func(day) bool {
	return func(d day) bool { return b.w.people[pi].resAt(d) >= 0 }
}

// firstRes returns the person's residence on day d or the first one after.
func firstRes(p *person, d day) int {
	for i, r := range p.res {
		if r.to > d {
			return i
		}
	}
	return -1
}
