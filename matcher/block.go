package matcher

import (
	"cmp"
	"strconv"

	"github.com/resindex/resindex"
)

// Rule names one blocking rule: records that share a key under some rule
// become a candidate pair. Several rules together let a pair through when
// any single field is wrong.
type Rule uint8

// The blocking rules, in priority order: a pair is produced by the first
// rule under which it shares a key, never twice.
const (
	RuleNHS Rule = iota
	RuleNINO
	RuleUPN
	RuleOtherID
	RuleEmail
	RulePhone
	RuleDOBGiven   // full date of birth + given or family initial
	RuleDOBFamily  // retired (dob+initial takes either initial); kept so the rules keep their numbers
	RuleFamilyYear // family phonetic code + birth year
	RuleProperty   // UPRN or normalised address
	RulePostGiven  // postcode + given initial
	RulePostFamily // postcode + family phonetic code
	RuleNames      // given and family phonetic codes, in either order
	RuleFamilyInit // family phonetic code + given initial
	RuleDOBPlace   // full date of birth + postcode district or town: no name
	RuleGivenYear  // given phonetic code + birth year: no family name
	RuleTownGiven  // town + given and family initials: no date of birth, no postcode
	NumRules
)

var ruleNames = [NumRules]string{
	"nhs", "nino", "upn", "other_id", "email", "phone", "dob+initial",
	"dob+family_initial", "family_phonetic+birth_year", "property",
	"postcode+given_initial", "postcode+family_phonetic", "names_phonetic",
	"family_phonetic+given_initial", "dob+place", "given_phonetic+birth_year",
	"town+initials",
}

// Fallback reports whether a rule is one of those that need no name, no
// family name or no date of birth: they find what the others miss where
// names or dates are poorly kept, and the caller may leave them out where
// their blocks would be crowds.
func (r Rule) Fallback() bool {
	return r == RuleDOBPlace || r == RuleGivenYear || r == RuleTownGiven
}

// String returns the rule's name as reported in link statistics.
func (r Rule) String() string { return ruleNames[r] }

// BlockingKeys are one profile's blocking keys, grouped by rule. Keys are
// 64-bit hashes of the rule and the value.
type BlockingKeys struct {
	keys []uint64
	off  [NumRules + 1]uint32
}

// Rule returns the keys of one rule.
func (k *BlockingKeys) Rule(r Rule) []uint64 { return k.keys[k.off[r]:k.off[r+1]] }

// NewBlockingKeys computes every blocking key of a profile.
func NewBlockingKeys(p *Profile) BlockingKeys {
	var b keyBuilder
	b.add(RuleNHS, p.NHS)
	b.add(RuleNINO, p.NINO)
	b.add(RuleUPN, p.UPN)
	b.add(RuleOtherID, p.Opaque...)
	b.add(RuleEmail, p.Emails...)
	b.add(RulePhone, p.Phones...)
	dob := ""
	if p.DOB.Precision == resindex.PrecisionDay {
		dob = p.DOB.String()
	}
	gi, fi := initial(p.Given), initial(p.FamilyT)
	// Either initial under one rule, so that a record whose names were
	// entered in each other's fields still meets its twin.
	b.addPair(RuleDOBGiven, dob, gi)
	b.addPair(RuleDOBGiven, dob, fi)
	b.to(RuleDOBFamily) // retired: dob+initial holds its keys
	year := ""
	if !p.DOB.IsZero() {
		year = strconv.Itoa(p.DOB.Year)
	}
	b.addEach(RuleFamilyYear, familyCodes(p), year)
	for _, a := range p.Addresses {
		b.add(RuleProperty, a.PropertyKey(), a.streetKey())
		if a.UPRN != "" {
			b.add(RuleProperty, a.Key)
		}
	}
	for _, a := range p.Addresses {
		b.addPair(RulePostGiven, a.Postcode, gi)
	}
	for _, a := range p.Addresses {
		b.addEach(RulePostFamily, familyCodes(p), a.Postcode)
	}
	b.addNames(p)
	b.addEach(RuleFamilyInit, p.FamilyPh, gi)
	for _, a := range p.Addresses {
		b.addPair(RuleDOBPlace, dob, cmp.Or(a.Outward, a.Town))
	}
	if len(p.GivenPh) > 0 {
		b.addPair(RuleGivenYear, p.GivenPh[0], year)
	}
	for _, a := range p.Addresses {
		if a.Postcode == "" {
			b.addPair(RuleTownGiven, a.Town, gi+fi)
		}
	}
	return b.done()
}

// FamilyOnlyKeys are the blocks a search by family name alone looks in:
// the family-phonetic + given-initial block of every possible initial
// (an initial is a name's first byte), since no rule keys a family name
// by itself. Empty without a family name.
func FamilyOnlyKeys(p *Profile) []uint64 {
	var out []uint64
	for _, code := range p.FamilyPh {
		for c := range 256 {
			out = append(out, hashKey(RuleFamilyInit, code, string([]byte{byte(c)})))
		}
	}
	return out
}

func initial(toks []string) string {
	if len(toks) == 0 || toks[0] == "" {
		return ""
	}
	return toks[0][:1]
}

