package matcher

import (
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/resindex/resindex"
)

// Profile is a record reduced to the normalised, validated features the
// matcher compares. It is computed once per record; comparisons never
// re-normalise.
type Profile struct {
	// The fields every candidate pair reads before its names are
	// compared (see Scorer.ScoreAtLeast) come first, so that they share
	// as few cache lines as they can: scoring a million records reads
	// two profiles at random for each of tens of millions of pairs.

	// rank is the profile's place in a batch in key order (see RankByKey):
	// the batch's number in the high half, the place in the low half, 0
	// when unranked.
	rank uint64

	DOB resindex.PartialDate // zero when absent or unparseable
	Sex byte                 // 'M', 'F' or 0

	Addresses []AddressFeature

	NHS, NINO, UPN string   // valid normalised values only
	Opaque         []string // "kind=value" of unknown identifier kinds, sorted
	Emails, Phones []string

	// Frequencies of this record's own values, filled by Annotate
	// so that term-frequency adjustment costs nothing per pair.
	GivenFreq, FamilyFreq, DOBFreq float64
	// NameFreq is the frequency of the first given and family name together.
	NameFreq float64
	// nameLogs hold log2 of GivenFreq and FamilyFreq as Annotate left
	// them (see tfLog).
	nameLogs [2]tfLog

	Key resindex.RecordKey

	Given    []string // given-name tokens, titles removed
	GivenPh  []string // phonetic code per given token
	Family   string   // family name tokens joined by a space
	FamilyT  []string // family name tokens (double-barrelled parts)
	FamilyPh []string // phonetic code per family token
	// Other family names the source knows (maiden, previous, alias).
	OtherFamily []string

	// Problems lists fields that were present but unusable as evidence.
	Problems []string
}

// batches numbers the batches RankByKey ranks, so that ranks from two
// batches are never compared.
var batches atomic.Uint32

// RankByKey numbers a batch of profiles that is in key order, so that a
// pair of them is put in key order (see after) by comparing two numbers
// instead of two keys: comparing the keys cost a tenth of a large link's
// scoring. Profiles not strictly in key order are left unranked.
func RankByKey(ps []Profile) {
	for i := 1; i < len(ps); i++ {
		if !ps[i-1].Key.Less(ps[i].Key) {
			return
		}
	}
	if len(ps) >= 1<<32-1 {
		return
	}
	batch := uint64(batches.Add(1))
	for i := range ps {
		ps[i].rank = batch<<32 | uint64(i+1)
	}
}

// AddressFeature is one address of a profile, parsed for comparison.
type AddressFeature struct {
	// What compareAddress reads of every pair of addresses comes first
	// (see Profile).
	h        addressHashes
	UPRN     string
	Key      string // normalised address key
	Postcode string // normalised
	Number   string
	Street   string
	Flat     string
	Sector   string
	Town     string // normalised town or locality
	// LineTokens are the Tokens that are not the town's words, computed
	// once here because every comparison of two addresses reads them.
	LineTokens []string
	Freq       float64 // share of records holding this property
	// PostcodeFreq is the share of records with this postcode, TownFreq
	// with this town.
	PostcodeFreq, TownFreq float64

	Outward  string
	Building string
	Tokens   []string
}

// NewProfile normalises and validates a record's fields.
func NewProfile(r *resindex.Record) Profile {
	p := Profile{Key: r.Key()}
	p.setNames(r)
	p.setDOB(r.DOB)
	p.Sex = normaliseSex(r.Sex)
	for i := range capped(&p, "addresses", r.Addresses) {
		if a, ok := newAddressFeature(&r.Addresses[i]); ok {
			p.Addresses = append(p.Addresses, a)
		}
	}
	p.setIdentifiers(r.Identifiers)
	for _, e := range capped(&p, "emails", r.Emails) {
		if n := NormaliseEmail(e); n != "" {
			p.Emails = appendUnique(p.Emails, n)
		}
	}
	for _, ph := range capped(&p, "phones", r.Phones) {
		if n := NormalisePhone(ph); n != "" {
			p.Phones = appendUnique(p.Phones, n)
		}
	}
	p.detach()
	return p
}

// detach copies the values a profile may have kept as the record gave
// them (a normaliser returns its input when it is already normal), so
// that the profile shares no memory with the record: a decoder may hold
// a record's strings in one allocation, which one kept value would keep
// whole after the record is released (see TestProfileKeepsNoInputString).
func (p *Profile) detach() {
	for i := range p.Given {
		p.Given[i] = strings.Clone(p.Given[i])
	}
	p.Family = strings.Clone(p.Family)
	for i, t := range p.FamilyT {
		if t == p.Family {
			p.FamilyT[i] = p.Family // one token: the same string
		} else {
			p.FamilyT[i] = strings.Clone(t)
		}
	}
	for i := range p.OtherFamily {
		p.OtherFamily[i] = strings.Clone(p.OtherFamily[i])
	}
	for i := range p.Addresses {
		p.Addresses[i].UPRN = strings.Clone(p.Addresses[i].UPRN)
	}
	p.NHS, p.NINO, p.UPN = strings.Clone(p.NHS), strings.Clone(p.NINO), strings.Clone(p.UPN)
	for i := range p.Emails {
		p.Emails[i] = strings.Clone(p.Emails[i])
	}
}

// MaxValues bounds how many addresses, emails, phones, other names and
// identifiers of one record are used: no real person has more, and an
// extract that repeats a field thousands of times must not slow every
// comparison down. The rest are reported and ignored.
const MaxValues = 32

