package access

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/resindex/resindex"
)

// A search may find a person by a record, a field or a value the
// principal may not see: a hidden source's record holding the NHS number
// searched for, an old postcode outside the window, a previous address
// the role is not shown. Ranking such a person would answer a question
// about data the role may not see, so a hit counts only by the records
// the role sees, only when the role sees every field the query searches
// by for the person's class, and is ranked without any part of the query
// that agreed only with a value the role is not shown (matched.go).

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

// ranking ranks one query's hits for a role.
type ranking struct {
	s      *Service
	role   *Role
	q      resindex.Query
	fields []string // the policy fields the query searches by
	probe  *probe
	reason string
	depth  int // how many hits the index is asked for
	// read keeps the persons read, so that ranking a longer list of the
	// same hits reads none again (nil: keep none).
	read map[string]personRead
	// less holds the hits of the query without some of its parts, by
	// the parts left out and then by person: asked of the index once.
	less map[string]map[string]*resindex.Hit
}

func (s *Service) newRanking(role *Role, q resindex.Query, reason string, depth int, read map[string]personRead) *ranking {
	return &ranking{s: s, role: role, q: q, fields: queryFields(&q), probe: newProbe(&q), reason: reason, depth: depth, read: read,
		less: map[string]map[string]*resindex.Hit{}}
}

// rank keeps the hits the role may see, ranked by their visible weight,
// until more than want are certain (hits come best first, and a visible
// weight is never above the hit's). withheld counts the shielded persons
// a reason would have shown.
func (rk *ranking) rank(hits []resindex.Hit, want int) ([]found, int, error) {
	var out []found // by weight, best first
	withheld := 0
	for i := range hits {
		h := &hits[i]
		if len(out) > want && h.Weight <= out[want].weight {
			break // cannot reach the first want+1 (ties keep the index's order)
		}
		sub, w, ok, err := rk.weigh(h)
		switch {
		case err != nil:
			return nil, 0, err
		case !ok:
			continue
		case sub.shielded && strings.TrimSpace(rk.reason) == "":
			withheld++
			continue
		}
		// After every weight at least as high: ties keep the index's order.
		at, _ := slices.BinarySearchFunc(out, w, func(f found, w float64) int {
			if f.weight >= w {
				return -1
			}
			return 1
		})
		out = slices.Insert(out, at, found{sub, w})
	}
	return out, withheld, nil
}

// weigh decides whether a hit is one the role would be shown (given a
// reason, for a shielded person), and at what weight: only when the role
// sees the person's class and every field searched by for it, by the
// best of the records it sees, and ranked without any part of the query
// that agreed only with a value it is not shown.
func (rk *ranking) weigh(h *resindex.Hit) (*subject, float64, bool, error) {
	m, err := rk.s.readPerson(h.PersonID, rk.read)
	if errors.Is(err, resindex.ErrNotFound) {
		return nil, 0, false, nil // gone since the search
	}
	if err != nil {
		return nil, 0, false, err
	}
	sub, err := rk.s.subjectOf(rk.role, &m)
	if err != nil || !mayQuery(rk.role, sub.class, rk.fields) {
		return nil, 0, false, nil
	}
	w, ok := visibleWeight(h, sub)
	if !ok {
		return nil, 0, false, nil
	}
	if hidden := rk.s.hiddenOnly(rk.probe, rk.role, sub); len(hidden) > 0 {
		lw, ok, err := rk.weightWithout(hidden, h.PersonID, sub)
		return sub, min(w, lw), ok, err
	}
	return sub, w, true, nil
}

// weightWithout is a person's visible weight for the query without some
// of its parts, as the index ranks that query; ok is false when nothing
// is left to search by or that query does not find them.
func (rk *ranking) weightWithout(parts []part, pid string, sub *subject) (float64, bool, error) {
	key := fmt.Sprint(parts)
	byPerson, asked := rk.less[key]
	if !asked {
		byPerson = map[string]*resindex.Hit{}
		if q := without(rk.q, parts); !q.Empty() {
			hits, err := rk.s.index.Search(q, rk.depth)
			if err != nil {
				return 0, false, err
			}
			for i := range hits {
				byPerson[hits[i].PersonID] = &hits[i]
			}
		}
		rk.less[key] = byPerson
	}
	h, ok := byPerson[pid]
	if !ok {
		return 0, false, nil
	}
	w, ok := visibleWeight(h, sub)
	return w, ok, nil
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
