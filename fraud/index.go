package fraud

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/resindex/resindex"
)

// Scan feeds the checks every live record in the index that belongs to a
// person, once, with the person's ID and the property the record's
// current address places them at. The record may be reused between
// calls. The resolver's LiveRecords is one.
type Scan func(fn func(pid string, r *resindex.Record, place resindex.Property) error) error

// EvidenceSources are the systems whose records the checks weigh: where
// people live, pay, claim, vote, borrow, park, go to school and say they
// live when they call. Social care records are never fraud evidence
// (special category data: health and care).
var EvidenceSources = []string{
	resindex.SourceCouncilTax, resindex.SourceHousing, resindex.SourceHousingBenefit,
	resindex.SourceElectoralRoll, resindex.SourceLibraries, resindex.SourceParking, resindex.SourceSchools,
	resindex.SourceContactCentre,
}

// DisregardAttribute is the record attribute by which a source marks a
// person disregarded for council tax (a student, a carer, severe mental
// impairment…): any value but empty or "false" disregards them.
const DisregardAttribute = "council_tax_disregard"

// day is a calendar day as a count of days (shifted: see epochShift); 0
// is unknown.
type day int32

func dayOf(s string) day {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return 0
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || y < 1 || m < 1 || m > 12 || d < 1 || d > daysIn(y, m) {
		return 0
	}
	return day(daysFromCivil(y, m, d) + epochShift)
}

// epochShift keeps every day from the year 1 on above 0, which means
// unknown.
const epochShift = 1 << 20

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func daysIn(y, m int) int {
	if m == 2 {
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	}
	return 31 - (m-1)%7%2
}

// daysFromCivil counts days from 1970-01-01 to a Gregorian date (Howard
// Hinnant's algorithm): dates are parsed a million times a run, and
// time.Parse is a tenth of it.
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func (d day) String() string {
	if d == 0 {
		return ""
	}
	return time.Unix(int64(d-epochShift)*86400, 0).UTC().Format(time.DateOnly)
}

// rec is what the checks keep of one live record.
type rec struct {
	key    resindex.RecordKey
	person int32
	place  string // property key: "uprn:N", or the address's own key
	uprn   string
	moved  day               // the day it says its subject moved in (else when written)
	active day               // last activity (else when written)
	attrs  map[string]string // lower case, for matching
	ref    string            // tenancy_ref or account_ref as the source spells it
}

// person is what the checks keep of one person.
type person struct {
	id string
	// adult is the day the person turns 18 by the latest date any record
	// gives (a date of birth, the register's attainment date): 0 when no
	// record dates them, a possible adult.
	adult day
	// childRec is the last activity of their latest children's social
	// care record or record with a child flag, and its source: while
	// that is within the activity window, the index treats them as a
	// child, as access does.
	childRec    day
	childSource string
	// dobs are the full dates of birth their records give.
	dobs       []string
	restricted bool
	disregard  bool
	recs       []int32
	// names are the family names and first given names the person's
	// records give, lower case: to tell a record of theirs the matcher
	// left apart from another adult's.
	names []string
}

// index is the whole index as the checks read it.
type index struct {
	recs    []rec
	persons []person
	byPlace map[string][]int32
	byID    map[string]int32
	// clock is each source's newest day: its "now", so that a source
	// whose extract is a month old is not taken for inactive.
	clock map[string]day
	now   day
}

var evidence = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range EvidenceSources {
		m[s] = true
	}
	return m
}()

// kept are the attributes a check reads.
var kept = []string{"tenancy_ref", "tenancy_role", "tenancy_start", "single_person_discount",
	"account_ref", "account_start", "liability", "benefit_role", "claim_ref"}

// load reads the index through scan.
func load(scan Scan) (*index, error) {
	x := &index{byPlace: map[string][]int32{}, byID: map[string]int32{}, clock: map[string]day{}}
	err := scan(func(pid string, r *resindex.Record, place resindex.Property) error {
		x.add(x.person(pid), r, place)
		return nil
	})
	for _, d := range x.clock {
		x.now = max(x.now, d)
	}
	x.order()
	return x, err
}

