package synth

import (
	"math"
	"math/rand/v2"
	"strings"
)

// Households are drawn as member specs first, so that an arrival can be
// trimmed to the remaining person budget before anyone is created.

// spec is a household member before it becomes a person.
type spec struct {
	sex       byte
	age       int
	origin    *origin
	originIdx uint8
	family    string
	maiden    string
	given     string // forced given name (a son named after his father, twins)
	role      uint8
	partnerOf int // index in the spec list, or -1
	twinOf    int // index of the twin whose date of birth this one shares, or -1
}

// Household kinds, in the order of HouseholdMix.
const (
	hhSingle = iota
	hhCouple
	hhFamily
	hhSharers
)

// avgHouseholdSize estimates people per household for a mix, to size the
// gazetteer before anyone exists.
func avgHouseholdSize(m HouseholdMix) float64 {
	sum := m.Single + m.Couple + m.WithChildren + m.Sharers
	return (m.Single*1 + m.Couple*2 + m.WithChildren*3.6 + m.Sharers*3) / sum
}

// drawHousehold returns the members of a new household of a random kind.
func (w *world) drawHousehold(r *rand.Rand) ([]spec, int) {
	m := w.cfg.Households
	kind := choose(r, m.Single, m.Couple, m.WithChildren, m.Sharers)
	oi := originW.draw(r)
	switch kind {
	case hhSingle:
		return []spec{w.adultSpec(r, oi, singleAge(r), 0, roleHead)}, kind
	case hhCouple:
		return w.coupleSpecs(r, oi, singleAge(r)), kind
	case hhFamily:
		return w.familySpecs(r, oi), kind
	}
	return w.sharerSpecs(r), kind
}

// singleAge draws the age of someone living alone or as a couple: young
// professionals, the middle-aged and many older people.
func singleAge(r *rand.Rand) int {
	switch choose(r, 40, 28, 32) {
	case 0:
		return between(r, 20, 39)
	case 1:
		return between(r, 40, 64)
	}
	return between(r, 65, 94)
}

func (w *world) adultSpec(r *rand.Rand, oi int, age int, sex byte, role uint8) spec {
	if sex == 0 {
		sex = pick(r, []byte{'M', 'F'})
		if age > 75 && chance(r, 0.3) {
			sex = 'F' // women outlive men
		}
	}
	o := origins[oi]
	return spec{sex: sex, age: age, origin: o, originIdx: uint8(oi), family: o.forSex(o.familyName(r), sex),
		role: role, partnerOf: -1, twinOf: -1}
}

// coupleSpecs draws two partners; married couples mostly share the
// husband's family name, and the wife's maiden name is kept as truth.
func (w *world) coupleSpecs(r *rand.Rand, oi int, age int) []spec {
	age = max(age, 20)
	a := w.adultSpec(r, oi, age, 'M', roleHead)
	poi := oi
	if chance(r, 0.15) {
		poi = originW.draw(r)
	}
	psex := byte('F')
	if chance(r, 0.05) {
		psex = 'M'
	}
	b := w.adultSpec(r, poi, max(18, age+int(math.Round(r.NormFloat64()*4))), psex, rolePartner)
	if psex == 'F' && chance(r, 0.35+float64(age)/200) && chance(r, b.origin.takeNameP) {
		if b.origin.womenOwnP > 0 && chance(r, b.origin.womenOwnP) {
			b.family = pick(r, b.origin.womenOwn)
		} else {
			b.maiden, b.family = b.family, b.origin.forSex(a.origin.masculine(a.family), 'F')
		}
	}
	out := []spec{a, b}
	if chance(r, 0.5) { // who is named first on the tenancy or the bill
		out[0], out[1] = b, a
		out[0].role, out[1].role = roleHead, rolePartner
	}
	out[0].partnerOf, out[1].partnerOf = 1, 0
	return out
}

// familySpecs draws parents, children (sometimes twins, sometimes a son
// with his father's full name), maybe an adult child or a grandparent.
func (w *world) familySpecs(r *rand.Rand, oi int) []spec {
	momAge := between(r, 22, 52)
	var out []spec
	lone := chance(r, 0.3)
	if lone {
		sex := byte('F')
		if chance(r, 0.15) {
			sex = 'M'
		}
		out = []spec{w.adultSpec(r, oi, momAge, sex, roleHead)}
	} else {
		out = w.coupleSpecs(r, oi, momAge+between(r, -2, 5))
		out[0].role, out[1].role = roleHead, rolePartner
	}
	fam := childFamily(r, out)
	n := 1 + choose(r, 40, 38, 15, 7)
	for i := 0; i < n; i++ {
		out = append(out, w.childSpec(r, out, fam, between(r, 0, min(17, momAge-18))))
		if chance(r, 0.025) {
			out = append(out, w.twin(r, out, len(out)-1))
		}
	}
	if momAge >= 38 && chance(r, 0.18) {
		out = append(out, w.childSpec(r, out, fam, between(r, 18, min(30, momAge-18))))
	}
	if chance(r, 0.03) {
		out = append(out, w.adultSpec(r, oi, min(95, momAge+between(r, 22, 35)), 0, roleOther))
	}
	return out
}

