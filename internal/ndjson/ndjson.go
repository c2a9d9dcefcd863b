package ndjson

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/resindex/resindex"
)

// MaxLineBytes bounds one NDJSON line; a longer line is reported and skipped
// rather than exhausting memory.
const MaxLineBytes = 1 << 20

// DecodeRecord parses one canonical record from its JSON form. Unknown fields
// are refused so that a misspelt field is reported instead of silently lost.
// The error names the field at fault, never its value.
//
// The usual shape of a record is decoded by hand (decodeFast); anything
// else, every malformed line among it, by encoding/json, whose results
// and errors are the reference.
func DecodeRecord(line []byte) (resindex.Record, error) {
	r, ok := decodeFast(line)
	if !ok {
		var err error
		if r, err = decodeJSON(line); err != nil {
			return resindex.Record{}, err
		}
	}
	if err := checkRecord(&r); err != nil {
		return resindex.Record{}, err
	}
	return r, nil
}

// decodeJSON decodes a record with encoding/json.
func decodeJSON(line []byte) (resindex.Record, error) {
	var r resindex.Record
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return resindex.Record{}, describeJSONError(err)
	}
	if dec.More() {
		return resindex.Record{}, errors.New("trailing data after the JSON object")
	}
	return r, nil
}

// checkRecord refuses a record without a usable key.
func checkRecord(r *resindex.Record) error {
	if r.Source == "" {
		return errors.New("field source: missing")
	}
	if r.ID == "" {
		return fmt.Errorf("record %s: field id: missing", r.Source)
	}
	return r.Key().Check()
}

// describeJSONError turns encoding/json's errors into messages that name the
// field and the byte offset but do not echo the offending value.
func describeJSONError(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		return fmt.Errorf("field %s: want %s, got JSON %s", typeErr.Field, typeErr.Type, typeErr.Value)
	case errors.As(err, &syntaxErr):
		// encoding/json's message quotes the offending character, which
		// may be part of a resident's data: give the offset only.
		return fmt.Errorf("invalid JSON at byte %d", syntaxErr.Offset)
	case errors.Is(err, io.EOF):
		return errors.New("empty line")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("truncated JSON object")
	}
	return fmt.Errorf("invalid record: %w", err)
}

var errTooLong = fmt.Errorf("longer than %d bytes", MaxLineBytes)

// LineError reports a line of an NDJSON stream that could not be decoded.
type LineError struct {
	Line int
	Err  error
}

// Error names the line and the fault.
func (e *LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Unwrap returns the fault, for errors.Is and errors.As.
func (e *LineError) Unwrap() error { return e.Err }

// RecordReader reads canonical records from NDJSON, one object per line.
// Blank lines are skipped; a malformed or over-long line yields a *LineError
// and reading goes on with the next line.
type RecordReader struct {
	br   *bufio.Reader
	buf  []byte
	line int
}

// NewRecordReader reads NDJSON records from r.
func NewRecordReader(r io.Reader) *RecordReader {
	return &RecordReader{br: bufio.NewReaderSize(r, 256*1024)}
}

// Next returns the next record and its 1-based line number. At the end of the
// stream it returns io.EOF. A *LineError is recoverable: call Next again.
func (rr *RecordReader) Next() (resindex.Record, int, error) {
	for {
		b, tooLong, err := rr.readLine()
		if err != nil {
			return resindex.Record{}, rr.line, err
		}
		if tooLong {
			return resindex.Record{}, rr.line, &LineError{Line: rr.line, Err: errTooLong}
		}
		b = bytes.TrimSpace(b)
		if len(b) == 0 {
			continue
		}
		r, derr := DecodeRecord(b)
		if derr != nil {
			return resindex.Record{}, rr.line, &LineError{Line: rr.line, Err: derr}
		}
		return r, rr.line, nil
	}
}

// readLine returns the next line without its newline. A line over
// MaxLineBytes is consumed to its end and reported as too long.
func (rr *RecordReader) readLine() ([]byte, bool, error) {
	rr.buf = rr.buf[:0]
	tooLong := false
	for {
		chunk, err := rr.br.ReadSlice('\n')
		if !tooLong {
			rr.buf = append(rr.buf, chunk...)
			if len(rr.buf) > MaxLineBytes+2 { // room for "\r\n"
				tooLong, rr.buf = true, rr.buf[:0]
			}
		}
		switch {
		case err == nil, errors.Is(err, io.EOF) && (len(rr.buf) > 0 || tooLong):
			rr.line++
			line := bytes.TrimRight(rr.buf, "\r\n")
			return line, tooLong || len(line) > MaxLineBytes, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		default:
			return nil, false, err
		}
	}
}
