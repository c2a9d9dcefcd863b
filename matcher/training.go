package matcher

import (
	"strconv"

	"github.com/resindex/resindex"
)

// TrainingBlock is a way of pairing records for one EM session: records
// that share a key are paired, and the comparisons that the key makes
// agree are fixed (left out) in that session.
type TrainingBlock struct {
	Session Session
	// Key returns the block of a profile; "" leaves it out.
	Key func(p *Profile) string
}

// TrainingBlocks are the sessions m is estimated in, as Splink's training
// advises: one blocked on the date of birth estimates the names, one
// blocked on the names estimates the date of birth, and any identifier or
// email estimates everything else again. The caller keeps those whose key
// the data fills often enough.
func TrainingBlocks() []TrainingBlock {
	return []TrainingBlock{
		{fixed("date of birth", CmpDOB), dobKey},
		{fixed("names", CmpGiven, CmpFamily), NamesKey},
		{personal(fixed("nhs", CmpNHS)), func(p *Profile) string { return p.NHS }},
		{personal(fixed("nino", CmpNINO)), func(p *Profile) string { return p.NINO }},
		{personal(fixed("upn", CmpUPN)), func(p *Profile) string { return p.UPN }},
		{personal(fixed("other identifier", CmpOtherID)), firstOf(func(p *Profile) []string { return p.Opaque })},
		{personal(fixed("email", CmpEmail)), firstOf(func(p *Profile) []string { return p.Emails })},
	}
}

// HouseholdBlock pairs records at one property, for EstimateHousehold.
func HouseholdBlock(p *Profile) string {
	if len(p.Addresses) == 0 {
		return ""
	}
	return p.Addresses[0].PropertyKey()
}

func personal(s Session) Session {
	s.Personal = true
	return s
}

func fixed(name string, cs ...Comparison) Session {
	s := Session{Name: name}
	for _, c := range cs {
		s.Fixed[c] = true
	}
	return s
}

func dobKey(p *Profile) string {
	if p.DOB.Precision != resindex.PrecisionDay { // a year alone is a crowd
		return ""
	}
	return strconv.Itoa(p.DOB.Year*10000 + p.DOB.Month*100 + p.DOB.Day)
}

// NamesDOBKey adds the full date of birth to NamesKey: the deterministic
// rule the prior is counted from.
func NamesDOBKey(p *Profile) string {
	n, d := NamesKey(p), dobKey(p)
	if n == "" || d == "" {
		return ""
	}
	return n + "|" + d
}

// NamesKey is the names session's block: first given name and family
// name, or "" without both.
func NamesKey(p *Profile) string {
	if len(p.Given) == 0 || len(p.Given[0]) < 2 || p.Family == "" {
		return ""
	}
	return p.Given[0] + "|" + p.Family
}

func firstOf(vals func(p *Profile) []string) func(p *Profile) string {
	return func(p *Profile) string {
		if v := vals(p); len(v) > 0 {
			return v[0]
		}
		return ""
	}
}