// order sorts every person's records and every property's by record key:
// the scan hands records over in no set order, and the checks' ties and
// lists must not depend on it.
func (x *index) order() {
	byKey := func(a, b int32) int { return x.recs[a].key.Compare(x.recs[b].key) }
	for i := range x.persons {
		slices.SortFunc(x.persons[i].recs, byKey)
	}
	for _, l := range x.byPlace {
		slices.SortFunc(l, byKey)
	}
}

// person is the index of a person, added when first seen.
func (x *index) person(pid string) int32 {
	pi, ok := x.byID[pid]
	if !ok {
		pi = int32(len(x.persons))
		x.byID[pid] = pi
		x.persons = append(x.persons, person{id: pid})
	}
	return pi
}

// add keeps what the checks need of one record of person pi.
func (x *index) add(pi int32, r *resindex.Record, place resindex.Property) {
	ps := &x.persons[pi]
	if slices.Contains(r.Flags, resindex.FlagRestricted) {
		ps.restricted = true
	}
	ps.names = addName(addName(ps.names, r.Name.Family), firstWord(r.Name.Given))
	ps.age(r)
	if disregards(r.Attributes[DisregardAttribute]) {
		ps.disregard = true
	}
	written := dayOf(r.Version)
	x.clock[r.Source] = max(x.clock[r.Source], written)
	active := written
	if d := dayOf(r.LastActivity); d != 0 {
		active = d
	}
	if childRecord(r) && active > ps.childRec {
		ps.childRec, ps.childSource = active, r.Source
	}
	if !evidence[r.Source] {
		return
	}
	c := rec{key: r.Key(), person: pi, place: place.Key, uprn: place.UPRN, moved: written, active: active}
	if a, ok := resindex.CurrentAddress(r); ok {
		if d := dayOf(a.From); d != 0 {
			c.moved = d
		}
	}
	c.ref = cmp.Or(r.Attributes["tenancy_ref"], r.Attributes["account_ref"])
	for _, k := range kept {
		if v := r.Attributes[k]; v != "" {
			if c.attrs == nil {
				c.attrs = map[string]string{}
			}
			c.attrs[k] = strings.ToLower(v)
		}
	}
	ri := int32(len(x.recs))
	x.recs = append(x.recs, c)
	ps.recs = append(ps.recs, ri)
	if c.place != "" {
		x.byPlace[c.place] = append(x.byPlace[c.place], ri)
	}
}

// age keeps what a record says of its subject's age: the latest 18th
// birthday any record gives, so that a person whose records disagree is
// taken for the younger (a possible child is never counted as an adult).
func (ps *person) age(r *resindex.Record) {
	if d, err := resindex.ParsePartialDate(r.DOB); err == nil && !d.IsZero() {
		ps.adult = max(ps.adult, dayOf(d.Latest().AddDate(18, 0, 0).Format(time.DateOnly)))
		if d.Precision == resindex.PrecisionDay && !slices.Contains(ps.dobs, r.DOB[:10]) {
			ps.dobs = append(ps.dobs, r.DOB[:10])
		}
	}
	if d, err := resindex.ParsePartialDate(r.Attributes["attainment_date"]); err == nil && !d.IsZero() {
		ps.adult = max(ps.adult, dayOf(d.Latest().Format(time.DateOnly)))
	}
}

// childRecord reports whether a record says its subject is a child
// whatever their date of birth, as access reads it: children's social
// care's, one with a child flag, or the register's entry of an attainer
// with no attainment date.
func childRecord(r *resindex.Record) bool {
	attainer := r.Attributes["attainer"] == "true" && r.Attributes["attainment_date"] == ""
	return r.Source == resindex.SourceChildrenSocial || attainer ||
		slices.ContainsFunc(r.Flags, func(f string) bool {
			return f == resindex.FlagChildProtectionPlan || f == resindex.FlagLookedAfter || f == resindex.FlagChildInNeed
		})
}

// childWindow is how long a child record keeps its subject a child after
// its last activity: the activity window's default.
const childWindow = 2 * 365

// adultOn reports whether a person is 18 or over on day d and no child
// record of theirs is recent; a person no record dates is a possible
// adult.
func (x *index) adultOn(pi int32, d day) bool {
	ps := &x.persons[pi]
	if ps.childRec != 0 && ps.childRec >= x.clock[ps.childSource]-childWindow {
		return false
	}
	return ps.adult <= d
}

