package resolver

import (
	"errors"
	"slices"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/matcher"
)

func loadHousehold(t resindex.Txn, h string) (resindex.Household, error) {
	var hh resindex.Household
	v, err := t.Get(layout.Household(h))
	if errors.Is(err, resindex.ErrNotFound) {
		return hh, nil
	}
	if err != nil {
		return hh, err
	}
	return layout.DecodeHousehold(v)
}

// householdMove is what a move into a household rests on: the record
// that shows it, why it happened, and the property as the person's
// address gives it.
type householdMove struct {
	evidence *resindex.Provenance
	why      string
	property *resindex.Property
}

// moveHousehold moves a person from one household to another ("" for
// none), emitting left and joined with the evidence for the move.
func moveHousehold(t resindex.Txn, pid, from, to string, m householdMove) error {
	if from == to {
		return nil
	}
	if from != "" {
		if err := editHousehold(t, from, func(ps []string) []string {
			return slices.DeleteFunc(ps, func(p string) bool { return p == pid })
		}); err != nil {
			return err
		}
		if err := emit(t, resindex.Change{Type: resindex.ChangeHouseholdLeft, Person: pid, Household: from, Evidence: m.evidence}); err != nil {
			return err
		}
	}
	if to == "" {
		return nil
	}
	if err := editHousehold(t, to, func(ps []string) []string {
		if i, found := slices.BinarySearch(ps, pid); !found {
			ps = slices.Insert(ps, i, pid)
		}
		return ps
	}); err != nil {
		return err
	}
	return emit(t, resindex.Change{Type: resindex.ChangeHouseholdJoined, Person: pid, Household: to,
		Evidence: m.evidence, Why: m.why, Property: m.property})
}

// rehouse places a person at the property of their golden address and
// moves them there, saying why when they join: a move, a merge with or a
// split from someone already there, or the same address newly resolved.
func (e *change) rehouse(t resindex.Txn, pid string, old, p *person, members []resindex.RecordKey, prev map[resindex.RecordKey]string, from string) error {
	a := p.Golden.Address
	if a == nil {
		return moveHousehold(t, pid, old.Household, "", householdMove{})
	}
	prop, err := propertyOf(t, a.Value)
	if err != nil {
		return err
	}
	p.Household = prop.Key
	if p.Household == old.Household || p.Household == "" {
		return moveHousehold(t, pid, old.Household, p.Household, householdMove{evidence: &a.From})
	}
	why, err := e.joinWhy(t, pid, old, p, members, prev, from)
	if err != nil {
		return err
	}
	return moveHousehold(t, pid, old.Household, p.Household, householdMove{evidence: &a.From, why: why, property: &prop})
}

// joinWhy says why a person joins p.Household. Households before the
// change are those homeBefore took before any person was rewritten.
func (e *change) joinWhy(t resindex.Txn, pid string, old, p *person, members []resindex.RecordKey, prev map[resindex.RecordKey]string, from string) (string, error) {
	for _, k := range members {
		q := prev[k]
		if q == "" || q == pid {
			continue
		}
		h, err := e.homeBefore(t, q)
		if err != nil {
			return "", err
		}
		if h == p.Household {
			if q == from && len(old.Records) == 0 {
				return resindex.JoinSplit, nil
			}
			return resindex.JoinMerged, nil
		}
	}
	if old.Household == "" || len(old.Records) == 0 {
		return resindex.JoinMoved, nil
	}
	if old.withheld { // no golden record kept: compare its address by the hash kept
		if sameWithheldAddress(old.goldenSum, p.Golden.Address) {
			return resindex.JoinResolved, nil
		}
		return resindex.JoinMoved, nil
	}
	was, err := loadPerson(t, pid)
	if err != nil {
		return "", err
	}
	if was.Golden.Address != nil && matcher.PropertyKey(was.Golden.Address.Value) == matcher.PropertyKey(p.Golden.Address.Value) &&
		was.Golden.Address.Value.UPRN == p.Golden.Address.Value.UPRN {
		return resindex.JoinResolved, nil
	}
	return resindex.JoinMoved, nil
}

// homeBefore is a person's household before the change: read once, the
// first time it is asked. assign asks for every person the change's
// records belonged to before it rewrites any of them.
func (e *change) homeBefore(t resindex.Txn, pid string) (string, error) {
	if h, ok := e.cache.homes[pid]; ok {
		return h, nil
	}
	m, err := loadMembership(t, pid)
	if err != nil {
		return "", err
	}
	if e.cache.homes == nil {
		e.cache.homes = map[string]string{}
	}
	e.cache.homes[pid] = m.Household
	return m.Household, nil
}

func editHousehold(t resindex.Txn, h string, edit func([]string) []string) error {
	hh, err := loadHousehold(t, h)
	if err != nil {
		return err
	}
	hh.Persons = edit(hh.Persons)
	if len(hh.Persons) == 0 {
		return t.Delete(layout.Household(h))
	}
	data, err := layout.EncodeHousehold(hh)
	if err != nil {
		return err
	}
	return t.Set(layout.Household(h), data)
}

// GetHousehold reads the persons at a property.
func GetHousehold(s Store, h string) (resindex.Household, error) {
	var hh resindex.Household
	err := s.View(func(t resindex.Txn) error {
		var err error
		hh, err = loadHousehold(t, h)
		return err
	})
	return hh, err
}
