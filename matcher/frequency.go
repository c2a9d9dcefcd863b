package matcher

// Frequencies counts how often each name, date of birth, address and
// postcode occurs among the records being linked. They drive term-frequency
// adjustment: agreement on a rare value is stronger evidence.
type Frequencies struct {
	N int
	// OwnRecords is how many records a person typically has. A value's
	// count includes the person's own records, which say nothing about how
	// many other people share it, so they are taken off (see share).
	OwnRecords float64
	given      map[string]uint32
	family     map[string]uint32
	dob        map[string]uint32
	name       map[string]uint32
	property   map[string]uint32
	postcode   map[string]uint32
}

// NewFrequencies returns empty tables.
func NewFrequencies() *Frequencies {
	return &Frequencies{
		given:    map[string]uint32{},
		family:   map[string]uint32{},
		dob:      map[string]uint32{},
		name:     map[string]uint32{},
		property: map[string]uint32{},
		postcode: map[string]uint32{},
	}
}

// CountFrequencies builds the tables over a set of profiles.
func CountFrequencies(ps []Profile) *Frequencies {
	f := NewFrequencies()
	for i := range ps {
		f.Add(&ps[i])
	}
	return f
}

// Add counts one profile's values (each value once per profile).
func (f *Frequencies) Add(p *Profile) {
	f.N++
	if len(p.Given) > 0 {
		f.given[p.Given[0]]++
	}
	if p.Family != "" {
		f.family[p.Family]++
		if len(p.Given) > 0 {
			f.name[fullName(p)]++
		}
	}
	if !p.DOB.IsZero() {
		f.dob[p.DOB.String()]++
	}
	var props, postcodes []string
	for _, a := range p.Addresses {
		props = appendUnique(props, a.PropertyKey())
		if a.UPRN != "" {
			props = appendUnique(props, a.Key)
		}
		postcodes = appendUnique(postcodes, a.Postcode)
	}
	countAll(f.property, props)
	countAll(f.postcode, postcodes)
}

// countAll counts each non-empty value of a profile once.
func countAll(m map[string]uint32, vals []string) {
	for _, v := range vals {
		if v != "" {
			m[v]++
		}
	}
}

// Annotate stores on the profile the frequencies of its own values, so
// scoring a pair needs no table look-up.
func (f *Frequencies) Annotate(p *Profile) {
	if f.N == 0 {
		return
	}
	if len(p.Given) > 0 {
		p.GivenFreq = f.share(f.given[p.Given[0]])
	}
	p.FamilyFreq = f.share(f.family[p.Family])
	if len(p.Given) > 0 && p.Family != "" {
		p.NameFreq = f.share(f.name[fullName(p)])
	}
	if !p.DOB.IsZero() {
		p.DOBFreq = f.share(f.dob[p.DOB.String()])
	}
	for i := range p.Addresses {
		a := &p.Addresses[i]
		c := f.property[a.PropertyKey()]
		if a.UPRN != "" && a.Key != "" {
			c = max(c, f.property[a.Key])
		}
		// A property's count is mostly its household, other people who
		// really share it, so it is not discounted like a name's.
		a.Freq = f.raw(c)
		a.PostcodeFreq = f.raw(f.postcode[a.Postcode])
	}
}

// raw is the plain share of records with a value.
func (f *Frequencies) raw(count uint32) float64 { return float64(count) / float64(f.N) }

// share estimates how often a value with this count occurs among other
// people's records: the count less the person's own records, floored at
// half a record, over all records.
func (f *Frequencies) share(count uint32) float64 {
	if count == 0 {
		return 0
	}
	return max(float64(count)-f.OwnRecords, 0.5) / float64(f.N)
}

// fullName keys the joint frequency of first given and family name.
func fullName(p *Profile) string { return p.Given[0] + "|" + p.Family }
