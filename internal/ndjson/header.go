package ndjson

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"

	"github.com/resindex/resindex"
)

// RecordHeader is what decides which version of a record wins: its key,
// version and deletion. ScanHeader reads it without decoding the rest, so
// that of a long timeline only the latest versions need decoding in full.
type RecordHeader struct {
	Source, ID, Version string
	Deleted             bool
}

// Key returns the record key the header names.
func (h RecordHeader) Key() resindex.RecordKey { return resindex.RecordKey{Source: h.Source, ID: h.ID} }

// ScanHeader reads the source, id, version and deleted members of a JSON
// object, checking only the object's top-level syntax. It reports false on
// anything it does not follow; the caller then decodes the line in full,
// which names the fault.
func ScanHeader(line []byte) (RecordHeader, bool) {
	s := scanner{b: line}
	var h RecordHeader
	if !s.consume('{') {
		return h, false
	}
	if s.consume('}') {
		return h, false
	}
	for {
		key, escaped, ok := s.raw()
		if !ok || escaped || !s.consume(':') {
			return h, false // an escaped member name is left to the full decoder
		}
		if !s.member(key[1:len(key)-1], &h) {
			return h, false
		}
		if s.consume(',') {
			continue
		}
		if !s.consume('}') {
			return h, false
		}
		s.space()
		return h, s.i == len(s.b) && h.Source != "" && h.ID != ""
	}
}

type scanner struct {
	b []byte
	i int
}

func (s *scanner) space() {
	for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\t' || s.b[s.i] == '\n' || s.b[s.i] == '\r') {
		s.i++
	}
}

func (s *scanner) consume(c byte) bool {
	s.space()
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// member reads the value of one member into the header, or skips it.
func (s *scanner) member(key []byte, h *RecordHeader) bool {
	var ok bool
	switch string(key) { // no allocation: the compiler compares in place
	case "source":
		h.Source, ok = s.source()
	case "id":
		h.ID, ok = s.str()
	case "version":
		h.Version, ok = s.str()
	case "deleted":
		h.Deleted, ok = s.boolean()
	default:
		// encoding/json matches member names without regard to case:
		// "Version" would set the version there, so leave such a line to it.
		if headerName(key) {
			return false
		}
		ok = s.skip(0)
	}
	return ok
}

func headerName(key []byte) bool {
	if len(key) != 2 && len(key) != 6 && len(key) != 7 && isASCII(key) {
		// Most members of every line: their length rules them out. Not
		// so without ASCII: "verſion" folds to "version" in 8 bytes.
		return false
	}
	for _, n := range []string{"source", "id", "version", "deleted"} {
		if bytes.EqualFold(key, []byte(n)) {
			return true
		}
	}
	return false
}

// str reads a JSON string, unescaping it if it has escapes.
func (s *scanner) str() (string, bool) {
	raw, escaped, ok := s.raw()
	switch {
	case !ok:
		return "", false
	case escaped:
		var v string // JSON's escapes, not Go's: leave it to encoding/json
		err := json.Unmarshal(raw, &v)
		return v, err == nil
	case !utf8.Valid(raw):
		return "", false
	}
	return string(raw[1 : len(raw)-1]), true
}

// source reads a source's name: one of the council systems' is shared,
// not allocated again for each of millions of lines.
func (s *scanner) source() (string, bool) {
	at := s.i
	raw, escaped, ok := s.raw()
	if ok && !escaped {
		if known, ok := knownSource(raw[1 : len(raw)-1]); ok {
			return known, true
		}
	}
	s.i = at
	return s.str()
}

// raw returns a JSON string with its quotes, without copying, and whether
// it holds escapes.
func (s *scanner) raw() ([]byte, bool, bool) {
	s.space()
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return nil, false, false
	}
	start, escaped := s.i, false
	for s.i++; s.i < len(s.b); s.i++ {
		switch c := s.b[s.i]; {
		case c == '\\':
			escaped = true
			s.i++
		case c == '"':
			s.i++
			return s.b[start:s.i], escaped, true
		case c < 0x20:
			return nil, false, false
		}
	}
	return nil, false, false
}

func (s *scanner) boolean() (bool, bool) {
	s.space()
	switch {
	case s.lit("true"):
		return true, true
	case s.lit("false"):
		return false, true
	case s.lit("null"):
		return false, true
	}
	return false, false
}

func (s *scanner) lit(word string) bool {
	if len(s.b)-s.i >= len(word) && string(s.b[s.i:s.i+len(word)]) == word {
		s.i += len(word)
		return true
	}
	return false
}

// skip passes over any JSON value, nesting at most a few levels (a record
// is shallow).
func (s *scanner) skip(depth int) bool {
	s.space()
	if s.i >= len(s.b) || depth > 8 {
		return false
	}
	switch c := s.b[s.i]; {
	case c == '"':
		_, _, ok := s.raw()
		return ok
	case c == '{' || c == '[':
		return s.skipContainer(depth)
	case c == 't' || c == 'f' || c == 'n':
		return s.lit("true") || s.lit("false") || s.lit("null")
	case c == '-' || c >= '0' && c <= '9':
		for s.i < len(s.b) && (s.b[s.i] == '-' || s.b[s.i] == '+' || s.b[s.i] == '.' || s.b[s.i] == 'e' || s.b[s.i] == 'E' || s.b[s.i] >= '0' && s.b[s.i] <= '9') {
			s.i++
		}
		return true
	}
	return false
}

func (s *scanner) skipContainer(depth int) bool {
	open := s.b[s.i]
	closer := byte('}')
	if open == '[' {
		closer = ']'
	}
	s.i++
	if s.consume(closer) {
		return true
	}
	for {
		if open == '{' {
			if _, _, ok := s.raw(); !ok || !s.consume(':') {
				return false
			}
		}
		if !s.skip(depth + 1) {
			return false
		}
		if s.consume(',') {
			continue
		}
		return s.consume(closer)
	}
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