// childFamily picks the children's family name: the parents' shared name,
// the father's, the mother's, a double-barrelled one, or an absent father's.
func childFamily(r *rand.Rand, parents []spec) string {
	if len(parents) == 1 {
		p := parents[0]
		if chance(r, 0.45) {
			return p.origin.masculine(p.origin.familyName(r))
		}
		return p.origin.masculine(p.family)
	}
	father, mother := parents[0], parents[1]
	if father.sex == 'F' {
		father, mother = mother, father
	}
	if mother.maiden != "" {
		return father.family // married, she took his name
	}
	switch choose(r, 70, 15, 15) {
	case 0:
		return father.family
	case 1:
		return mother.origin.masculine(mother.family)
	}
	return father.family + "-" + mother.origin.masculine(mother.family)
}

func (w *world) childSpec(r *rand.Rand, fam []spec, family string, age int) spec {
	o := fam[0].origin
	oi := fam[0].originIdx
	sex := pick(r, []byte{'M', 'F'})
	c := spec{sex: sex, age: age, origin: o, originIdx: oi, family: o.forSex(family, sex), role: roleChild,
		partnerOf: -1, twinOf: -1}
	for _, p := range fam[:min(2, len(fam))] {
		if p.sex == 'M' && sex == 'M' && p.role != roleChild && chance(r, 0.05) && p.family == family {
			c.given = "=" // named after his father: resolved when persons are made
		}
	}
	return c
}

// twin returns a twin of spec i: same family, date of birth and address;
// a different, sometimes similar, given name.
func (w *world) twin(r *rand.Rand, fam []spec, i int) spec {
	t := fam[i]
	t.twinOf, t.given = i, ""
	if chance(r, 0.4) {
		t.sex = pick(r, []byte{'M', 'F'})
		t.family = t.origin.forSex(t.origin.masculine(t.family), t.sex)
	}
	if t.sex == fam[i].sex && chance(r, 0.3) {
		pair := pick(r, similarTwinNames[t.sex])
		fam[i].given, t.given = pair[0], pair[1]
	}
	return t
}

// sharerSpecs draws two to five unrelated adults.
func (w *world) sharerSpecs(r *rand.Rand) []spec {
	n := between(r, 2, 5)
	out := make([]spec, n)
	for i := range out {
		out[i] = w.adultSpec(r, originW.draw(r), between(r, 19, 42), 0, roleOther)
	}
	out[0].role = roleHead
	return out
}

// makePeople turns specs into persons living in household h from day at;
// born (for a baby) is the day of birth when it is after at.
func (w *world) makePeople(r *rand.Rand, specs []spec, h int32, at day) []int32 {
	ids := make([]int32, len(specs))
	base := int32(len(w.people))
	for i := range specs {
		ids[i] = base + int32(i)
	}
	for i, s := range specs {
		p := w.newPerson(r, s, at)
		p.hh = h
		if s.partnerOf >= 0 && s.partnerOf < len(specs) {
			p.partner = base + int32(s.partnerOf)
		}
		if s.twinOf >= 0 && s.twinOf < i {
			p.dob = w.people[base+int32(s.twinOf)].dob
		}
		w.people = append(w.people, p)
	}
	w.nameAfterFather(r, specs, ids)
	return ids
}

// nameAfterFather gives sons marked "=" their father's given and sometimes
// middle name: parent and child with the same full name at one address.
func (w *world) nameAfterFather(r *rand.Rand, specs []spec, ids []int32) {
	for i, s := range specs {
		if s.given != "=" {
			continue
		}
		for j, f := range specs[:min(2, len(specs))] {
			if f.sex == 'M' && f.role != roleChild {
				c, fa := &w.people[ids[i]], &w.people[ids[j]]
				c.given = fa.given
				if chance(r, 0.5) {
					c.middle = fa.middle
				}
				break
			}
		}
	}
}

