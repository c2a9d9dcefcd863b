package resindex

// Household is the persons whose current address is one property, by
// person ID in order.
type Household struct {
	Persons []string `json:"persons"`
}

// Property is the property an address places a person at, which keys
// their household.
type Property struct {
	// Key is the household key: "uprn:<n>", or the normalised address
	// when no UPRN is known for it.
	Key  string `json:"key"`
	UPRN string `json:"uprn,omitempty"`
	// Inferred is set when the address carried no UPRN and was matched to
	// one the index holds from other records' addresses; Confidence
	// (0–1) says how sure the match is.
	Inferred   bool    `json:"inferred,omitempty"`
	Confidence float64 `json:"confidence,omitempty"`
}
