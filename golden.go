package resindex

import (
	"slices"
	"time"
)

// DefaultTrust orders sources from most to least trusted for the golden
// record: registers that check identity first, sources that take a
// caller's word last.
var DefaultTrust = []string{
	SourceElectoralRoll, SourceCouncilTax, SourceHousingBenefit,
	SourceHousing, SourceAdultSocialCare, SourceChildrenSocial,
	SourceSchools, SourceParking, SourceLibraries, SourceContactCentre,
}

// Provenance says where a golden value came from.
type Provenance struct {
	Source  string `json:"source"`
	Record  string `json:"record"`
	Version string `json:"version,omitempty"`
}

// GoldenValue is one field of a golden record with its provenance.
type GoldenValue[T any] struct {
	Value T          `json:"value"`
	From  Provenance `json:"from"`
}

// Golden is a person's golden record: each field from the most trusted,
// most recent source that has it.
type Golden struct {
	Name        *GoldenValue[Name]             `json:"name,omitempty"`
	DOB         *GoldenValue[string]           `json:"dob,omitempty"`
	Sex         *GoldenValue[string]           `json:"sex,omitempty"`
	Address     *GoldenValue[Address]          `json:"address,omitempty"`
	Identifiers map[string]GoldenValue[string] `json:"identifiers,omitempty"`
	Emails      *GoldenValue[[]string]         `json:"emails,omitempty"`
	Phones      *GoldenValue[[]string]         `json:"phones,omitempty"`
}

// GoldenRecord builds a golden record from a person's records under a
// source trust order (sources not listed come last, in name order). Only
// records active since activeSince (by last_activity; a record without
// one counts) give the current address.
func GoldenRecord(recs []Record, trust []string, activeSince time.Time) Golden {
	return GoldenRecordWhere(recs, trust, func(r *Record) bool { return Active(r, activeSince) })
}

// GoldenRecordWhere is GoldenRecord with the activity test given: only
// records active says are give the current address (the engine judges
// each source by its own clock).
func GoldenRecordWhere(recs []Record, trust []string, active func(*Record) bool) Golden {
	ordered := TrustOrder(recs, trust)
	var g Golden
	for i := range ordered {
		g.take(&ordered[i])
	}
	g.Address = latestAddress(slices.DeleteFunc(ordered, func(r Record) bool { return !active(&r) }))
	return g
}

// TrustOrder returns a copy of records ordered as the golden record reads
// them: most trusted source first (sources not in trust last, by name),
// then most recent version.
func TrustOrder(recs []Record, trust []string) []Record {
	ordered := slices.Clone(recs)
	rank := func(src string) int {
		if i := slices.Index(trust, src); i >= 0 {
			return i
		}
		return len(trust)
	}
	slices.SortStableFunc(ordered, func(a, b Record) int {
		if ra, rb := rank(a.Source), rank(b.Source); ra != rb {
			return ra - rb
		}
		if c := CompareVersions(a.Version, b.Version); c != 0 {
			return -c // most recent first
		}
		return a.Key().Compare(b.Key())
	})
	return ordered
}

// Active reports whether a record was active at or after the time. A
// partial date counts from its latest day ("2024" may be December).
func Active(r *Record, since time.Time) bool {
	d, err := ParsePartialDate(r.LastActivity)
	if err != nil || d.IsZero() {
		return true // no date: nothing says it is stale
	}
	return !d.Latest().Before(since)
}

// latestAddress takes the address from the most recent residence
// evidence, whatever the source's trust: people move, and the record
// that says they moved most recently knows best. Recent is by the day
// they moved in (the address's from date, else the day the record was
// written): a record re-saved for another reason (a renewed library
// card) still holding a former address does not move them back. Ties go
// to the newer version, then (ordered is by trust) the more trusted.
func latestAddress(ordered []Record) *GoldenValue[Address] {
	var best *GoldenValue[Address]
	bestAt := ""
	for i := range ordered {
		r := &ordered[i]
		a, ok := CurrentAddress(r)
		if !ok {
			continue
		}
		at := movedIn(a, r)
		if best == nil || at > bestAt || at == bestAt && CompareVersions(r.Version, best.From.Version) > 0 {
			best, bestAt = &GoldenValue[Address]{a, Provenance{Source: r.Source, Record: r.ID, Version: r.Version}}, at
		}
	}
	return best
}

// movedIn is the day a record says its subject came to live at its
// address: the address's from date, else the day the record was written.
func movedIn(a Address, r *Record) string {
	if len(a.From) >= 10 {
		return a.From[:10]
	}
	if len(r.Version) >= 10 {
		return r.Version[:10]
	}
	return r.Version
}

// take fills each field still empty from one record.
func (g *Golden) take(r *Record) {
	from := Provenance{Source: r.Source, Record: r.ID, Version: r.Version}
	if g.Name == nil && (r.Name.Given != "" || r.Name.Family != "") {
		g.Name = &GoldenValue[Name]{r.Name, from}
	}
	if g.DOB == nil && r.DOB != "" {
		if _, err := ParsePartialDate(r.DOB); err == nil {
			g.DOB = &GoldenValue[string]{r.DOB, from}
		}
	}
	if g.Sex == nil && r.Sex != "" {
		g.Sex = &GoldenValue[string]{r.Sex, from}
	}
	for kind, v := range r.Identifiers {
		if _, ok := g.Identifiers[kind]; !ok && v != "" {
			if g.Identifiers == nil {
				g.Identifiers = map[string]GoldenValue[string]{}
			}
			g.Identifiers[kind] = GoldenValue[string]{v, from}
		}
	}
	if g.Emails == nil && len(r.Emails) > 0 {
		g.Emails = &GoldenValue[[]string]{r.Emails, from}
	}
	if g.Phones == nil && len(r.Phones) > 0 {
		g.Phones = &GoldenValue[[]string]{r.Phones, from}
	}
}

// CurrentAddress is the record's address marked current, or its only one.
func CurrentAddress(r *Record) (Address, bool) {
	for _, a := range r.Addresses {
		if a.Current {
			return a, true
		}
	}
	if len(r.Addresses) == 1 {
		return r.Addresses[0], true
	}
	return Address{}, false
}
