package evaluate

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/resindex/resindex"
)

// FEBRLOptions says how ReadFEBRL turns a Febrl file into records.
type FEBRLOptions struct {
	// WithSSN keeps soc_sec_id as the identifier "soc_sec_id". Leave it
	// false to measure name, date and address matching alone, as a council
	// without such an identifier would.
	WithSSN bool
	// Source is the source name of every record, e.g. "dataset3";
	// "febrl" when empty.
	Source string
}

// FEBRLPersonPrefix begins every person id ReadFEBRL assigns: person N of
// any Febrl file is FEBRLPersonPrefix+N, so the two files of a linkage task
// (dataset4a and dataset4b) share their persons.
const FEBRLPersonPrefix = "febrl-"

// febrlColumns is the header of a Febrl file, in order.
var febrlColumns = []string{
	"rec_id", "given_name", "surname", "street_number", "address_1", "address_2",
	"suburb", "postcode", "state", "date_of_birth", "soc_sec_id",
}

// Indices of febrlColumns.
const (
	colRecID = iota
	colGivenName
	colSurname
	colStreetNumber
	colAddress1
	colAddress2
	colSuburb
	colPostcode
	colState
	colDateOfBirth
	colSocSecID
)

// ReadFEBRL parses one Febrl benchmark CSV (fields separated by a comma and
// a space, CRLF tolerated, header required) into canonical records and their
// true persons. The person of rec-N-org and rec-N-dup-K is
// FEBRLPersonPrefix+N. A date of birth YYYYMMDD that is a real calendar date
// becomes YYYY-MM-DD; any other value is kept as it is, for the matcher to
// treat as unknown. The address becomes one current address (left out when
// every address field is empty), the state the attribute "state". A row with
// the wrong number of columns, a rec_id not of the form above, or a rec_id
// already seen is an error naming its line.
func ReadFEBRL(r io.Reader, opts FEBRLOptions) ([]resindex.Record, []resindex.Assignment, error) {
	cr := newCSVReader(r)
	cr.TrimLeadingSpace = true
	if err := readHeader(cr, febrlColumns); err != nil {
		return nil, nil, err
	}
	source := cmp.Or(opts.Source, "febrl")
	var recs []resindex.Record
	var truth []resindex.Assignment
	seen := make(map[string]int)
	for {
		row, line, err := readRow(cr)
		if errors.Is(err, io.EOF) {
			return recs, truth, nil
		}
		if err != nil {
			return nil, nil, err
		}
		rec, person, err := parseFEBRLRow(row, line, source, opts.WithSSN)
		if err != nil {
			return nil, nil, err
		}
		if first, dup := seen[rec.ID]; dup {
			return nil, nil, fmt.Errorf("evaluate: line %d: duplicate rec_id %s (first on line %d)", line, rec.ID, first)
		}
		seen[rec.ID] = line
		recs = append(recs, rec)
		truth = append(truth, resindex.Assignment{Key: rec.Key(), PersonID: person})
	}
}

// parseFEBRLRow turns one Febrl row into a record and its person id.
func parseFEBRLRow(row []string, line int, source string, withSSN bool) (resindex.Record, string, error) {
	if len(row) != len(febrlColumns) {
		return resindex.Record{}, "", fmt.Errorf("evaluate: line %d: %d columns, want %d", line, len(row), len(febrlColumns))
	}
	for i := range row {
		row[i] = strings.TrimSpace(row[i])
	}
	n, ok := febrlPersonNumber(row[colRecID])
	if !ok {
		return resindex.Record{}, "", fmt.Errorf("evaluate: line %d: column rec_id: want rec-N-org or rec-N-dup-K", line)
	}
	rec := resindex.Record{
		Source:    source,
		ID:        row[colRecID],
		Name:      resindex.Name{Given: row[colGivenName], Family: row[colSurname]},
		DOB:       febrlDate(row[colDateOfBirth]),
		Addresses: febrlAddress(row),
	}
	if row[colState] != "" {
		rec.Attributes = map[string]string{"state": row[colState]}
	}
	if withSSN && row[colSocSecID] != "" {
		rec.Identifiers = map[string]string{"soc_sec_id": row[colSocSecID]}
	}
	return rec, FEBRLPersonPrefix + n, nil
}

// febrlPersonNumber returns the N of rec-N-org or rec-N-dup-K.
func febrlPersonNumber(id string) (string, bool) {
	rest, ok := strings.CutPrefix(id, "rec-")
	if !ok {
		return "", false
	}
	n, kind, ok := strings.Cut(rest, "-")
	if !ok || !isDigits(n) {
		return "", false
	}
	if kind == "org" {
		return n, true
	}
	k, ok := strings.CutPrefix(kind, "dup-")
	return n, ok && isDigits(k)
}

// febrlDate turns YYYYMMDD into YYYY-MM-DD when it names a real day, and
// returns anything else unchanged.
func febrlDate(s string) string {
	if len(s) != 8 || !isDigits(s) {
		return s
	}
	t, err := time.Parse("20060102", s)
	if err != nil {
		return s
	}
	return t.Format("2006-01-02")
}

// febrlAddress returns the row's address as the record's one current
// address, or nil when the row has none.
func febrlAddress(row []string) []resindex.Address {
	a := resindex.Address{Town: row[colSuburb], Postcode: row[colPostcode], Current: true}
	if l := strings.TrimSpace(row[colStreetNumber] + " " + row[colAddress1]); l != "" {
		a.Lines = append(a.Lines, l)
	}
	if row[colAddress2] != "" {
		a.Lines = append(a.Lines, row[colAddress2])
	}
	if len(a.Lines) == 0 && a.Town == "" && a.Postcode == "" {
		return nil
	}
	return []resindex.Address{a}
}

// isDigits reports whether s is one or more ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
