package synth

import (
	"math/rand/v2"
	"strings"

	"github.com/resindex/resindex"
)

// renderer turns a record's state into canonical versions. What a record
// shows of a person (its name with any typo, its date of birth, its
// identifiers) is worked out once and reused by every version, so that a
// deviation stays the same across versions and versions share memory.
type renderer struct {
	w   *world
	def *sourceDef
}

// renderCache keeps a record's rendered parts between versions.
type renderCache struct {
	nameIdx   int32
	nameAdult bool
	name      resindex.Name
	others    []resindex.Name
	nameErr   errMask
	dobDone   bool
	dob       string
	dobErr    errMask
	ids       map[string]string
	idsDone   bool
	addrKey   [2]int32
	addrs     []resindex.Address
	addrErr   errMask
	flags     uint16
	flagList  []string
	attrs     [4]string
	attrMap   map[string]string
	attrsDone bool
}

var sexes = map[byte]string{'M': "M", 'F': "F"}

// render builds the canonical record of s in state st on day d.
func (c *renderer) render(s *srec, st *rstate, d day) resindex.Record {
	rec := resindex.Record{Source: c.def.name, ID: s.id, Version: versionStamp(versionSecond(s.seed, d))}
	if st.deleted {
		rec.Deleted = true
		return rec
	}
	p := &c.w.people[s.person]
	rec.Name, rec.OtherNames = c.name(s, p, st.nameIdx, ageAt(p.dob, d) >= 16)
	rec.DOB = c.dob(s, p)
	if s.hold&holdSex != 0 {
		rec.Sex = sexes[p.sex]
	}
	rec.Addresses = c.addresses(s, st)
	rec.Identifiers = c.identifiers(s, p)
	rec.Emails, rec.Phones = c.contacts(s, p)
	rec.Flags = c.flagList(s, st.flags)
	rec.Attributes = c.attributes(s, st.attrs)
	rec.LastActivity = c.w.iso(st.active)
	return rec
}

// versionSecond places a version of record seed on day d at a time of day
// between 08:00 and 18:00 that depends only on the record and the day; it
// returns seconds since the epoch.
func versionSecond(seed uint64, d day) int64 {
	return int64(d)*secondsPerDay + 8*3600 + int64(mix(seed^uint64(d))%(10*3600))
}

// versionStamp renders seconds since the epoch as an RFC 3339 UTC time.
func versionStamp(t int64) string {
	d, sec := day(t/secondsPerDay), int(t%secondsPerDay)
	b := make([]byte, 0, 20)
	b = d.appendISO(b)
	b = append(b, 'T')
	b = append2(b, sec/3600)
	b = append(b, ':')
	b = append2(b, sec/60%60)
	b = append(b, ':')
	b = append2(b, sec%60)
	return string(append(b, 'Z'))
}

// name renders the name the record shows for family-name span idx.
func (c *renderer) name(s *srec, p *person, idx int32, adult bool) (resindex.Name, []resindex.Name) {
	k := &s.cache
	if k.nameIdx == idx+1 && k.nameAdult == adult {
		return k.name, k.others
	}
	k.nameIdx, k.nameAdult = idx+1, adult
	k.name, k.nameErr = showName(s, p, int(idx))
	if !adult {
		k.name.Title = ""
	}
	k.others = nil
	if s.hold&holdPrevNames != 0 {
		k.others = previousNames(p, int(idx), k.name.Family)
	}
	return k.name, k.others
}

// showName applies the record's name deviations to the true name.
func showName(s *srec, p *person, idx int) (resindex.Name, errMask) {
	r := newRand(s.seed, 1)
	var applied errMask
	family := p.names[idx].family
	if s.errs.has(errMarriedName) && p.maiden != "" && p.maiden != family {
		family = p.maiden
		applied.set(errMarriedName)
	}
	if s.errs.has(errDoubleBarrel) {
		if v := barrelVariant(r, family); v != family {
			family = v
			applied.set(errDoubleBarrel)
		}
	}
	first, middle := p.given, ""
	if s.hold&holdMiddle != 0 {
		middle = p.middle
	}
	first, middle, applied = givenDeviations(s, p, first, middle, applied, r)
	given := joinNonEmpty(" ", first, middle)
	if s.errs.has(errTypo) {
		if r.IntN(2) == 0 {
			given = typo(r, given)
		} else {
			family = typo(r, family)
		}
		applied.set(errTypo)
	}
	n := resindex.Name{Given: given, Family: family}
	if s.hold&holdTitle != 0 {
		n.Title = title(p, idx)
	}
	return n, applied
}

