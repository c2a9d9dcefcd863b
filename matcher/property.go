package matcher

import (
	"strings"

	"github.com/resindex/resindex"
)

// Confidence levels of a UPRN inferred for an address without one, by how
// the address was found among those that carry a UPRN. They multiply the
// share of the matching records that give the chosen UPRN.
const (
	ConfidenceExact      = 0.99 // flat, number, building, street and postcode agree
	ConfidenceNoBuilding = 0.9  // the same without the building's name, which one side lacks
	ConfidenceNoPlace    = 0.8  // no postcode on the address: the only UPRN with its parts
	ConfidenceSector     = 0.7  // a different postcode in the same sector: a likely typing slip
)

// PropertyIndexKeys are the keys an address that carries a UPRN is
// indexed under, so that an address a source gives without one finds the
// property's UPRN: flat|number|building|street, and, when it has a
// building, a number and a street, flat|number|*|street (sources often
// leave out a building's name when the number says enough). An address
// with neither number nor building names no property and has no keys.
func PropertyIndexKeys(flat, number, building, street string) []string {
	if number == "" && building == "" {
		return nil
	}
	keys := []string{flat + "|" + number + "|" + building + "|" + street}
	if building != "" && number != "" && street != "" {
		keys = append(keys, flat+"|"+number+"|*|"+street)
	}
	return keys
}

// PropertyLookupKeys are the keys an address without a UPRN is looked up
// by, best first: its own parts exactly, then, with a number and a
// street, the same parts with the building on one side only.
func PropertyLookupKeys(flat, number, building, street string) []string {
	if number == "" && building == "" {
		return nil
	}
	keys := []string{flat + "|" + number + "|" + building + "|" + street}
	switch {
	case number == "" || street == "":
	case building != "":
		keys = append(keys, flat+"|"+number+"|*|"+street, flat+"|"+number+"||"+street)
	default:
		keys = append(keys, flat+"|"+number+"|*|"+street)
	}
	return keys
}

// IndexKeys are an address feature's PropertyIndexKeys.
func (a AddressFeature) IndexKeys() []string {
	return PropertyIndexKeys(a.Flat, a.Number, a.Building, a.Street)
}

// LookupKeys are an address feature's PropertyLookupKeys.
func (a AddressFeature) LookupKeys() []string {
	return PropertyLookupKeys(a.Flat, a.Number, a.Building, a.Street)
}

// Place is where an address feature is: its postcode, else its town.
func (a AddressFeature) Place() string {
	if a.Postcode != "" {
		return a.Postcode
	}
	return a.Town
}

// SameSector reports whether two postcodes are in one postcode sector
// ("NW1 4AB" and "NW1 4AD"), as a mistyped unit would be.
func SameSector(a, b string) bool {
	_, sa, ok1 := PostcodeParts(a)
	_, sb, ok2 := PostcodeParts(b)
	return ok1 && ok2 && sa == sb && !strings.EqualFold(a, b)
}

// AddressFeatureOf parses an address as a profile holds it; false when it
// says nothing usable (no UPRN, parts, postcode or town).
func AddressFeatureOf(a *resindex.Address) (AddressFeature, bool) { return newAddressFeature(a) }
