package synth

import (
	"math/rand/v2"

	"github.com/resindex/resindex"
)

// Adult social care needs, as a bit set in careSpell.level.
const (
	ascDisability uint8 = 1 << iota
	ascCaution
)

// assignCare decides which members of household h, present from day at,
// are or become known to social care, and from when. Children's services
// know whole sibling groups, more often in lone-parent families and social
// housing; adult social care knows mostly older people.
func (w *world) assignCare(r *rand.Rand, h int32, at day) {
	members := w.hhs[h].members
	lone := len(w.adults(h, at)) == 1
	social := w.g.props[w.occs[w.hhs[h].occ].prop].tenure == tenureSocial
	// Some spells start after the end and cases close at 18, so families
	// are drawn a little more often than the coverage share of children.
	p := w.cfg.Sources[resindex.SourceChildrenSocial].Coverage * 1.5
	p *= pickF(lone, 1.8, 0.7) * pickF(social, 1.5, 0.8)
	known := chance(r, p)
	for _, pi := range members {
		pp := &w.people[pi]
		switch {
		case !pp.adultAt(at):
			if known && chance(r, 0.85) {
				pp.csc = w.cscSpell(r, pp.dob, at)
			}
		case chance(r, w.cfg.Sources[resindex.SourceAdultSocialCare].Coverage*pickF(ageAt(pp.dob, at) >= 65, 4.5, 0.6)):
			pp.asc = w.ascSpell(r, birthday(pp.dob, 18), at)
		}
	}
}

// babyCare makes a baby born into a family children's services know often
// known from birth (pre-birth assessments).
func (w *world) babyCare(r *rand.Rand, h, pi int32, d day) {
	if w.knownChild(h, d) && chance(r, 0.4) {
		w.people[pi].csc = careSpell{from: d, level: cscInNeed, escalate: never}
	}
}

// spellStart draws when involvement began: before the timeline for people
// already here (about half the time), otherwise during it.
func (w *world) spellStart(r *rand.Rand, earliest, at day) day {
	lo := max(earliest, at)
	if at <= w.start && chance(r, 0.55) {
		lo = max(earliest, w.start-3*365)
		return lo + day(r.IntN(int(max(1, w.start-lo))))
	}
	hi := w.end - 90
	if lo+30 >= hi {
		return never
	}
	return lo + 30 + day(r.IntN(int(hi-lo-30)))
}

func (w *world) cscSpell(r *rand.Rand, dob, at day) careSpell {
	from := w.spellStart(r, dob, at)
	if from == never || ageAt(dob, from) >= 18 {
		return careSpell{from: never, escalate: never}
	}
	s := careSpell{from: from, level: uint8(choose(r, 72, 18, 10)), escalate: never}
	if s.level == cscInNeed && chance(r, 0.15) && from+30 < w.end {
		s.escalate = from + 30 + day(r.IntN(int(w.end-from-30)))
	}
	return s
}

func (w *world) ascSpell(r *rand.Rand, adult, at day) careSpell {
	s := careSpell{from: w.spellStart(r, adult, at), escalate: never}
	if chance(r, 0.6) {
		s.level |= ascDisability
	}
	if chance(r, 0.06) {
		s.level |= ascCaution
	}
	return s
}

func pickF(c bool, a, b float64) float64 {
	if c {
		return a
	}
	return b
}