// givenDeviations applies nickname, initial and given/middle swaps.
func givenDeviations(s *srec, p *person, first, middle string, applied errMask, r *rand.Rand) (string, string, errMask) {
	if s.errs.has(errGivenMiddleSwap) && p.middle != "" {
		if middle != "" {
			first, middle = middle, first
		} else {
			first = p.middle // known by the middle name only
		}
		applied.set(errGivenMiddleSwap)
	}
	if s.errs.has(errNickname) {
		if alts := nicknames[first]; len(alts) > 0 {
			first = alts[r.IntN(len(alts))]
			applied.set(errNickname)
		}
	}
	if s.errs.has(errInitialOnly) && !applied.has(errNickname) {
		first = initialOf(first)
		if middle != "" && r.IntN(2) == 0 {
			middle = initialOf(middle)
		}
		applied.set(errInitialOnly)
	}
	return first, middle, applied
}

// title is the courtesy title for the person while holding name span idx.
// Whether an unmarried woman is Miss or Ms is her choice; it is derived
// from her date of birth so that every source agrees.
func title(p *person, idx int) string {
	switch {
	case p.dr:
		return "Dr"
	case p.sex == 'M':
		return "Mr"
	case p.names[idx].marriage || p.maiden != "":
		return "Mrs"
	case ageAt(p.dob, p.names[idx].from) < 30 && idx == 0 && p.dob.year()%3 == 0:
		return "Miss"
	}
	return "Ms"
}

// previousNames lists the family names the person was known by before the
// one shown, as sources that keep "previous names" have them.
func previousNames(p *person, idx int, shown string) []resindex.Name {
	var out []resindex.Name
	add := func(f string) {
		if f == "" || f == shown {
			return
		}
		for _, o := range out {
			if o.Family == f {
				return
			}
		}
		out = append(out, resindex.Name{Family: f})
	}
	add(p.maiden)
	for k := 0; k < idx; k++ {
		add(p.names[k].family)
	}
	return out
}

// dob renders the date of birth with the record's date deviations.
func (c *renderer) dob(s *srec, p *person) string {
	k := &s.cache
	if k.dobDone {
		return k.dob
	}
	k.dobDone = true
	if s.hold&holdDOB == 0 {
		return ""
	}
	r := newRand(s.seed, 2)
	d := p.dob
	switch {
	case s.errs.has(errDOBMissing):
		k.dobErr.set(errDOBMissing)
		return ""
	case s.errs.has(errDOBSwap):
		y, m, dd := d.civil()
		d = date(y, monthOf(dd), m)
		k.dobErr.set(errDOBSwap)
	case s.errs.has(errDOBDigit):
		d = dobOneDigit(r, d)
		k.dobErr.set(errDOBDigit)
	}
	k.dob = d.iso()
	return k.dob
}

// addresses renders the current address (and, for sources that keep it,
// the history) with the record's address deviations.
func (c *renderer) addresses(s *srec, st *rstate) []resindex.Address {
	k := &s.cache
	if st.prop < 0 {
		return nil
	}
	if key := [2]int32{st.prop + 1, st.hist}; k.addrKey == key {
		return k.addrs
	} else {
		k.addrKey = key
	}
	cur := c.address(s, st.prop, st.from, never)
	cur.Current = true
	out := []resindex.Address{cur}
	for i := int(st.hist) - 1; i >= 0; i-- {
		pa := s.past[i]
		out = append(out, c.address(s, pa.prop, pa.from, pa.to))
	}
	k.addrs = out
	return out
}

