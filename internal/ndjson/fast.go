package ndjson

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/resindex/resindex"
)

// decodeFast decodes a canonical record in the shape resindex's own
// writers give it: every member named exactly and once, strings valid
// UTF-8, no numbers and no nulls. It reports false on anything else, and
// DecodeRecord then leaves the line to encoding/json, which decides what
// it means or which error it is; so a line this accepts must decode to
// exactly what encoding/json makes of it (FuzzDecodeFast checks that).
// encoding/json's reflection and one allocation per string were most of
// the time of reading a million records.
//
// The strings of one record share one allocation (an arena the size of
// the line), except the id, which the record's key keeps after the record
// is released, and the source, one of a few names shared by all records.
func decodeFast(line []byte) (resindex.Record, bool) {
	d := fastDecoder{b: line}
	d.arena.Grow(len(line)) // unescaped strings are never longer than the line
	var r resindex.Record
	if !d.record(&r) {
		return resindex.Record{}, false
	}
	d.space()
	return r, d.i == len(d.b)
}

type fastDecoder struct {
	b     []byte
	i     int
	arena strings.Builder // written only by appending, so strings taken from it stay valid
}

// Members of a record, by the bit that marks them seen.
const (
	fSource = 1 << iota
	fID
	fVersion
	fDeleted
	fName
	fOtherNames
	fDOB
	fSex
	fAddresses
	fIdentifiers
	fEmails
	fPhones
	fFlags
	fAttributes
	fLastActivity
)

func (d *fastDecoder) record(r *resindex.Record) bool {
	var seen uint32
	return d.object(func(key []byte) bool {
		var bit uint32
		ok := false
		switch string(key) {
		case "source":
			bit, ok = fSource, d.source(&r.Source)
		case "id":
			bit, ok = fID, d.ownString(&r.ID)
		case "version":
			bit, ok = fVersion, d.str(&r.Version)
		case "deleted":
			bit, ok = fDeleted, d.boolean(&r.Deleted)
		case "name":
			bit, ok = fName, d.name(&r.Name)
		case "other_names":
			bit, ok = fOtherNames, d.names(&r.OtherNames)
		case "dob":
			bit, ok = fDOB, d.str(&r.DOB)
		case "sex":
			bit, ok = fSex, d.str(&r.Sex)
		case "addresses":
			bit, ok = fAddresses, d.addresses(&r.Addresses)
		case "identifiers":
			bit, ok = fIdentifiers, d.strMap(&r.Identifiers)
		case "emails":
			bit, ok = fEmails, d.strs(&r.Emails)
		case "phones":
			bit, ok = fPhones, d.strs(&r.Phones)
		case "flags":
			bit, ok = fFlags, d.strs(&r.Flags)
		case "attributes":
			bit, ok = fAttributes, d.strMap(&r.Attributes)
		case "last_activity":
			bit, ok = fLastActivity, d.str(&r.LastActivity)
		}
		return d.once(&seen, bit) && ok
	})
}

// once marks a member seen, refusing one seen before (encoding/json
// merges a repeated member into the first, which is left to it) and an
// unknown one (bit 0).
func (d *fastDecoder) once(seen *uint32, bit uint32) bool {
	if bit == 0 || *seen&bit != 0 {
		return false
	}
	*seen |= bit
	return true
}

func (d *fastDecoder) name(n *resindex.Name) bool {
	var seen uint32
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "title":
			return d.once(&seen, 1) && d.str(&n.Title)
		case "given":
			return d.once(&seen, 2) && d.str(&n.Given)
		case "family":
			return d.once(&seen, 4) && d.str(&n.Family)
		}
		return false
	})
}

func (d *fastDecoder) names(ns *[]resindex.Name) bool {
	out := []resindex.Name{}
	ok := d.array(func() bool {
		out = append(out, resindex.Name{})
		return d.name(&out[len(out)-1])
	})
	*ns = out
	return ok
}

func (d *fastDecoder) address(a *resindex.Address) bool {
	var seen uint32
	return d.object(func(key []byte) bool {
		switch string(key) {
		case "uprn":
			return d.once(&seen, 1) && d.str(&a.UPRN)
		case "lines":
			return d.once(&seen, 2) && d.strs(&a.Lines)
		case "town":
			return d.once(&seen, 4) && d.str(&a.Town)
		case "postcode":
			return d.once(&seen, 8) && d.str(&a.Postcode)
		case "from":
			return d.once(&seen, 16) && d.str(&a.From)
		case "to":
			return d.once(&seen, 32) && d.str(&a.To)
		case "current":
			return d.once(&seen, 64) && d.boolean(&a.Current)
		}
		return false
	})
}

func (d *fastDecoder) addresses(as *[]resindex.Address) bool {
	out := []resindex.Address{}
	ok := d.array(func() bool {
		out = append(out, resindex.Address{})
		return d.address(&out[len(out)-1])
	})
	*as = out
	return ok
}

// strs reads an array of strings; like encoding/json, an empty array is
// an empty slice, not nil.
func (d *fastDecoder) strs(ss *[]string) bool {
	out := []string{}
	ok := d.array(func() bool {
		var s string
		ok := d.str(&s)
		out = append(out, s)
		return ok
	})
	*ss = out
	return ok
}

// strMap reads an object of strings; an empty object is an empty map.
func (d *fastDecoder) strMap(m *map[string]string) bool {
	out := map[string]string{}
	ok := d.object(func(key []byte) bool {
		k := d.keep(key)
		if _, dup := out[k]; dup {
			return false // encoding/json keeps the last: left to it
		}
		var v string
		ok := d.str(&v)
		out[k] = v
		return ok
	})
	*m = out
	return ok
}

