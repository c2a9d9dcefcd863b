package resolver

import (
	"slices"
	"unsafe"

	"github.com/resindex/resindex/matcher"
)

// newEntry makes a cache entry of a profile, compacted: normalising a
// record leaves its profile in some thirty small objects (each token,
// phonetic code and address part its own string), and a million cached
// profiles made the garbage collector mark tens of millions of objects
// every cycle. The compacted profile holds the same strings, copied into
// one block of bytes, and its string lists share one backing array, so it
// is about four objects. Its values are unchanged: only where they live.
func newEntry(p matcher.Profile) *profileEntry {
	en := &profileEntry{p: p}
	compactProfile(&en.p)
	return en
}

// compactProfile moves a profile's strings into one allocation and its
// string lists into another. Fields it does not know (added to the
// matcher later) are left where they are, which is only less compact.
func compactProfile(p *matcher.Profile) {
	p.Addresses = slices.Clone(p.Addresses) // the caller's profile keeps its own
	var c compactor
	c.visit(p, c.countString, c.countList)
	c.buf = make([]byte, 0, c.bytes)
	c.lists = make([]string, 0, c.strs)
	c.visit(p, c.moveString, c.moveList)
}

// compactor counts, then moves, a profile's strings.
type compactor struct {
	bytes, strs int
	buf         []byte
	lists       []string
}

// visit calls str for each string field and list for each string list of p.
func (c *compactor) visit(p *matcher.Profile, str func(*string), list func(*[]string)) {
	str(&p.Key.Source)
	str(&p.Key.ID)
	str(&p.Family)
	str(&p.NHS)
	str(&p.NINO)
	str(&p.UPN)
	for _, l := range []*[]string{&p.Given, &p.GivenPh, &p.FamilyT, &p.FamilyPh, &p.OtherFamily, &p.Opaque, &p.Emails, &p.Phones, &p.Problems} {
		list(l)
	}
	for i := range p.Addresses {
		a := &p.Addresses[i]
		for _, s := range []*string{&a.UPRN, &a.Key, &a.Postcode, &a.Outward, &a.Sector, &a.Number, &a.Flat, &a.Building, &a.Street, &a.Town} {
			str(s)
		}
		list(&a.Tokens)
		list(&a.LineTokens)
	}
}

func (c *compactor) countString(s *string) { c.bytes += len(*s) }

func (c *compactor) countList(l *[]string) {
	c.strs += len(*l)
	for _, s := range *l {
		c.bytes += len(s)
	}
}

// moveString re-points s at a copy in the block. The block was sized
// before, so it never grows and earlier strings stay where they were put.
func (c *compactor) moveString(s *string) {
	if len(*s) == 0 {
		return
	}
	at := len(c.buf)
	c.buf = append(c.buf, *s...)
	*s = unsafe.String(&c.buf[at], len(*s))
}

// moveList re-points a list at its part of the shared backing array,
// capped at its length so that an append copies rather than overwrites.
func (c *compactor) moveList(l *[]string) {
	if *l == nil {
		return
	}
	at := len(c.lists)
	for _, s := range *l {
		c.moveString(&s)
		c.lists = append(c.lists, s)
	}
	*l = c.lists[at:len(c.lists):len(c.lists)]
}
