package matcher

// Value kinds whose frequencies drive term-frequency adjustment.
const (
	FreqGiven    byte = 'g' // first given name
	FreqFamily   byte = 'f' // family name
	FreqName     byte = 'n' // first given and family name together
	FreqDOB      byte = 'd' // full or partial date of birth
	FreqProperty byte = 'p' // property (UPRN or address key)
	FreqPostcode byte = 'c' // postcode
	FreqTown     byte = 't' // town or locality
)

// Counts answers how many records hold a value, and how many records there
// are: an in-memory table for a batch (Frequencies) or the store's counters
// for the incremental engine.
type Counts interface {
	Count(kind byte, value string) uint32
	Records() int
}

// KindValue is one value a profile contributes to the counts.
type KindValue struct {
	Kind  byte
	Value string
}

// Values lists the values a profile contributes to the counts, each once.
func Values(p *Profile) []KindValue {
	var out []KindValue
	add := func(k byte, v string) {
		if v == "" {
			return
		}
		for _, x := range out {
			if x.Kind == k && x.Value == v {
				return
			}
		}
		out = append(out, KindValue{k, v})
	}
	if len(p.Given) > 0 {
		add(FreqGiven, p.Given[0])
		if p.Family != "" {
			add(FreqName, fullName(p))
		}
	}
	add(FreqFamily, p.Family)
	if !p.DOB.IsZero() {
		add(FreqDOB, p.DOB.String())
	}
	for _, a := range p.Addresses {
		add(FreqProperty, a.PropertyKey())
		if a.UPRN != "" {
			add(FreqProperty, a.Key)
		}
		add(FreqPostcode, a.Postcode)
		add(FreqTown, a.Town)
	}
	return out
}

// Frequencies counts how often each value occurs among the records being
// linked, in memory.
type Frequencies struct {
	N      int
	counts map[KindValue]uint32
}

// NewFrequencies returns empty tables.
func NewFrequencies() *Frequencies {
	return &Frequencies{counts: map[KindValue]uint32{}}
}

// CountFrequencies builds the tables over a set of profiles.
func CountFrequencies(ps []Profile) *Frequencies {
	f := NewFrequencies()
	for i := range ps {
		f.Add(&ps[i])
	}
	return f
}

// Add counts one profile's values.
func (f *Frequencies) Add(p *Profile) {
	f.N++
	for _, kv := range Values(p) {
		f.counts[kv]++
	}
}

// Count returns how many records hold the value.
func (f *Frequencies) Count(kind byte, value string) uint32 {
	return f.counts[KindValue{kind, value}]
}

// Records returns how many records were counted.
func (f *Frequencies) Records() int { return f.N }

// Annotate stores on the profile the frequencies of its own values, so
// scoring a pair needs no table look-up. A value's count includes the
// person's own records, which say nothing about how many other people
// share it, so name and date counts are discounted by how many records a
// person typically has (1 + the model's expected matches per record; see
// share). A property's count is discounted too where the model says
// addresses are personal (no households); in a council's data it is
// mostly its household, other people who really share it.
func Annotate(c Counts, m *Model, p *Profile) {
	ownRecords := 1 + m.ExpectedMatchesPerRecord
	n := c.Records()
	if n == 0 {
		return
	}
	share := func(kind byte, v string) float64 {
		count := c.Count(kind, v)
		if count == 0 {
			return 0
		}
		return max(float64(count)-ownRecords, 0.5) / float64(n)
	}
	raw := func(kind byte, v string) float64 { return float64(c.Count(kind, v)) / float64(n) }
	property := raw
	if m.PersonalAddresses {
		property = share
	}
	if len(p.Given) > 0 {
		p.GivenFreq = share(FreqGiven, p.Given[0])
		if p.Family != "" {
			p.NameFreq = share(FreqName, fullName(p))
		}
	}
	p.FamilyFreq = share(FreqFamily, p.Family)
	if !p.DOB.IsZero() {
		p.DOBFreq = share(FreqDOB, p.DOB.String())
	}
	for i := range p.Addresses {
		a := &p.Addresses[i]
		a.Freq = property(FreqProperty, a.PropertyKey())
		if a.UPRN != "" && a.Key != "" {
			a.Freq = max(a.Freq, property(FreqProperty, a.Key))
		}
		a.PostcodeFreq = raw(FreqPostcode, a.Postcode)
		a.TownFreq = raw(FreqTown, a.Town)
	}
}

// ClearFrequencies removes a profile's term frequencies, as if it had
// never been annotated: its comparisons then use the other record's
// frequencies, or the model's u.
func (p *Profile) ClearFrequencies() {
	p.GivenFreq, p.NameFreq, p.FamilyFreq, p.DOBFreq = 0, 0, 0, 0
	for i := range p.Addresses {
		p.Addresses[i].Freq, p.Addresses[i].PostcodeFreq, p.Addresses[i].TownFreq = 0, 0, 0
	}
}

// fullName keys the joint frequency of first given and family name.
func fullName(p *Profile) string { return p.Given[0] + "|" + p.Family }
