package resindex

// LinkTerm is one comparison's part in a match weight: how the two
// records compare on it, and the weight that level adds.
type LinkTerm struct {
	Comparison string  `json:"comparison"`
	Level      string  `json:"level"`
	Weight     float64 `json:"weight"`
}

// Link says why two records are, or may be, one person: the match weight
// with each comparison's term, the decision it leads to, and a data
// steward's override of the pair if there is one.
type Link struct {
	A, B        RecordKey
	Weight      float64
	Probability float64
	Decision    string // link, review, no link, hard conflict
	Override    string // link or unlink when a steward decided the pair
	Terms       []LinkTerm
}

// Candidate is a possible match awaiting a data steward: two records held
// by different persons whose weight falls in the review band.
type Candidate struct {
	Link
	PersonA, PersonB string
}

// Person is one resident as the index holds them: every source record
// linked to them, and the property they live at ("" when none is known).
type Person struct {
	ID        string
	Records   []Record
	Household string
	// NoGolden: the index keeps no golden record of the person (a child
	// without recorded consent, under the children's policy), so views
	// show each record rather than one merged from them.
	NoGolden bool
}

// Principal is who is asking to read resident data: a member of staff or
// a service account, acting in one role.
type Principal struct {
	User string // the sign-in subject or the API token's name
	Role string
	Via  string // how they signed in: oidc, token, demo or cli
	// Surface is where the call came from: api, ui or cli ("" when the
	// caller does not say).
	Surface string
}
