package synth

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/resindex/resindex"
)

// streamPeople is the people profile's random stream, apart from every
// stream of the borough.
const streamPeople = streamEvents + 64

// PeopleSources are the registers of the people profile, in file order.
// Their names say nothing about what they hold: unlike the borough's
// council systems, each is just another list of people.
var PeopleSources = []string{"register_a", "register_b", "register_c"}

// peopleSourceW spreads records unevenly over the registers, so that one
// person's records are mostly, but not always, in different registers.
var peopleSourceW = newWeighted([]float64{0.45, 0.35, 0.20})

// PeopleConfig sets the size and seed of a people-profile data set.
type PeopleConfig struct {
	Persons int    // true persons; each has 1 to 12 records (about 3 on average)
	Seed    uint64 // same seed → same bytes
}

// People is a person-linkage data set shaped like the public benchmark
// sets (Splink's fake_1000 and historical_50k) rather than like a
// borough: a flat list of persons, each recorded one or more times with
// heavy date-of-birth errors, missing fields and name variants, and no
// households, property references, address lines, phones or identifiers.
// Every record has one version.
type People struct {
	Records map[string][]resindex.Record // per register in PeopleSources, in id order
	Truth   []TruthRow                   // one per record, in source and id order

	persons []pperson               // the truth behind the records, for tests
	info    map[string][]recordInfo // parallel to Records
}

// recordInfo is what the truth knows of one record: whose it is and
// whether it is a duplicate (not the person's first, original record).
type recordInfo struct {
	person int32
	dup    bool
}

// GeneratePeople builds the data set in memory. It draws everything from
// one stream in person order, so the same config gives the same records.
func GeneratePeople(cfg PeopleConfig) (*People, error) {
	if cfg.Persons < 1 || cfg.Persons > 20_000_000 {
		return nil, fmt.Errorf("synth: people: Persons %d: want 1 to 20,000,000", cfg.Persons)
	}
	r := newRand(cfg.Seed, streamPeople)
	rt := &peopleDefaults
	p := &People{persons: make([]pperson, cfg.Persons)}
	recs := make([][]resindex.Record, len(PeopleSources))
	info := make([][]recordInfo, len(PeopleSources))
	for pi := range p.persons {
		p.persons[pi] = newPPerson(r, rt)
		for j := range rt.recordCount(r) {
			s := peopleSourceW.draw(r)
			recs[s] = append(recs[s], p.persons[pi].record(r, rt, j > 0))
			info[s] = append(info[s], recordInfo{person: int32(pi), dup: j > 0})
		}
	}
	p.assemble(r, recs, info)
	return p, nil
}

// assemble shuffles each register, so that neither ids nor file order
// give away whose records go together, then numbers the records and
// writes the truth.
func (p *People) assemble(r *rand.Rand, recs [][]resindex.Record, info [][]recordInfo) {
	p.Records = make(map[string][]resindex.Record, len(PeopleSources))
	p.info = make(map[string][]recordInfo, len(PeopleSources))
	for s, name := range PeopleSources {
		rs, in := recs[s], info[s]
		r.Shuffle(len(rs), func(i, j int) { rs[i], rs[j], in[i], in[j] = rs[j], rs[i], in[j], in[i] })
		// Ids are zero-padded to one width, so that their text order is
		// their number order and the truth comes out sorted.
		width := max(7, len(strconv.Itoa(len(rs))))
		prefix := "R" + strings.ToUpper(name[len(name)-1:])
		for i := range rs {
			rs[i].Source, rs[i].ID = name, fmt.Sprintf("%s%0*d", prefix, width, i+1)
			p.Truth = append(p.Truth, TruthRow{Source: name, ID: rs[i].ID, PersonID: personID(in[i].person)})
		}
		p.Records[name], p.info[name] = rs, in
	}
}

// pperson is one true person of the people profile.
type pperson struct {
	o                     *origin
	sex                   byte
	dob                   day
	given, middle, family string
	town                  int    // index in ukTowns
	postcode              string // in that town
	email                 string // "" for most
}

// Dates of birth span everyone alive and recorded: born 1925 to 2015.
var (
	firstBirth = date(1925, 1, 1)
	lastBirth  = date(2015, 12, 31)
)

// newPPerson draws a person from the borough's naming traditions, so that
// common names are as common as they are there; no one shares an address
// or a family with anyone.
func newPPerson(r *rand.Rand, rt *peopleRates) pperson {
	o := origins[originW.draw(r)]
	sex := byte('M')
	if r.IntN(2) == 0 {
		sex = 'F'
	}
	dob := randomDOB(r)
	y := dob.year()
	given := o.givenName(r, sex, y)
	p := pperson{o: o, sex: sex, dob: dob, given: given, middle: o.middleName(r, sex, y, given),
		family: o.forSex(o.familyName(r), sex), town: ukTownW.draw(r)}
	p.postcode = ukPostcode(r, &ukTowns[p.town])
	if chance(r, rt.emailPerson) {
		p.email = emailFor(r, p.given, p.family, y)
	}
	return p
}

// randomDOB draws a date of birth uniformly over the span.
func randomDOB(r *rand.Rand) day { return firstBirth + day(r.IntN(int(lastBirth-firstBirth)+1)) }

// record writes one record of p; dup marks a duplicate, which may also be
// wrong, where the original may only be incomplete.
func (p *pperson) record(r *rand.Rand, rt *peopleRates, dup bool) resindex.Record {
	rec := resindex.Record{Name: p.recordName(r, rt, dup), DOB: p.recordDOB(r, rt, dup), Sex: string(p.sex)}
	if chance(r, rt.sexMissing) {
		rec.Sex = ""
	}
	if a, ok := p.recordAddress(r, rt, dup); ok {
		rec.Addresses = []resindex.Address{a}
	}
	if e := p.recordEmail(r, rt, dup); e != "" {
		rec.Emails = []string{e}
	}
	// The register recorded the person on some day after their birth;
	// that day is the record's only version and its last activity.
	on := day(between(r, int(max(p.dob, date(2000, 1, 1))), int(date(2024, 12, 31))))
	rec.LastActivity = on.iso()
	rec.Version = rec.LastActivity + "T" + clock(r) + "Z"
	return rec
}

// clock draws a time of day in office hours, HH:MM:SS.
func clock(r *rand.Rand) string {
	b := append2(nil, between(r, 8, 17))
	b = append2(append(b, ':'), r.IntN(60))
	return string(append2(append(b, ':'), r.IntN(60)))
}