// object reads {"key": value, …}, handing each key (unescaped member
// names only) to member, which reads the value.
func (d *fastDecoder) object(member func(key []byte) bool) bool {
	if !d.consume('{') {
		return false
	}
	if d.consume('}') {
		return true
	}
	for {
		key, ok := d.rawKey()
		if !ok || !d.consume(':') || !member(key) {
			return false
		}
		if d.consume(',') {
			continue
		}
		return d.consume('}')
	}
}

// array reads [value, …], element reading each value.
func (d *fastDecoder) array(element func() bool) bool {
	if !d.consume('[') {
		return false
	}
	if d.consume(']') {
		return true
	}
	for {
		if !element() {
			return false
		}
		if d.consume(',') {
			continue
		}
		return d.consume(']')
	}
}

func (d *fastDecoder) space() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *fastDecoder) consume(c byte) bool {
	d.space()
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

// rawKey reads a member name holding no escapes and no control or
// non-ASCII characters (encoding/json folds case, and some non-ASCII
// letters, when matching names: such a name is left to it).
func (d *fastDecoder) rawKey() ([]byte, bool) {
	if !d.consume('"') {
		return nil, false
	}
	start := d.i
	for ; d.i < len(d.b); d.i++ {
		switch c := d.b[d.i]; {
		case c == '"':
			d.i++
			return d.b[start : d.i-1], true
		case c == '\\' || c < 0x20 || c >= utf8.RuneSelf:
			return nil, false
		}
	}
	return nil, false
}

// str reads a string into the arena.
func (d *fastDecoder) str(s *string) bool {
	start := d.arena.Len()
	if !d.unquote() {
		return false
	}
	*s = d.arena.String()[start:]
	return true
}

// ownString reads a string into an allocation of its own.
func (d *fastDecoder) ownString(s *string) bool {
	start := d.arena.Len()
	if !d.unquote() {
		return false
	}
	*s = strings.Clone(d.arena.String()[start:])
	return true
}

// source reads a source's name, shared with every record of the source
// when it is one of the council systems'.
func (d *fastDecoder) source(s *string) bool {
	start := d.arena.Len()
	if !d.unquote() {
		return false
	}
	v := d.arena.String()[start:]
	if known, ok := knownSource([]byte(v)); ok {
		*s = known
		return true
	}
	*s = strings.Clone(v)
	return true
}

// knownSource returns the council system named, if it is one.
func knownSource(name []byte) (string, bool) {
	for _, known := range resindex.Sources {
		if string(name) == known {
			return known, true
		}
	}
	return "", false
}

// keep copies bytes of the line into the arena.
func (d *fastDecoder) keep(b []byte) string {
	start := d.arena.Len()
	d.arena.Write(b)
	return d.arena.String()[start:]
}

// unquote reads a JSON string into the arena, unescaping it. Invalid
// UTF-8 and escaped surrogates (which encoding/json may replace with
// U+FFFD) are refused.
func (d *fastDecoder) unquote() bool {
	if !d.consume('"') {
		return false
	}
	start, ascii := d.i, true
	for d.i < len(d.b) {
		switch c := d.b[d.i]; {
		case c == '"':
			seg := d.b[start:d.i]
			d.i++
			if !ascii && !utf8.Valid(seg) {
				return false
			}
			d.arena.Write(seg)
			return true
		case c == '\\':
			seg := d.b[start:d.i]
			if !ascii && !utf8.Valid(seg) {
				return false
			}
			d.arena.Write(seg)
			if !d.escape() {
				return false
			}
			start, ascii = d.i, true
		case c < 0x20:
			return false
		case c >= utf8.RuneSelf:
			ascii = false
			d.i++
		default:
			d.i++
		}
	}
	return false
}

// escape reads one escape sequence, at a backslash, into the arena.
func (d *fastDecoder) escape() bool {
	if d.i+1 >= len(d.b) {
		return false
	}
	c := d.b[d.i+1]
	d.i += 2
	switch c {
	case '"', '\\', '/':
		d.arena.WriteByte(c)
	case 'b':
		d.arena.WriteByte('\b')
	case 'f':
		d.arena.WriteByte('\f')
	case 'n':
		d.arena.WriteByte('\n')
	case 'r':
		d.arena.WriteByte('\r')
	case 't':
		d.arena.WriteByte('\t')
	case 'u':
		r, ok := d.hex4()
		if !ok || utf16.IsSurrogate(r) {
			return false
		}
		d.arena.WriteRune(r)
	default:
		return false
	}
	return true
}

func (d *fastDecoder) hex4() (rune, bool) {
	if d.i+4 > len(d.b) {
		return 0, false
	}
	var r rune
	for _, c := range d.b[d.i : d.i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	d.i += 4
	return r, true
}

// boolean reads true or false (null, which leaves the field as it is in
// encoding/json, is left to it).
func (d *fastDecoder) boolean(v *bool) bool {
	d.space()
	switch {
	case d.lit("true"):
		*v = true
	case d.lit("false"):
		*v = false
	default:
		return false
	}
	return true
}

func (d *fastDecoder) lit(word string) bool {
	if len(d.b)-d.i >= len(word) && string(d.b[d.i:d.i+len(word)]) == word {
		d.i += len(word)
		return true
	}
	return false
}
