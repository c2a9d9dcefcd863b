package evaluate

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/resindex/resindex"
)

// assignmentColumns is the required header of an assignments CSV, in order.
var assignmentColumns = []string{"source", "id", "person_id"}

// bom is the UTF-8 byte order mark some spreadsheet tools put first.
const bom = "\ufeff"

// ReadAssignments reads an assignments CSV: the header source,id,person_id
// (required, in that order, nothing after it) then one row per record. A
// leading byte order mark and CRLF line endings are tolerated, and fields may
// be quoted as usual in CSV. A row with the wrong number of columns, an empty
// (or all-blank) field, or a (source, id) already seen is an error naming its
// line number, and the column where one is at fault.
func ReadAssignments(r io.Reader) ([]resindex.Assignment, error) {
	var out []resindex.Assignment
	seen := make(map[resindex.RecordKey]int)
	err := readRows(r, assignmentColumns, func(row []string, line int) error {
		a, err := parseAssignment(row, line)
		if err != nil {
			return err
		}
		if first, dup := seen[a.Key]; dup {
			return fmt.Errorf("evaluate: line %d: duplicate record %s (first on line %d)", line, a.Key, first)
		}
		seen[a.Key] = line
		out = append(out, a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// readRows reads a CSV whose header names columns, calling each for
// every data row with the line it starts on.
func readRows(r io.Reader, columns []string, each func(row []string, line int) error) error {
	cr := newCSVReader(r)
	if err := readHeader(cr, columns); err != nil {
		return err
	}
	for {
		row, line, err := readRow(cr)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := each(row, line); err != nil {
			return err
		}
	}
}

// newCSVReader returns a strict CSV reader that leaves the column count to
// the caller, so that a wrong count can be reported with the line number.
func newCSVReader(r io.Reader) *csv.Reader {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	return cr
}

// readRow reads the next CSV row that is not blank, and the line it starts
// on. The row is a fresh slice the caller may keep.
func readRow(cr *csv.Reader) ([]string, int, error) {
	for {
		row, err := cr.Read()
		if err != nil {
			return nil, 0, csvError(err)
		}
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue
		}
		line, _ := cr.FieldPos(0)
		return row, line, nil
	}
}

// csvError wraps a CSV syntax error with its position; csv.ParseError names
// only the line and byte column, never the field's content.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("evaluate: line %d: byte column %d: malformed CSV: %w", pe.Line, pe.Column, pe.Err)
	}
	if errors.Is(err, io.EOF) {
		return io.EOF
	}
	return fmt.Errorf("evaluate: read CSV: %w", err)
}

// readHeader reads the first row and checks it names want exactly, after
// trimming blanks and a leading byte order mark.
func readHeader(cr *csv.Reader, want []string) error {
	row, line, err := readRow(cr)
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("evaluate: missing header %q", strings.Join(want, ","))
	}
	if err != nil {
		return err
	}
	row[0] = strings.TrimPrefix(row[0], bom)
	if len(row) != len(want) {
		return fmt.Errorf("evaluate: line %d: header has %d columns, want %d: %q", line, len(row), len(want), strings.Join(want, ","))
	}
	for i, name := range row {
		if strings.TrimSpace(name) != want[i] {
			return fmt.Errorf("evaluate: line %d: header column %d: want %q", line, i+1, want[i])
		}
	}
	return nil
}

// parseAssignment checks one data row of an assignments CSV.
func parseAssignment(row []string, line int) (resindex.Assignment, error) {
	if len(row) > len(assignmentColumns) {
		return resindex.Assignment{}, fmt.Errorf("evaluate: line %d: %d columns, want %d", line, len(row), len(assignmentColumns))
	}
	for i, name := range assignmentColumns {
		if i >= len(row) {
			return resindex.Assignment{}, fmt.Errorf("evaluate: line %d: column %s: missing", line, name)
		}
		if strings.TrimSpace(row[i]) == "" {
			return resindex.Assignment{}, fmt.Errorf("evaluate: line %d: column %s: empty", line, name)
		}
	}
	key := resindex.RecordKey{Source: row[0], ID: row[1]}
	return resindex.Assignment{Key: key, PersonID: row[2]}, nil
}

// WriteAssignments writes assignments as CSV in the form ReadAssignments
// reads: the header source,id,person_id, then one row per assignment sorted
// by source, then id. The slice is not modified. Assignments ReadAssignments
// would refuse (an empty field, a key twice) are an error and nothing is
// written.
func WriteAssignments(w io.Writer, as []resindex.Assignment) error {
	sorted := slices.Clone(as)
	slices.SortFunc(sorted, compareAssignments)
	if err := checkWritable(sorted); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(assignmentColumns); err != nil {
		return fmt.Errorf("evaluate: write assignments: %w", err)
	}
	for _, a := range sorted {
		if err := cw.Write([]string{a.Key.Source, a.Key.ID, a.PersonID}); err != nil {
			return fmt.Errorf("evaluate: write assignments: record %s: %w", a.Key, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("evaluate: write assignments: %w", err)
	}
	return nil
}

// checkWritable refuses sorted assignments that would not read back.
func checkWritable(sorted []resindex.Assignment) error {
	for i, a := range sorted {
		switch {
		case strings.TrimSpace(a.Key.Source) == "":
			return fmt.Errorf("evaluate: write assignments: record %s: empty source", a.Key)
		case strings.TrimSpace(a.Key.ID) == "":
			return fmt.Errorf("evaluate: write assignments: record %s: empty id", a.Key)
		case strings.TrimSpace(a.PersonID) == "":
			return fmt.Errorf("evaluate: write assignments: record %s: empty person_id", a.Key)
		case i > 0 && sorted[i-1].Key == a.Key:
			return fmt.Errorf("evaluate: write assignments: record %s: duplicate", a.Key)
		}
	}
	return nil
}

// compareAssignments orders by key, then person id, so sorting is
// deterministic even with duplicate keys.
func compareAssignments(a, b resindex.Assignment) int {
	if c := a.Key.Compare(b.Key); c != 0 {
		return c
	}
	return cmp.Compare(a.PersonID, b.PersonID)
}