func capped[T any](p *Profile, field string, vals []T) []T {
	if len(vals) <= MaxValues {
		return vals
	}
	p.Problems = append(p.Problems, fmt.Sprintf("%s: %d values, only the first %d used", field, len(vals), MaxValues))
	return vals[:MaxValues]
}

func (p *Profile) setNames(r *resindex.Record) {
	p.Given = splitInitials(NameTokens(r.Name.Given))
	p.GivenPh = phonetics(p.Given)
	p.FamilyT = NameTokens(r.Name.Family)
	p.Family = strings.Join(p.FamilyT, " ")
	p.FamilyPh = phonetics(p.FamilyT)
	for _, n := range capped(p, "other_names", r.OtherNames) {
		if f := strings.Join(NameTokens(n.Family), " "); f != "" && f != p.Family {
			p.OtherFamily = appendUnique(p.OtherFamily, f)
		}
	}
}

func (p *Profile) setDOB(s string) {
	d, err := resindex.ParsePartialDate(strings.TrimSpace(s))
	if err != nil {
		p.Problems = append(p.Problems, "dob: "+err.Error())
		return
	}
	p.DOB = d
}

func (p *Profile) setIdentifiers(ids map[string]string) {
	kinds := make([]string, 0, len(ids))
	for k := range ids {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, kind := range capped(p, "identifiers", kinds) {
		v := strings.TrimSpace(ids[kind])
		if v == "" {
			continue
		}
		if !p.setIdentifier(strings.ToLower(kind), v) {
			p.Problems = append(p.Problems, "identifiers."+kind+": invalid")
		}
	}
}

// setIdentifier stores one identifier and reports whether it was valid.
func (p *Profile) setIdentifier(kind, v string) bool {
	var ok bool
	switch kind {
	case resindex.IDNHS:
		p.NHS, ok = ValidNHS(v)
	case resindex.IDNINO:
		p.NINO, ok = ValidNINO(v)
	case resindex.IDUPN:
		p.UPN, ok = ValidUPN(v)
	case resindex.IDUPRN:
		// A UPRN names a property, not a person: it is address evidence,
		// used through the addresses, never as a personal identifier.
		_, ok = ValidUPRN(v)
	default:
		n := strings.ToUpper(strings.Join(strings.Fields(v), ""))
		p.Opaque = append(p.Opaque, kind+"="+n)
		ok = true
	}
	if !ok {
		switch kind {
		case resindex.IDNHS:
			p.NHS = ""
		case resindex.IDNINO:
			p.NINO = ""
		case resindex.IDUPN:
			p.UPN = ""
		}
	}
	return ok
}

func newAddressFeature(a *resindex.Address) (AddressFeature, bool) {
	parts := ParseAddress(a.Lines, a.Town, a.Postcode)
	f := AddressFeature{
		Postcode: parts.Postcode,
		Number:   parts.Number,
		Flat:     parts.Flat,
		Building: parts.Building,
		Street:   parts.Street,
		Tokens:   parts.Tokens,
		Town:     parts.Town,
	}
	f.LineTokens = lineTokens(parts.Tokens, parts.Town)
	if u, ok := ValidUPRN(a.UPRN); ok {
		f.UPRN = u
	}
	if IsPseudoPostcode(f.Postcode) {
		f.Postcode = ""
	}
	if out, sec, ok := PostcodeParts(f.Postcode); ok {
		f.Outward, f.Sector = out, sec
	}
	f.Key = addressKey(parts, f.Postcode)
	if f.Key == "" && f.UPRN == "" && f.Postcode == "" && f.Town == "" {
		return f, false
	}
	f.h = hashAddress(&f)
	return f, true
}

// lineTokens returns the tokens that are not one of the town's words.
func lineTokens(toks []string, town string) []string {
	if town == "" {
		return toks
	}
	townWords := strings.Fields(town)
	var keep []string
	for _, t := range toks {
		if !slices.Contains(townWords, t) {
			keep = append(keep, t)
		}
	}
	return keep
}

// addressKey is the exact-comparison key of an address: its parsed parts
// when there is a house number or building, otherwise empty (a street or
// postcode alone does not name a property).
func addressKey(p AddressParts, postcode string) string {
	if p.Number == "" && p.Building == "" {
		return ""
	}
	where := postcode
	if where == "" {
		where = p.Street
	}
	return p.Flat + "|" + p.Number + "|" + p.Building + "|" + where
}

// PropertyKey is the household key of an address: the UPRN when known,
// otherwise the normalised address key.
func (a AddressFeature) PropertyKey() string {
	if a.UPRN != "" {
		return "uprn:" + a.UPRN
	}
	return a.Key
}

// splitInitials turns a run of initials written as one token ("JR",
// "Fg") into one token per initial. Only short tokens without a vowel that
// are not known names qualify, so "Md" (Muhammad) and "Ng" stay whole.
func splitInitials(toks []string) []string {
	for i, t := range toks {
		if len(t) < 2 || len(t) > 3 || hasVowel(t) || GivenNameGroups(t) != nil {
			continue
		}
		out := append([]string{}, toks[:i]...)
		for j := 0; j < len(t); j++ {
			out = append(out, t[j:j+1])
		}
		return append(out, splitInitials(toks[i+1:])...)
	}
	return toks
}

func hasVowel(s string) bool { return strings.ContainsAny(s, "aeiouy") }

func normaliseSex(s string) byte {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "M", "MALE", "1":
		return 'M'
	case "F", "FEMALE", "2":
		return 'F'
	}
	return 0
}

func phonetics(toks []string) []string {
	if len(toks) == 0 {
		return nil
	}
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = Phonetic(t)
	}
	return out
}

func appendUnique(list []string, v string) []string {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}