// countable reports whether a person may be weighed at all: an adult
// now, not restricted.
func (x *index) countable(p int32) bool {
	return !x.persons[p].restricted && x.adultOn(p, x.now)
}

// eighteenth is the day a person turns 18 (0, long past, when unknown).
func (x *index) eighteenth(pi int32) day { return x.persons[pi].adult }

// disregards reads the disregard attribute: empty or a no (false, no, n,
// 0, any case) is none.
func disregards(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "false", "no", "n", "0":
		return false
	}
	return true
}

// latest is a person's most recent residence evidence among their
// records that satisfy keep: the record that says they moved in last
// (ties: the one active last). Only addresses placed at a UPRN count: an
// address the gazetteer does not know cannot be told apart from the
// property, nor the same as it. -1 when none.
func (x *index) latest(pi int32, keep func(*rec) bool) int32 {
	best := int32(-1)
	for _, ri := range x.persons[pi].recs {
		r := &x.recs[ri]
		if r.uprn == "" || !keep(r) {
			continue
		}
		if best < 0 || r.moved > x.recs[best].moved || r.moved == x.recs[best].moved && r.active > x.recs[best].active {
			best = ri
		}
	}
	return best
}

// newest is a person's most recent residence evidence (see latest).
func (x *index) newest(pi int32) int32 { return x.latest(pi, func(*rec) bool { return true }) }

// livesAt is a person's most recent residence evidence when it is at the
// place, else -1.
func (x *index) livesAt(pi int32, place string) int32 {
	if lt := x.newest(pi); lt >= 0 && x.recs[lt].place == place {
		return lt
	}
	return -1
}

// anyRestricted reports whether any of the persons is restricted: a
// finding would point investigators at their home.
func (x *index) anyRestricted(persons map[int32]bool) bool {
	for p := range persons {
		if x.persons[p].restricted {
			return true
		}
	}
	return false
}

// finding puts a check's signals together for the account record acc:
// its subject is the record's person, others the adults the evidence
// places at the property; each signal's evidence lands in the subject's
// records or the others'.
func (x *index) finding(k Kind, acc int32, sigs []Signal, others []int32) Finding {
	a := &x.recs[acc]
	f := Finding{Kind: k, ID: findingID(k, a.key), Account: a.key, Reference: a.ref, UPRN: a.uprn,
		Subject: x.persons[a.person].id, SubjectRecords: []resindex.RecordKey{a.key}, Signals: sigs, Score: score(sigs)}
	for _, p := range others {
		f.Others = append(f.Others, x.persons[p].id)
	}
	for _, s := range sigs {
		for _, e := range s.Evidence {
			if e.Person == f.Subject {
				f.SubjectRecords = appendKey(f.SubjectRecords, e.Record)
			} else {
				f.OtherRecords = appendKey(f.OtherRecords, e.Record)
			}
		}
	}
	return f
}

// appendKey adds a key once.
func appendKey(ks []resindex.RecordKey, k resindex.RecordKey) []resindex.RecordKey {
	if slices.Contains(ks, k) {
		return ks
	}
	return append(ks, k)
}

// fresh reports whether a record was active within a year of its
// source's newest day.
func (x *index) fresh(r *rec) bool {
	return r.active >= x.clock[r.key.Source]-365
}

// evidenceOf describes a record for a signal.
func (x *index) evidenceOf(ri int32) Evidence {
	r := &x.recs[ri]
	return Evidence{Record: r.key, Person: x.persons[r.person].id, UPRN: r.uprn, Moved: r.moved.String(), Active: r.active.String()}
}

// addName adds a name, lower case, once.
func addName(names []string, n string) []string {
	n = strings.ToLower(strings.TrimSpace(n))
	if n == "" || slices.Contains(names, n) {
		return names
	}
	return append(names, n)
}

func firstWord(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// samePerson reports whether two persons look like one the matcher left
// apart: the same full date of birth and a name in common. A check must
// not take a tenant's own unlinked record for somebody else.
func (x *index) samePerson(a, b int32) bool {
	pa, pb := &x.persons[a], &x.persons[b]
	if !slices.ContainsFunc(pa.dobs, func(d string) bool { return slices.Contains(pb.dobs, d) }) {
		return false
	}
	for _, n := range pa.names {
		if slices.Contains(pb.names, n) {
			return true
		}
	}
	return false
}
