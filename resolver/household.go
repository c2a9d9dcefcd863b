package resolver

import (
	"encoding/json"
	"errors"
	"slices"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/matcher"
)

// HouseholdKey names the property of an address: "uprn:<n>" when the
// address carries a valid UPRN, otherwise its normalised address key; ""
// when the address does not name a property.
func HouseholdKey(a resindex.Address) string {
	if u, ok := matcher.ValidUPRN(a.UPRN); ok {
		return "uprn:" + u
	}
	return matcher.ParseAddress(a.Lines, a.Town, a.Postcode).Key()
}

func householdKey(h string) []byte { return []byte("h/" + h) }

// Household is the persons whose current address is one property.
type Household struct {
	Persons []string `json:"persons"`
}

func loadHousehold(t resindex.Txn, h string) (Household, error) {
	var hh Household
	v, err := t.Get(householdKey(h))
	if errors.Is(err, resindex.ErrNotFound) {
		return hh, nil
	}
	if err != nil {
		return hh, err
	}
	return hh, json.Unmarshal(v, &hh)
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
		return t.Delete(householdKey(h))
	}
	data, err := json.Marshal(hh)
	if err != nil {
		return err
	}
	return t.Set(householdKey(h), data)
}

// GetHousehold reads the persons at a property.
func GetHousehold(s Store, h string) (Household, error) {
	var hh Household
	err := s.View(func(t resindex.Txn) error {
		var err error
		hh, err = loadHousehold(t, h)
		return err
	})
	return hh, err
}
