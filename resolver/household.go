package resolver

import (
	"errors"
	"slices"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
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

// moveHousehold moves a person from one household to another ("" for
// none), emitting left and joined with the evidence for the move.
func moveHousehold(t resindex.Txn, pid, from, to string, evidence *resindex.Provenance) error {
	if from == to {
		return nil
	}
	if from != "" {
		if err := editHousehold(t, from, func(ps []string) []string {
			return slices.DeleteFunc(ps, func(p string) bool { return p == pid })
		}); err != nil {
			return err
		}
		if err := emit(t, resindex.Change{Type: resindex.ChangeHouseholdLeft, Person: pid, Household: from, Evidence: evidence}); err != nil {
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
	return emit(t, resindex.Change{Type: resindex.ChangeHouseholdJoined, Person: pid, Household: to, Evidence: evidence})
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
