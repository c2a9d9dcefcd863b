package synth

import "math/rand/v2"

// The truth layer: who lived where, under which name, when.

// person is one resident, with everything true about them over the
// timeline. Sources see only parts of it, late.
type person struct {
	given, middle string
	names         []nameSpan // family name over time; names[0] at birth or arrival
	maiden        string     // family name before a marriage that predates the timeline
	sex           byte       // 'M' or 'F'
	origin        uint8
	dr            bool // title Dr
	eligible      bool // may register to vote
	shield        uint8
	role          uint8
	dob           day
	death         day
	partner       int32
	hh            int32 // current household, -1 once gone
	nhs           string
	nino          string
	upn           string
	email         string
	phone         string
	res           []residence
	csc           careSpell
	asc           careSpell
}

// Shielding reasons, as sources flag them.
const (
	shieldStaff uint8 = 1 << iota
	shieldVIP
	shieldRestricted
)

// Roles within a household.
const (
	roleHead uint8 = iota
	rolePartner
	roleChild
	roleOther // sharer, lodger, grandparent
)

// nameSpan is a family name held from a day on.
type nameSpan struct {
	from     day
	family   string
	marriage bool // taken on marriage, not at birth or arrival
}

// residence is a stay at one occupancy, from its first day to the day the
// person left (never while still there).
type residence struct {
	occ      int32
	from, to day
	how      uint8
}

// How a residence began.
const (
	joinWithHousehold uint8 = iota // moved in with their household, or was there at the start
	joinExisting                   // moved into a household already living there
	joinBirth                      // born into it
)

// careSpell is involvement with social care: from a day, at a level, maybe
// escalating later.
type careSpell struct {
	from     day // never when not involved
	level    uint8
	escalate day
}

// Children's social care levels.
const (
	cscInNeed uint8 = iota
	cscProtection
	cscLookedAfter
)

// household is a group living together; it may move as a whole.
type household struct {
	members []int32
	occ     int32 // current occupancy, -1 once gone
	sharers bool
	origin  uint8
}

// occupancy is one household's stay at one property.
type occupancy struct {
	prop     int32
	hh       int32
	from, to day
	sublet   bool  // tenants left and sublet: housing never learns
	subletOf int32 // for subletters: the sublet tenancy's occupancy, else -1
	falseSPD bool  // claims single person discount with other adults present
	ctLearns bool  // council tax learns of adults joining later
}

// join is an adult moving into a household that already lives somewhere:
// the event the safeguarding alert is about.
type join struct {
	person int32
	occ    int32
	at     day
}

// world is the simulated borough.
type world struct {
	cfg        Config
	g          *gazetteer
	rng        *rand.Rand
	people     []person
	hhs        []household
	occs       []occupancy
	vacant     [numTenures]pool
	joins      []join
	start, end day
	la         string          // local authority code for UPNs
	issued     map[string]bool // identifiers already issued, to keep them unique
	live       int             // people living in the borough now
	occRes     [][]member      // per occupancy: who lived there
	hhOccs     [][]int32       // per household: its occupancies in order
	propOccs   [][]int32       // per property: its occupancies in order
	pm         monthly         // the timeline's monthly event probabilities
	isoBase    day
	isoTab     []string
}

// pool is a set of vacant property indices with O(1) random removal; its
// order depends only on the draws, so it is deterministic.
type pool struct{ items []int32 }

func (p *pool) add(x int32) { p.items = append(p.items, x) }

func (p *pool) take(r *rand.Rand) (int32, bool) {
	n := len(p.items)
	if n == 0 {
		return 0, false
	}
	i := r.IntN(n)
	x := p.items[i]
	p.items[i] = p.items[n-1]
	p.items = p.items[:n-1]
	return x, true
}

// resAt returns the index of the person's residence on day d, or -1.
func (p *person) resAt(d day) int {
	for i := len(p.res) - 1; i >= 0; i-- {
		if r := p.res[i]; r.from <= d && d < r.to {
			return i
		}
	}
	return -1
}

// nameAt returns the index of the family-name span in force on day d.
func (p *person) nameAt(d day) int {
	for i := len(p.names) - 1; i > 0; i-- {
		if p.names[i].from <= d {
			return i
		}
	}
	return 0
}

// family returns the current family name.
func (p *person) family() string { return p.names[len(p.names)-1].family }

// adultAt reports whether the person is 18 or over on day d.
func (p *person) adultAt(d day) bool { return ageAt(p.dob, d) >= 18 }

// propAt returns the property the person lives at on day d, or -1.
func (w *world) propAt(pi int32, d day) int32 {
	p := &w.people[pi]
	if i := p.resAt(d); i >= 0 {
		return w.occs[p.res[i].occ].prop
	}
	return -1
}
