package file

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/resindex/resindex/connectors/mapping"
)

// jsonDoc streams the rows of one JSON document, an object whose array
// key holds them (an OData export's "value"), token by token: an extract
// can be far larger than memory should hold.
type jsonDoc struct {
	dec     *json.Decoder
	array   string
	inArray bool
	index   int
	base    int64 // bytes before the JSON text (a byte order mark)
}

func newJSONDoc(br *bufio.Reader, array string, base int) (*jsonDoc, error) {
	if array == "" {
		return nil, errors.New("a JSON document needs the mapping to name the array holding the rows (array:)")
	}
	dec := json.NewDecoder(br)
	dec.UseNumber()
	d := &jsonDoc{dec: dec, array: array, base: int64(base)}
	if err := d.open(); err != nil {
		return nil, err
	}
	return d, nil
}

// open reads up to the start of the array of rows.
func (d *jsonDoc) open() error {
	t, err := d.dec.Token()
	if err == io.EOF {
		return errors.New("empty: no JSON document")
	}
	if err != nil {
		return fmt.Errorf("not a JSON document: %w", d.broken(err))
	}
	if t != json.Delim('{') {
		return fmt.Errorf("want a JSON object holding the array %q, got %s", d.array, tokenKind(t))
	}
	found, err := d.skipTo(d.array)
	switch {
	case err != nil:
		return err
	case !found:
		return fmt.Errorf("the document has no key %q holding the rows", d.array)
	}
	if t, err = d.dec.Token(); err != nil || t != json.Delim('[') {
		return fmt.Errorf("key %q: want an array of rows: %w", d.array, d.orKind(err, t))
	}
	d.inArray = true
	return nil
}

func (d *jsonDoc) next() (mapping.Row, int, error) {
	if !d.inArray {
		return nil, 0, io.EOF
	}
	if !d.dec.More() {
		return nil, 0, d.close()
	}
	d.index++
	var v any
	if err := d.dec.Decode(&v); err != nil {
		return nil, 0, fmt.Errorf("element %d: %w (the document is broken here)", d.index, d.broken(err))
	}
	row, ok := v.(map[string]any)
	if !ok {
		return nil, 0, &RowError{Line: d.index, Element: true, Err: fmt.Errorf("want a JSON object, got %s", mapping.KindOf(v))}
	}
	return row, d.index, nil
}

// close reads the rest of the document after the array, so that a
// document cut short or followed by other data is not taken as whole.
func (d *jsonDoc) close() error {
	d.inArray = false
	if _, err := d.dec.Token(); err != nil { // the array's ']'
		return fmt.Errorf("after element %d: %w", d.index, d.broken(err))
	}
	found, err := d.skipTo(d.array)
	switch {
	case err != nil:
		return err
	case found:
		return fmt.Errorf("key %q appears twice: which array holds the rows?", d.array)
	}
	if _, err := d.dec.Token(); err != io.EOF {
		return errors.New("data after the JSON document")
	}
	return io.EOF
}

// skipTo reads the object's keys up to key, skipping the values of the
// others; found is false when the object ended first (its '}' is read).
func (d *jsonDoc) skipTo(key string) (found bool, err error) {
	for {
		t, err := d.dec.Token()
		if err != nil {
			return false, fmt.Errorf("broken document: %w", d.broken(err))
		}
		if t == json.Delim('}') {
			return false, nil
		}
		if t == key {
			return true, nil
		}
		if err := d.skipValue(); err != nil {
			return false, err
		}
	}
}

// skipValue skips one value token by token, holding none of it.
func (d *jsonDoc) skipValue() error {
	depth := 0
	for {
		t, err := d.dec.Token()
		if err != nil {
			return fmt.Errorf("broken document: %w", d.broken(err))
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// tokenKind names a token's kind without its content.
func tokenKind(t json.Token) string {
	switch t {
	case json.Delim('['):
		return "an array"
	case json.Delim('{'):
		return "an object"
	}
	return mapping.KindOf(t)
}

// broken describes a decoding error without the text around it. The
// SyntaxError's own offset is not used: inside a token stream it does not
// count from the start of the file.
func (d *jsonDoc) broken(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("syntax error near byte %d", d.base+d.dec.InputOffset())
	}
	return mapping.ContentFree(err)
}

func (d *jsonDoc) orKind(err error, t json.Token) error {
	if err != nil {
		return d.broken(err)
	}
	return fmt.Errorf("got %s", tokenKind(t))
}