// familyCodes are the phonetic codes of every family-name part and of
// previous family names.
func familyCodes(p *Profile) []string {
	codes := append([]string(nil), p.FamilyPh...)
	for _, o := range p.OtherFamily {
		codes = append(codes, Phonetic(compactName(o)))
	}
	return codes
}

func compactName(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' {
			out = append(out, s[i])
		}
	}
	return string(out)
}

type keyBuilder struct {
	k    BlockingKeys
	rule Rule
}

func (b *keyBuilder) to(r Rule) {
	for b.rule < r {
		b.rule++
		b.k.off[b.rule] = uint32(len(b.k.keys))
	}
}

func (b *keyBuilder) add(r Rule, vals ...string) {
	b.to(r)
	for _, v := range vals {
		if v == "" {
			continue
		}
		h := hashKey(r, v, "")
		if !containsKey(b.k.keys[b.k.off[r]:], h) {
			b.k.keys = append(b.k.keys, h)
		}
	}
}

func (b *keyBuilder) addPair(r Rule, x, y string) {
	b.to(r)
	if x == "" || y == "" {
		return
	}
	h := hashKey(r, x, y)
	if !containsKey(b.k.keys[b.k.off[r]:], h) {
		b.k.keys = append(b.k.keys, h)
	}
}

func (b *keyBuilder) addEach(r Rule, xs []string, y string) {
	for _, x := range xs {
		b.addPair(r, x, y)
	}
	b.to(r)
}

func (b *keyBuilder) addNames(p *Profile) {
	b.to(RuleNames)
	if len(p.GivenPh) == 0 {
		return
	}
	g := p.GivenPh[0]
	for _, f := range p.FamilyPh {
		if g > f {
			b.addPair(RuleNames, f, g)
		} else {
			b.addPair(RuleNames, g, f)
		}
	}
}

func (b *keyBuilder) done() BlockingKeys {
	b.to(NumRules)
	return b.k
}

// hashKey is FNV-1a over the rule, x, a separator and y, written out so
// that a million records' keys cost no allocation.
func hashKey(r Rule, x, y string) uint64 {
	const prime = 1099511628211
	h := uint64(14695981039346656037)
	h = (h ^ uint64(r)) * prime
	for i := 0; i < len(x); i++ {
		h = (h ^ uint64(x[i])) * prime
	}
	h = (h ^ 0xff) * prime
	for i := 0; i < len(y); i++ {
		h = (h ^ uint64(y[i])) * prime
	}
	return h
}

func containsKey(keys []uint64, h uint64) bool {
	for _, k := range keys {
		if k == h {
			return true
		}
	}
	return false
}

// FirstShared reports whether the key h of rule r is the first key the two
// profiles share, in rule order then key order: the one place where their
// pair is produced, so that no pair is scored twice. Rules the caller
// left out (skip, may be nil) produce nothing, so a pair they share falls
// to the next rule it shares a key in.
func FirstShared(a, b *BlockingKeys, r Rule, h uint64, skip *[NumRules]bool) bool {
	ma := a.EarlierMask(r)
	return FirstSharedMasked(a, &ma, b, r, h, skip)
}

// FirstSharedMasked is FirstShared given a's EarlierMask(r): a record is
// paired with every other of its block, and its half of the quick test
// (see KeyMask) is computed once for all of them.
func FirstSharedMasked(a *BlockingKeys, ma *KeyMask, b *BlockingKeys, r Rule, h uint64, skip *[NumRules]bool) bool {
	// The earlier rules' keys are searched as one run; a key found is
	// checked to be of the same rule on both sides.
	earlier := b.keys[:b.off[r]]
	if mb := maskOf(earlier); ma.meets(&mb) {
		for i, x := range a.keys[:a.off[r]] {
			for j, y := range earlier {
				if x != y {
					continue
				}
				if q := a.ruleAt(i); q == b.ruleAt(j) && (skip == nil || !skip[q]) {
					return false
				}
			}
		}
	}
	for _, x := range a.Rule(r) {
		if x < h && containsKey(b.Rule(r), x) {
			return false
		}
	}
	return true
}

// KeyMask is a filter of a list of keys: each key sets one of 256 bits,
// and lists without a bit in common cannot share a key. Testing two masks
// costs one pass over each list instead of one over b for every key of
// a, and most pairs share nothing before their rule.
type KeyMask [4]uint64

// EarlierMask is the mask of the keys of the rules before r.
func (k *BlockingKeys) EarlierMask(r Rule) KeyMask { return maskOf(k.keys[:k.off[r]]) }

func maskOf(keys []uint64) KeyMask {
	var m KeyMask
	for _, x := range keys {
		m[x>>6&3] |= 1 << (x & 63)
	}
	return m
}

func (m *KeyMask) meets(o *KeyMask) bool {
	return m[0]&o[0]|m[1]&o[1]|m[2]&o[2]|m[3]&o[3] != 0
}

// ruleAt is the rule of the i-th key.
func (k *BlockingKeys) ruleAt(i int) Rule {
	r := Rule(0)
	for int(k.off[r+1]) <= i {
		r++
	}
	return r
}

// streetKey names a property by flat, number and street, so that a record
// without a postcode still meets one with it.
func (a AddressFeature) streetKey() string {
	if a.Number == "" || a.Street == "" {
		return ""
	}
	return "street|" + a.Flat + "|" + a.Number + "|" + a.Street
}
