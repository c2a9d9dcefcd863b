package mapping

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/resindex/resindex"
)

// What is wrong with a JSON row, for callers that phrase it their way.
var (
	ErrNotJSON   = resindex.NewError(resindex.ErrInvalid, "not valid JSON")
	ErrTrailing  = resindex.NewError(resindex.ErrInvalid, "data after the JSON object")
	ErrNotObject = resindex.NewError(resindex.ErrInvalid, "want a JSON object")
)

// DecodeRow decodes one JSON object as a row, numbers kept as written (an
// id like 0012 or 1e3 must not become a float). Its errors wrap ErrNotJSON,
// ErrTrailing or ErrNotObject and never quote the input: it may be
// resident data.
func DecodeRow(data []byte) (Row, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNotJSON, ContentFree(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, ErrTrailing
	}
	row, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%w, got %s", ErrNotObject, KindOf(v))
	}
	return row, nil
}

// ContentFree keeps a JSON decoding error's kind and offset but not the
// text around it, which may be resident data.
func ContentFree(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("syntax error at byte %d", se.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return errors.New("cut short")
	}
	return err
}

// KindOf names a decoded JSON value's kind without its content.
func KindOf(v any) string {
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
