package matcher

import (
	"hash/maphash"
	"sync"
)

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
// linked, in memory. The values are spread over shards by a hash so that
// counting a million profiles' values shares out over the cores.
type Frequencies struct {
	N      int
	seed   maphash.Seed
	shards [freqShards]map[KindValue]uint32
}

const freqShards = 64

// newFrequencies returns empty tables.
func newFrequencies() *Frequencies {
	f := &Frequencies{seed: maphash.MakeSeed()}
	for i := range f.shards {
		f.shards[i] = map[KindValue]uint32{}
	}
	return f
}

func (f *Frequencies) shard(kv KindValue) map[KindValue]uint32 {
	return f.shards[(maphash.String(f.seed, kv.Value)^uint64(kv.Kind))%freqShards]
}

// CountFrequencies builds the tables over a set of profiles on the given
// number of workers: first each worker lists its profiles' values by
// shard, then each shard is counted by one worker.
func CountFrequencies(ps []Profile, workers int) *Frequencies {
	f := newFrequencies()
	f.N = len(ps)
	workers = max(workers, 1)
	lists := make([][freqShards][]KindValue, workers)
	forEachShare(len(ps), workers, func(w, lo, hi int) {
		for i := lo; i < hi; i++ {
			for _, kv := range Values(&ps[i]) {
				s := (maphash.String(f.seed, kv.Value) ^ uint64(kv.Kind)) % freqShards
				lists[w][s] = append(lists[w][s], kv)
			}
		}
	})
	forEachShare(freqShards, workers, func(_, lo, hi int) {
		for s := lo; s < hi; s++ {
			for w := range lists {
				for _, kv := range lists[w][s] {
					f.shards[s][kv]++
				}
				lists[w][s] = nil
			}
		}
	})
	return f
}

// forEachShare splits [0,n) into one contiguous share per worker and runs
// them at once.
func forEachShare(n, workers int, f func(w, lo, hi int)) {
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := n*w/workers, n*(w+1)/workers
		wg.Go(func() { f(w, lo, hi) })
	}
	wg.Wait()
}

// Count returns how many records hold the value.
func (f *Frequencies) Count(kind byte, value string) uint32 {
	kv := KindValue{kind, value}
	return f.shard(kv)[kv]
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
	p.nameLogs = [2]tfLog{newTFLog(p.GivenFreq, m.TFMinimum), newTFLog(p.FamilyFreq, m.TFMinimum)}
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
	p.nameLogs = [2]tfLog{}
	for i := range p.Addresses {
		p.Addresses[i].Freq, p.Addresses[i].PostcodeFreq, p.Addresses[i].TownFreq = 0, 0, 0
	}
}

// fullName keys the joint frequency of first given and family name.
func fullName(p *Profile) string { return p.Given[0] + "|" + p.Family }
