package file

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/resindex/resindex/connectors/mapping"
)

// maxLine bounds an NDJSON line, so that a file without newlines cannot
// exhaust memory; a record with long free-text notes stays well inside it.
// A variable only so that tests can lower it.
var maxLine = 64 << 20

// ndjsonRows reads one JSON object per line.
type ndjsonRows struct {
	br   *bufio.Reader
	line int
	buf  []byte
}

func (n *ndjsonRows) next() (mapping.Row, int, error) {
	for {
		text, long, err := n.readLine()
		if err != nil {
			return nil, 0, err
		}
		n.line++
		if long {
			return nil, 0, &RowError{Line: n.line, Err: fmt.Errorf("line longer than %d bytes", maxLine)}
		}
		if len(bytes.TrimSpace(text)) == 0 {
			continue // blank lines carry nothing; a trailing one is common
		}
		row, err := decodeLine(text)
		if err != nil {
			return nil, 0, &RowError{Line: n.line, Err: err}
		}
		return row, n.line, nil
	}
}

// readLine reads one physical line without its newline. A line over
// maxLine is read to its end and dropped (long), so the next one is found.
func (n *ndjsonRows) readLine() (text []byte, long bool, err error) {
	n.buf = n.buf[:0]
	for {
		chunk, err := n.br.ReadSlice('\n')
		body := len(chunk)
		if err == nil {
			body-- // the newline is not part of the line
		}
		if long || len(n.buf)+body > maxLine {
			long = true // keep reading to the line's end, holding none of it
		} else {
			n.buf = append(n.buf, chunk...)
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && (len(n.buf) > 0 || long):
			return n.buf, long, nil // a last line without a newline
		case err != nil:
			return nil, false, err
		}
		return bytes.TrimSuffix(n.buf, []byte("\n")), long, nil
	}
}

// decodeLine decodes a line holding one JSON object, numbers kept as
// written (an id like 0012 or 1e3 must not become a float).
func decodeLine(text []byte) (mapping.Row, error) {
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", syntaxOnly(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON object (one object per line)")
	}
	row, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("want a JSON object, got %s", kindOf(v))
	}
	return row, nil
}

// syntaxOnly keeps a JSON error's kind and offset but not the text around
// it, which may be resident data.
func syntaxOnly(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("syntax error at byte %d", se.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return errors.New("cut short")
	}
	return err
}

// kindOf names a JSON value's kind without its content.
func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number, float64:
		return "a number"
	case bool:
		return "true or false"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}
