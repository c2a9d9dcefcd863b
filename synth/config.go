package synth

import (
	"fmt"
	"time"

	"github.com/resindex/resindex"
)

// Config sets the size, seed and shape of a synthetic borough. Zero fields
// take the defaults of DefaultConfig, which follow the planning assumptions
// in REFERENCE.md (an inner-London borough of ~220,000 residents scaled
// down to Persons); to switch a rate off, set it to a tiny positive value.
type Config struct {
	Persons int       // people ever resident during the timeline (default 10000)
	Seed    uint64    // same seed → same bytes
	Start   time.Time // timeline start, default 2023-11-01 UTC
	Years   int       // default 3
	// NoEvents leaves out the change-event timelines (events/), which are
	// the largest files at large sizes.
	NoEvents bool

	Households HouseholdMix // household types at the start and among arrivals
	Tenure     TenureMix    // how households hold their homes

	// MoveRate is the yearly share of households that move home within
	// the borough (default 0.10). With young adults leaving home,
	// separations, sharers and partners moving in, about 11% of residents
	// change address each year.
	MoveRate float64
	// LeaveRate is the yearly share of households that leave the borough
	// (default 0.06); arrivals replace them so that Persons is met exactly.
	LeaveRate float64
	// PartnerRate is the yearly chance that a new partner moves in with a
	// single adult or lone parent (default 0.03).
	PartnerRate float64
	// SafeguardingRate is the yearly chance that a new adult moves into a
	// lone-parent household with a child known to children's social care
	// (default 0.35), on top of PartnerRate: the safeguarding scenarios.
	SafeguardingRate float64
	// SubletRate is the yearly share of social tenancies whose tenants
	// move out without telling housing and sublet (default 0.01).
	SubletRate float64
	// FalseSPDRate is the share of new council-tax accounts with more than
	// one adult that claim the single person discount anyway (default 0.03).
	FalseSPDRate float64
	// ErrorScale multiplies every source's deviation rates (default 1).
	ErrorScale float64

	// Sources holds one profile per source in resindex.Sources; missing
	// sources take DefaultConfig's profile.
	Sources map[string]SourceProfile
}

// HouseholdMix is the share of each household type; it need not sum to 1.
type HouseholdMix struct {
	Single, Couple, WithChildren, Sharers float64
}

// TenureMix is the share of households in social housing, privately rented
// and owner-occupied homes; it need not sum to 1.
type TenureMix struct {
	Social, PrivateRented, Owner float64
}

// SourceProfile is how one source system sees the borough.
type SourceProfile struct {
	// Coverage is who the source holds:
	//   council_tax          share of occupied properties with an account (1)
	//   housing              share of social tenancies on the housing system (1)
	//   housing_benefit      share of households with a claim (0.17)
	//   electoral_roll       share of eligible residents aged 16+ registered (0.85)
	//   adult_social_care    share of adults who are clients, mostly older (0.03)
	//   children_social_care share of children known to children's services (0.04)
	//   schools              share of 4–16-year-olds on a school roll (0.97)
	//   libraries            share of residents with a library card (0.25)
	//   parking              share of households with a resident permit (0.15)
	//   contact_centre       share of adults who contact the council (0.40)
	Coverage float64
	// Errors scales the source's deviation rates (1 = the built-in rates,
	// which are low for council tax and the register and high for the
	// contact centre and libraries).
	Errors float64
	// LearnMove is the range of days after a move in which the source
	// learns of it, when it learns at all.
	LearnMove [2]int
	// MissMove is the chance that the source never learns of a move.
	MissMove float64
	// MissName is the chance that the source never learns of a change of
	// family name.
	MissName float64
}

// DefaultConfig returns the defaults for every field.
func DefaultConfig() Config {
	return Config{
		Persons:          10000,
		Start:            time.Date(2023, 11, 1, 0, 0, 0, 0, time.UTC),
		Years:            3,
		Households:       HouseholdMix{Single: 0.35, Couple: 0.25, WithChildren: 0.25, Sharers: 0.15},
		Tenure:           TenureMix{Social: 0.30, PrivateRented: 0.30, Owner: 0.40},
		MoveRate:         0.10,
		LeaveRate:        0.06,
		PartnerRate:      0.03,
		SafeguardingRate: 0.35,
		SubletRate:       0.01,
		FalseSPDRate:     0.03,
		ErrorScale:       1,
		Sources:          defaultProfiles(),
	}
}

func defaultProfiles() map[string]SourceProfile {
	return map[string]SourceProfile{
		resindex.SourceCouncilTax:      {Coverage: 1, Errors: 1, LearnMove: [2]int{14, 90}, MissMove: 0.04, MissName: 0.15},
		resindex.SourceHousing:         {Coverage: 1, Errors: 1, LearnMove: [2]int{7, 60}, MissMove: 0.03, MissName: 0.3},
		resindex.SourceHousingBenefit:  {Coverage: 0.17, Errors: 1, LearnMove: [2]int{14, 75}, MissMove: 0.05, MissName: 0.2},
		resindex.SourceElectoralRoll:   {Coverage: 0.85, Errors: 1, LearnMove: [2]int{14, 120}, MissMove: 0.08, MissName: 0.2},
		resindex.SourceAdultSocialCare: {Coverage: 0.03, Errors: 1, LearnMove: [2]int{14, 90}, MissMove: 0.1, MissName: 0.25},
		resindex.SourceChildrenSocial:  {Coverage: 0.04, Errors: 1, LearnMove: [2]int{7, 60}, MissMove: 0.05, MissName: 0.2},
		resindex.SourceSchools:         {Coverage: 0.97, Errors: 1, LearnMove: [2]int{14, 150}, MissMove: 0.15, MissName: 0.3},
		resindex.SourceLibraries:       {Coverage: 0.25, Errors: 1, LearnMove: [2]int{120, 720}, MissMove: 0.5, MissName: 0.6},
		resindex.SourceParking:         {Coverage: 0.15, Errors: 1, LearnMove: [2]int{30, 365}, MissMove: 0.35, MissName: 0.5},
		resindex.SourceContactCentre:   {Coverage: 0.40, Errors: 1, LearnMove: [2]int{0, 0}, MissMove: 0.4, MissName: 0.5},
	}
}

