package access

import (
	"errors"
	"slices"

	"github.com/resindex/resindex"
)

// A search may find a person by a record, or a field, the principal may
// not see: a hidden source's record holding the NHS number searched for,
// an old postcode outside the window. Ranking such a person would answer
// a question about data the role may not see, so a hit counts only by
// the records the role sees, and only when the role sees every field the
// query searches by for the person's class.

// found is a person a search found whom the role may see, with the weight
// of their best visible record.
type found struct {
	sub    *subject
	weight float64
}

// queryFields are the policy fields a query searches by.
func queryFields(q *resindex.Query) []string {
	var out []string
	if q.Given != "" || q.Family != "" {
		out = append(out, "name")
	}
	if q.DOB != "" {
		out = append(out, "dob")
	}
	if q.Postcode != "" || len(q.AddressLines) > 0 {
		out = append(out, "address")
	}
	for k := range q.Identifiers {
		out = append(out, "identifiers."+k)
	}
	slices.Sort(out)
	return out
}

// mayQuery reports whether the role sees every field of a class that a
// query searches by.
func mayQuery(role *Role, c Class, fields []string) bool {
	return role.Sees(c) && !slices.ContainsFunc(fields, func(f string) bool { return !role.Field(c, f) })
}

// MaySearchBy reports whether the role sees, for adults or children,
// every field a query searches by: a search by any other is refused.
func (r *Role) MaySearchBy(q resindex.Query) bool { return checkQueryGrants(r, queryFields(&q)) == nil }

// checkQueryGrants refuses a query by a field the role sees for no class,
// naming it (a role may not search by what it may not see).
func checkQueryGrants(role *Role, fields []string) error {
	for _, f := range fields {
		if !role.Field(Adult, f) && !role.Field(Child, f) {
			return &InputError{f, "your role does not see this field, so may not search by it"}
		}
	}
	return nil
}

// visibleWeight is the weight of the hit's best match among the records
// the subject shows the role.
func visibleWeight(h *resindex.Hit, sub *subject) (float64, bool) {
	for _, m := range h.Matches { // best first
		if slices.ContainsFunc(sub.visible, func(r resindex.Record) bool { return r.Key() == m.Record }) {
			return m.Weight, true
		}
	}
	return 0, false
}

// rankVisible keeps the hits the role may see, ranked by their visible
// weight, until more than want are certain (hits come best first, and a
// visible weight is never above the hit's). withheld counts shielded
// persons left out for want of a reason.
// read keeps the persons read, so that ranking a longer list of the same
// hits reads none again (nil: keep none).
func (s *Service) rankVisible(role *Role, hits []resindex.Hit, fields []string, reason string, want int, read map[string]personRead) ([]found, int, error) {
	var out []found // by weight, best first
	withheld := 0
	for i := range hits {
		h := &hits[i]
		if len(out) > want && h.Weight <= out[want].weight {
			break // cannot reach the first want+1 (ties keep the index's order)
		}
		m, err := s.readPerson(h.PersonID, read)
		if errors.Is(err, resindex.ErrNotFound) {
			continue // gone since the search
		}
		if err != nil {
			return nil, 0, err
		}
		sub, err := s.see(role, &m, reason)
		if errors.Is(err, ErrReasonRequired) {
			withheld++
		}
		if err != nil || !mayQuery(role, sub.class, fields) {
			continue
		}
		if w, ok := visibleWeight(h, sub); ok {
			// After every weight at least as high: ties keep the index's order.
			at, _ := slices.BinarySearchFunc(out, w, func(f found, w float64) int {
				if f.weight >= w {
					return -1
				}
				return 1
			})
			out = slices.Insert(out, at, found{sub, w})
		}
	}
	return out, withheld, nil
}

// personRead is one person as the index gave it, or the error it gave.
type personRead struct {
	p   resindex.Person
	err error
}

// readPerson reads a person from the index, or from read if it holds it.
func (s *Service) readPerson(id string, read map[string]personRead) (resindex.Person, error) {
	if r, ok := read[id]; ok {
		return r.p, r.err
	}
	p, err := s.index.Person(id)
	if read != nil {
		read[id] = personRead{p, err}
	}
	return p, err
}
