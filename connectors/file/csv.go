package file

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"

	"github.com/resindex/resindex/connectors/mapping"
)

// csvRows reads a CSV extract: a header line naming the columns, then one
// row per record.
type csvRows struct {
	br     *bufio.Reader // shared with cr, so that Peek shows what cr has not read
	cr     *csv.Reader
	header []string
	row    mapping.Row
}

func newCSV(br *bufio.Reader, key string) (*csvRows, error) {
	cr := csv.NewReader(br) // reuses br: it is larger than csv's own buffer
	cr.ReuseRecord = true
	head, err := cr.Read()
	switch {
	case err == io.EOF:
		return nil, errors.New("empty: no header line")
	case err != nil:
		return nil, fmt.Errorf("header: %w", err)
	}
	header, err := checkHeader(head, key)
	if err != nil {
		return nil, err
	}
	cr.FieldsPerRecord = len(header)
	return &csvRows{br: br, cr: cr, header: header, row: make(mapping.Row, len(header))}, nil
}

// checkHeader refuses a header that names a column twice (which of the
// two would a field come from?) or lacks the key (no row could be named).
func checkHeader(head []string, key string) ([]string, error) {
	header := append([]string(nil), head...) // ReuseRecord: head is overwritten
	seen := make(map[string]bool, len(header))
	for i, h := range header {
		if seen[h] {
			return nil, fmt.Errorf("header: column %q appears twice (again as column %d)", h, i+1)
		}
		seen[h] = true
	}
	if !seen[key] {
		return nil, fmt.Errorf("header: no column %q, the key of the source's mapping", key)
	}
	return header, nil
}

func (c *csvRows) next() (mapping.Row, int, error) {
	rec, err := c.cr.Read()
	var pe *csv.ParseError
	switch {
	case errors.As(err, &pe):
		return nil, 0, c.parseError(pe, len(rec))
	case err != nil:
		return nil, 0, err
	}
	line, _ := c.cr.FieldPos(0)
	// The row map is reused: a mapped record holds its strings, not the map.
	clear(c.row)
	for i, v := range rec {
		c.row[c.header[i]] = v
	}
	return c.row, line, nil
}

// parseError turns the csv package's error into a RowError, or a fatal
// error when the bad row ran to the end of the file: the rows it
// swallowed are lost. The csv package's own message is not used, so as to
// say what a person fixing the file needs.
func (c *csvRows) parseError(pe *csv.ParseError, fields int) error {
	var cause error
	switch {
	case errors.Is(pe.Err, csv.ErrFieldCount):
		cause = fmt.Errorf("%w: %d, want %d as in the header", pe.Err, fields, c.cr.FieldsPerRecord)
	case pe.Line > pe.StartLine && errors.Is(pe.Err, csv.ErrQuote) && c.atEOF():
		return fmt.Errorf("line %d: a quoted field opened on this line is not closed properly before the end of the file (line %d): %w; the rows after line %d could not be read",
			pe.StartLine, pe.Line, pe.Err, pe.StartLine)
	case pe.Line > pe.StartLine:
		cause = fmt.Errorf("%w (line %d, column %d); the quoted field runs over lines %d-%d, which may hold other rows",
			pe.Err, pe.Line, pe.Column, pe.StartLine, pe.Line)
	default:
		cause = fmt.Errorf("%w (column %d)", pe.Err, pe.Column)
	}
	return &RowError{Line: pe.StartLine, Err: cause}
}

// atEOF reports whether the csv reader has consumed all the input.
func (c *csvRows) atEOF() bool {
	_, err := c.br.Peek(1)
	return err == io.EOF
}
