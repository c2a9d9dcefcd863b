package resindex

// Household is the persons whose current address is one property, by
// person ID in order.
type Household struct {
	Persons []string `json:"persons"`
}
