package synth

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/resindex/resindex"
)

// peopleRates are the chances that shape the people profile. A person's
// first record is their original: it may be incomplete (the missing
// rates, and how names and addresses are written, apply to every record)
// but never wrong. Their other records are duplicates and may also be
// wrong (the corruption rates apply to duplicates only).
type peopleRates struct {
	// Records per person are 1 plus a geometric count: each further record
	// follows with chance more, up to maxRecords in all.
	more       float64
	maxRecords int

	// Missing on any record.
	givenMissing, familyMissing, sexMissing, addressMissing float64
	dobMissing, dobYearOnly                                 float64 // the DOB is absent, or only its year is given

	// How a present address is written: the postcode (else the town
	// alone), and then the town beside the postcode.
	postcode, postcodeWithTown float64
	// How a middle name is written, when the person has one: in full or
	// as an initial after the given name (else left out).
	middleFull, middleInitial float64

	// Corruption of duplicates.
	dobWrong    float64 // a wrong full date (swapped, a digit off, another year, another date)
	nickname    float64 // a familiar form, among persons whose name has one
	initialOnly float64 // the given name as its initial
	typoGiven   float64
	typoFamily  float64
	swapNames   float64 // given and family names in each other's field
	moved       float64 // another town and postcode
	emailTypo   float64 // among records carrying the email

	// Emails: the share of persons with one, and of their records that carry it.
	emailPerson, emailCarried float64
}

// peopleDefaults are modelled on the public benchmark sets: about 3
// records a person, a quarter of duplicate dates of birth wrong, and
// fields missing in a few to 15 percent of records.
var peopleDefaults = peopleRates{
	more: 0.68, maxRecords: 12,
	givenMissing: 0.04, familyMissing: 0.04, sexMissing: 0.08, addressMissing: 0.12,
	dobMissing: 0.12, dobYearOnly: 0.05,
	postcode: 0.3, postcodeWithTown: 0.5,
	middleFull: 0.45, middleInitial: 0.15,
	dobWrong: 0.25, nickname: 0.15, initialOnly: 0.04, typoGiven: 0.08, typoFamily: 0.08,
	swapNames: 0.05, moved: 0.10, emailTypo: 0.15,
	emailPerson: 0.40, emailCarried: 0.60,
}

// recordCount draws how many records a person has.
func (rt *peopleRates) recordCount(r *rand.Rand) int {
	n := 1
	for n < rt.maxRecords && chance(r, rt.more) {
		n++
	}
	return n
}

// recordName writes the person's name as one record has it.
func (p *pperson) recordName(r *rand.Rand, rt *peopleRates, dup bool) resindex.Name {
	first, family := p.given, p.family
	initial := false
	if nick := nicknames[first]; dup && len(nick) > 0 && chance(r, rt.nickname) {
		first = pick(r, nick)
	} else if dup && chance(r, rt.initialOnly) {
		first, initial = initialOf(first), true
	}
	if dup && !initial && chance(r, rt.typoGiven) {
		first = typo(r, first)
	}
	if dup && chance(r, rt.typoFamily) {
		family = typo(r, family)
	}
	given := first
	if p.middle != "" {
		given = withMiddle(r, rt, first, p.middle, initial)
	}
	if dup && chance(r, rt.swapNames) {
		given, family = family, first
	}
	if chance(r, rt.givenMissing) {
		given = ""
	}
	if chance(r, rt.familyMissing) {
		family = ""
	}
	return resindex.Name{Given: given, Family: family}
}

// withMiddle adds the middle name in full, as an initial, or not at all;
// after an initial, only as an initial.
func withMiddle(r *rand.Rand, rt *peopleRates, first, middle string, initial bool) string {
	switch choose(r, rt.middleFull, rt.middleInitial, 1-rt.middleFull-rt.middleInitial) {
	case 0:
		if !initial {
			return first + " " + middle
		}
		return first + " " + initialOf(middle)
	case 1:
		return first + " " + initialOf(middle)
	}
	return first
}

// recordDOB writes the date of birth as one record has it: missing, the
// year only, wrong (duplicates only) or right.
func (p *pperson) recordDOB(r *rand.Rand, rt *peopleRates, dup bool) string {
	wrong := 0.0
	if dup {
		wrong = rt.dobWrong
	}
	switch choose(r, rt.dobMissing, rt.dobYearOnly, wrong, 1-rt.dobMissing-rt.dobYearOnly-wrong) {
	case 0:
		return ""
	case 1:
		return strconv.Itoa(p.dob.year())
	case 2:
		return wrongDOB(r, p.dob).iso()
	}
	return p.dob.iso()
}

// wrongDOB returns a date that differs from d the ways dates of birth go
// wrong in registers: day and month swapped, one digit mistyped, the year
// off by one or by several, or another date altogether.
func wrongDOB(r *rand.Rand, d day) day {
	y, m, dd := d.civil()
	for {
		var w day
		switch choose(r, 0.2, 0.3, 0.2, 0.15, 0.15) {
		case 0:
			if dd > 12 || dd == m {
				continue // no swap reads as a date: draw another kind
			}
			w = date(y, monthOf(dd), m)
		case 1:
			w = dobOneDigit(r, d)
		case 2:
			w = date(y+pick(r, []int{-1, 1}), monthOf(m), dd)
		case 3:
			w = date(y+pick(r, []int{-1, 1})*between(r, 2, 10), monthOf(m), dd)
		default:
			w = randomDOB(r)
		}
		if w != d {
			return w
		}
	}
}

// recordAddress writes where the record places the person: a town, a
// postcode with or without the town, or nothing. A duplicate may have
// been taken after a move.
func (p *pperson) recordAddress(r *rand.Rand, rt *peopleRates, dup bool) (resindex.Address, bool) {
	if chance(r, rt.addressMissing) {
		return resindex.Address{}, false
	}
	t, pc := p.town, p.postcode
	if dup && chance(r, rt.moved) {
		t = otherTown(r, t)
		pc = ukPostcode(r, &ukTowns[t])
	}
	a := resindex.Address{Town: ukTowns[t].name, Current: true}
	if chance(r, rt.postcode) {
		a.Postcode = pc
		if !chance(r, rt.postcodeWithTown) {
			a.Town = ""
		}
	}
	return a, true
}

// recordEmail returns the email the record carries, if any; a duplicate
// may have it mistyped in the part before the @.
func (p *pperson) recordEmail(r *rand.Rand, rt *peopleRates, dup bool) string {
	if p.email == "" || !chance(r, rt.emailCarried) {
		return ""
	}
	if dup && chance(r, rt.emailTypo) {
		local, domain, _ := strings.Cut(p.email, "@")
		return typo(r, local) + "@" + domain
	}
	return p.email
}