// withDefaults fills zero fields from DefaultConfig and checks ranges.
func (c Config) withDefaults() (Config, error) {
	d := DefaultConfig()
	if c.Persons == 0 {
		c.Persons = d.Persons
	}
	if c.Start.IsZero() {
		c.Start = d.Start
	}
	c.Start = c.Start.UTC().Truncate(24 * time.Hour)
	if c.Years == 0 {
		c.Years = d.Years
	}
	if c.Households == (HouseholdMix{}) {
		c.Households = d.Households
	}
	if c.Tenure == (TenureMix{}) {
		c.Tenure = d.Tenure
	}
	for _, f := range []struct{ v, def *float64 }{
		{&c.MoveRate, &d.MoveRate}, {&c.LeaveRate, &d.LeaveRate}, {&c.PartnerRate, &d.PartnerRate},
		{&c.SafeguardingRate, &d.SafeguardingRate}, {&c.SubletRate, &d.SubletRate},
		{&c.FalseSPDRate, &d.FalseSPDRate}, {&c.ErrorScale, &d.ErrorScale},
	} {
		if *f.v == 0 {
			*f.v = *f.def
		}
	}
	c.Sources = mergeProfiles(c.Sources, d.Sources)
	return c, c.check()
}

func mergeProfiles(given, def map[string]SourceProfile) map[string]SourceProfile {
	out := make(map[string]SourceProfile, len(def))
	for _, s := range resindex.Sources {
		p, ok := given[s]
		if !ok {
			p = def[s]
		}
		out[s] = p
	}
	return out
}

// check validates ranges; the error names the field.
func (c Config) check() error {
	switch {
	case c.Persons < 10:
		return fmt.Errorf("synth: config: Persons %d: want at least 10", c.Persons)
	case c.Persons > 20_000_000:
		return fmt.Errorf("synth: config: Persons %d: want at most 20,000,000", c.Persons)
	case c.Years < 1 || c.Years > 20:
		return fmt.Errorf("synth: config: Years %d: want 1 to 20", c.Years)
	case c.Start.Year() < 1950 || c.Start.Year() > 2100:
		return fmt.Errorf("synth: config: Start %s: want a year from 1950 to 2100", c.Start.Format(time.DateOnly))
	}
	for _, f := range []struct {
		name string
		v    float64
	}{
		{"MoveRate", c.MoveRate}, {"LeaveRate", c.LeaveRate}, {"PartnerRate", c.PartnerRate},
		{"SafeguardingRate", c.SafeguardingRate}, {"SubletRate", c.SubletRate}, {"FalseSPDRate", c.FalseSPDRate},
	} {
		if f.v < 0 || f.v > 1 {
			return fmt.Errorf("synth: config: %s %g: want 0 to 1", f.name, f.v)
		}
	}
	if c.ErrorScale < 0 || c.ErrorScale > 10 {
		return fmt.Errorf("synth: config: ErrorScale %g: want 0 to 10", c.ErrorScale)
	}
	for _, s := range resindex.Sources {
		if err := c.Sources[s].check(s); err != nil {
			return err
		}
	}
	return mixCheck(c.Households, c.Tenure)
}

func (p SourceProfile) check(source string) error {
	switch {
	case p.Coverage < 0 || p.Coverage > 1:
		return fmt.Errorf("synth: config: source %s: Coverage %g: want 0 to 1", source, p.Coverage)
	case p.Errors < 0 || p.Errors > 10:
		return fmt.Errorf("synth: config: source %s: Errors %g: want 0 to 10", source, p.Errors)
	case p.LearnMove[0] < 0 || p.LearnMove[1] < p.LearnMove[0]:
		return fmt.Errorf("synth: config: source %s: LearnMove %v: want 0 <= min <= max", source, p.LearnMove)
	case p.MissMove < 0 || p.MissMove > 1 || p.MissName < 0 || p.MissName > 1:
		return fmt.Errorf("synth: config: source %s: MissMove/MissName: want 0 to 1", source)
	}
	return nil
}

func mixCheck(h HouseholdMix, t TenureMix) error {
	if h.Single < 0 || h.Couple < 0 || h.WithChildren < 0 || h.Sharers < 0 || h.Single+h.Couple+h.WithChildren+h.Sharers == 0 {
		return fmt.Errorf("synth: config: Households %+v: want non-negative shares, not all zero", h)
	}
	if t.Social < 0 || t.PrivateRented < 0 || t.Owner < 0 || t.Social+t.PrivateRented+t.Owner == 0 {
		return fmt.Errorf("synth: config: Tenure %+v: want non-negative shares, not all zero", t)
	}
	return nil
}

// tenureMix returns the tenure shares as an array indexed by tenure.
func (c Config) tenureMix() [numTenures]float64 {
	t := c.Tenure
	sum := t.Social + t.PrivateRented + t.Owner
	return [numTenures]float64{t.Social / sum, t.PrivateRented / sum, t.Owner / sum}
}
