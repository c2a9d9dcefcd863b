package access

import (
	"maps"
	"slices"

	"github.com/resindex/resindex"
)

// SourceRecordView is one source record of a person whose golden record the
// index does not keep (a child without recorded consent, under the
// children's policy): what the role may see of that record alone, so
// that children's services see each service's record of the child
// rather than a single record merged from them.
type SourceRecordView struct {
	Source       string             `json:"source"`
	ID           string             `json:"id"`
	LastActivity string             `json:"last_activity,omitempty"`
	Name         *resindex.Name     `json:"name,omitempty"`
	DOB          string             `json:"dob,omitempty"`
	Sex          string             `json:"sex,omitempty"`
	Addresses    []resindex.Address `json:"addresses,omitempty"`
	Identifiers  map[string]string  `json:"identifiers,omitempty"`
	Emails       []string           `json:"emails,omitempty"`
	Phones       []string           `json:"phones,omitempty"`
	Flags        []string           `json:"flags,omitempty"`
	Attributes   map[string]string  `json:"attributes,omitempty"`
}

// merged are the records a view may combine into one: all the visible
// ones, or only the most trusted when the index keeps no golden record
// of the person (nothing is merged across services).
func (sub *subject) merged() []resindex.Record {
	if sub.noGolden && len(sub.visible) > 1 {
		return sub.visible[:1]
	}
	return sub.visible
}

// sourceRecordViews shows each record (in trust order) as far as the role's
// grants for the subject's class go.
func sourceRecordViews(recs []resindex.Record, grant func(string) bool) []SourceRecordView {
	out := make([]SourceRecordView, 0, len(recs))
	for i := range recs {
		out = append(out, sourceRecordView(&recs[i], grant))
	}
	return out
}

func sourceRecordView(r *resindex.Record, grant func(string) bool) SourceRecordView {
	v := SourceRecordView{Source: r.Source, ID: r.ID, LastActivity: r.LastActivity}
	if n := r.Name; grant("name") && n != (resindex.Name{}) {
		v.Name = &n
	}
	if grant("dob") {
		v.DOB = r.DOB
	}
	if grant("sex") {
		v.Sex = r.Sex
	}
	if grant("address") {
		v.Addresses = slices.Clone(r.Addresses)
	}
	if grant("emails") {
		v.Emails = slices.Clone(r.Emails)
	}
	if grant("phones") {
		v.Phones = slices.Clone(r.Phones)
	}
	v.Identifiers = granted(r.Identifiers, "identifiers.", grant)
	v.Attributes = granted(r.Attributes, "attributes.", grant)
	for _, f := range r.Flags {
		if grant("flags." + f) {
			v.Flags = append(v.Flags, f)
		}
	}
	return v
}

// granted keeps the entries of m whose field (prefix + key) the role
// sees; nil when none.
func granted(m map[string]string, prefix string, grant func(string) bool) map[string]string {
	out := maps.Clone(m)
	maps.DeleteFunc(out, func(k, v string) bool { return v == "" || !grant(prefix+k) })
	if len(out) == 0 {
		return nil
	}
	return out
}