// address renders one address of s.
func (c *renderer) address(s *srec, prop int32, from, to day) resindex.Address {
	g := c.w.g
	p := &g.props[prop]
	a := resindex.Address{Lines: p.lines, Town: town, Postcode: g.postcode(prop), From: c.w.iso(from)}
	if to != never {
		a.To = c.w.iso(to)
	}
	if s.errs.has(errAddressFormat) {
		a.Lines, a.Town = addressVariant(newRand(s.seed, 3), p, g.streetOf(prop))
		s.cache.addrErr.set(errAddressFormat)
	}
	if s.errs.has(errPostcodeMissing) {
		a.Postcode = ""
		s.cache.addrErr.set(errPostcodeMissing)
	}
	if s.hold&holdUPRN != 0 {
		a.UPRN = p.uprn
		if s.badID == resindex.IDUPRN {
			a.UPRN = corruptIdentifier(newRand(s.seed, 4), resindex.IDUPRN, p.uprn)
		}
	}
	return a
}

// identifiers renders the person identifiers the record holds, in the
// source's format, with the invalid one if any.
func (c *renderer) identifiers(s *srec, p *person) map[string]string {
	k := &s.cache
	if k.idsDone {
		return k.ids
	}
	k.idsDone = true
	r := newRand(s.seed, 5)
	for _, id := range []struct {
		bit        hold
		kind, v    string
		spacedRate float64
	}{{holdNHS, resindex.IDNHS, p.nhs, 0.4}, {holdNINO, resindex.IDNINO, p.nino, 0.25}, {holdUPN, resindex.IDUPN, p.upn, 0}} {
		if s.hold&id.bit == 0 || id.v == "" {
			continue
		}
		v := id.v
		if s.badID == id.kind {
			v = corruptIdentifier(r, id.kind, v)
		} else if chance(r, id.spacedRate*c.def.spaced) {
			v = spaced(id.kind, v)
		}
		if k.ids == nil {
			k.ids = map[string]string{}
		}
		k.ids[id.kind] = v
	}
	return k.ids
}

// spaced writes an identifier the way it is printed: NHS 3-3-4, NINO in
// pairs.
func spaced(kind, v string) string {
	switch kind {
	case resindex.IDNHS:
		return v[:3] + " " + v[3:6] + " " + v[6:]
	case resindex.IDNINO:
		return v[:2] + " " + v[2:4] + " " + v[4:6] + " " + v[6:8] + " " + v[8:]
	}
	return v
}

// contacts renders the email and phone the record holds.
func (c *renderer) contacts(s *srec, p *person) ([]string, []string) {
	var emails, phones []string
	if s.hold&holdEmail != 0 {
		emails = []string{p.email}
	}
	if s.hold&holdPhone != 0 {
		phones = []string{formatPhone(p.phone, c.def.phoneStyle)}
	}
	return emails, phones
}

// formatPhone writes a UK number in one of the styles systems use.
func formatPhone(n string, style int) string {
	switch {
	case style == 1 && strings.HasPrefix(n, "07"):
		return n[:5] + " " + n[5:]
	case style == 1:
		return n[:3] + " " + n[3:7] + " " + n[7:]
	case style == 2:
		return "+44" + n[1:]
	case style == 3:
		return "+44 (0)" + n[1:]
	}
	return n
}

// flagList renders the flag bits in flagNames order.
func (c *renderer) flagList(s *srec, flags uint16) []string {
	k := &s.cache
	if flags == k.flags && (flags == 0 || k.flagList != nil) {
		return k.flagList
	}
	k.flags, k.flagList = flags, nil
	for i, f := range flagNames {
		if flags&(1<<i) != 0 {
			k.flagList = append(k.flagList, f)
		}
	}
	return k.flagList
}

// attributes renders the attribute slots as a map, shared between versions
// while they do not change.
func (c *renderer) attributes(s *srec, attrs [4]string) map[string]string {
	k := &s.cache
	if k.attrsDone && attrs == k.attrs {
		return k.attrMap
	}
	k.attrsDone, k.attrs, k.attrMap = true, attrs, nil
	for i, v := range attrs {
		if v != "" && i < len(c.def.attrs) {
			if k.attrMap == nil {
				k.attrMap = map[string]string{}
			}
			k.attrMap[c.def.attrs[i]] = v
		}
	}
	return k.attrMap
}
