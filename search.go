package resindex

// Query is what a member of staff searches by: any mix of name, date of
// birth, address or postcode, and identifiers.
type Query struct {
	Given, Family string
	DOB           string
	Postcode      string
	AddressLines  []string
	Identifiers   map[string]string
}

// Empty reports whether the query names nothing to search by.
func (q *Query) Empty() bool {
	return q.Given == "" && q.Family == "" && q.DOB == "" && q.Postcode == "" && len(q.AddressLines) == 0 && len(q.Identifiers) == 0
}

// Hit is one person found, with the best-scoring of their records.
type Hit struct {
	PersonID string
	Record   RecordKey
	Weight   float64
}
