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

// Hit is one person found, with the best-scoring of their records, and
// every record of theirs that matched, best first: a caller that may see
// only some records ranks the person by those alone.
type Hit struct {
	PersonID string
	Record   RecordKey
	Weight   float64
	Matches  []Match
}

// Match is one record's weight against a query.
type Match struct {
	Record RecordKey
	Weight float64
}