// newPerson creates a person from a spec: names, date of birth and the
// identifiers a real person of that age would have.
func (w *world) newPerson(r *rand.Rand, s spec, at day) person {
	dob := at - day(s.age*365+between(r, 0, 364))
	by := dob.year()
	p := person{sex: s.sex, origin: s.originIdx, dob: dob, death: never, partner: -1, maiden: s.maiden, role: s.role,
		csc: careSpell{from: never, escalate: never}, asc: careSpell{from: never, escalate: never}}
	p.given = s.given
	if p.given == "" || p.given == "=" {
		p.given = s.origin.givenName(r, s.sex, by)
	}
	p.middle = s.origin.middleName(r, s.sex, by, p.given)
	p.names = []nameSpan{{from: dob, family: s.family}}
	p.eligible = chance(r, eligibleShare(s.origin.name))
	w.issueIdentifiers(r, &p)
	w.contactDetails(r, &p, s.origin)
	adult := ageAt(dob, w.end) >= 18
	if adult {
		p.shield = shieldFlags(r)
		p.dr = ageAt(dob, w.start) >= 28 && chance(r, 0.015)
	} else if chance(r, 0.002) {
		p.shield = shieldRestricted
	}
	return p
}

// eligibleShare is the share of a tradition's adults who may register to
// vote in local elections (British, Irish, Commonwealth and most EU
// citizens may; others may not).
func eligibleShare(origin string) float64 {
	switch origin {
	case "turkish", "chinese", "arabic", "somali":
		return 0.7
	case "polish", "southern_european", "eastern_european", "greek_cypriot":
		return 0.85
	}
	return 0.96
}

// issueIdentifiers gives an NHS number to everyone, a NINO to anyone who
// reaches 16 during the timeline, and a UPN to anyone of school age in it.
func (w *world) issueIdentifiers(r *rand.Rand, p *person) {
	p.nhs = w.unique(r, func() string { return newNHS(r) })
	if ageAt(p.dob, w.end) >= 16 {
		p.nino = w.unique(r, func() string { return newNINO(r) })
	}
	if a, b := ageAt(p.dob, w.end), ageAt(p.dob, w.start); a >= 4 && b <= 22 {
		y := p.dob.year() + 4
		p.upn = w.unique(r, func() string {
			return newUPN(r, w.la, pick(r, []string{"2", "4"})+digits(r, 3), y)
		})
	}
}

// unique draws until an identifier not yet issued comes up: two people
// sharing an NHS number would be a hard conflict that is not in the truth.
func (w *world) unique(r *rand.Rand, draw func() string) string {
	for {
		if v := draw(); !w.issued[v] {
			w.issued[v] = true
			return v
		}
	}
}

// contactDetails gives most adults a phone and an email address.
func (w *world) contactDetails(r *rand.Rand, p *person, o *origin) {
	if ageAt(p.dob, w.end) < 18 {
		return
	}
	if chance(r, 0.8) {
		if chance(r, 0.85) {
			p.phone = "07" + pick(r, []string{"4", "5", "7", "8", "9"}) + digits(r, 8)
		} else {
			p.phone = "0207" + digits(r, 7)
		}
	}
	if chance(r, 0.7) {
		p.email = emailFor(r, p.given, p.names[0].family, p.dob.year())
	}
}

var emailDomains = fields(`gmail.com gmail.com gmail.com hotmail.co.uk hotmail.com outlook.com yahoo.co.uk
	icloud.com btinternet.com live.co.uk`)

// emailFor builds an address from the name, the way people choose them.
func emailFor(r *rand.Rand, given, family string, year int) string {
	g, f := asciiLower(given), asciiLower(family)
	var local string
	switch r.IntN(5) {
	case 0:
		local = g + "." + f
	case 1:
		local = g + f + string(append2(nil, year%100))
	case 2:
		local = g[:1] + f
	case 3:
		local = g + "_" + f + digits(r, 2)
	default:
		local = f + "." + g + digits(r, 1)
	}
	return local + "@" + pick(r, emailDomains)
}

// asciiLower keeps letters and digits, lower-cased, for email local parts.
func asciiLower(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
			b.WriteRune(c)
		}
	}
	if b.Len() == 0 {
		return "x"
	}
	return b.String()
}

func shieldFlags(r *rand.Rand) uint8 {
	var s uint8
	if chance(r, 0.012) {
		s |= shieldStaff
	}
	if chance(r, 0.001) {
		s |= shieldVIP
	}
	if chance(r, 0.004) {
		s |= shieldRestricted
	}
	return s
}
