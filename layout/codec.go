package layout

import (
	"github.com/resindex/resindex"

	"encoding/binary"
	"fmt"
	"slices"
)

// The store keeps records in a compact binary form rather than JSON: the
// engine reads several stored records for every change it applies, and
// decoding JSON was the largest part of that. The form is private to the
// store; canonical records enter and leave the index as JSON.
//
// Layout: a version byte, then every field in declaration order. A string
// is a uvarint length and its bytes; a bool one byte; a slice a uvarint
// count and its items; a map a uvarint count and its pairs in key order,
// so that equal records encode to equal bytes.

const codecVersion = 1

// ErrCorrupt is wrapped by the errors of DecodeRecord.
// It is of kind resindex.ErrInternal.
var ErrCorrupt = resindex.NewError(resindex.ErrInternal, "stored record is corrupt")

// EncodeRecord encodes the record in the store's form.
func EncodeRecord(r *resindex.Record) []byte {
	w := make([]byte, 0, 256)
	w = append(w, codecVersion)
	w = putString(w, r.Source)
	w = putString(w, r.ID)
	w = putString(w, r.Version)
	w = putBool(w, r.Deleted)
	w = putName(w, r.Name)
	w = binary.AppendUvarint(w, uint64(len(r.OtherNames)))
	for _, n := range r.OtherNames {
		w = putName(w, n)
	}
	w = putString(w, r.DOB)
	w = putString(w, r.Sex)
	w = binary.AppendUvarint(w, uint64(len(r.Addresses)))
	for i := range r.Addresses {
		w = putAddress(w, &r.Addresses[i])
	}
	w = putMap(w, r.Identifiers)
	w = putStrings(w, r.Emails)
	w = putStrings(w, r.Phones)
	w = putStrings(w, r.Flags)
	w = putMap(w, r.Attributes)
	w = putString(w, r.LastActivity)
	return w
}

// AppendString appends s to b, its length first (a uvarint): the store's
// form for a string, in records, in persons' record lists and in the
// journal of large changes.
func AppendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// CutString reads a string AppendString wrote at the front of b, and
// returns it and the bytes after it; ok is false if b does not start with
// one (a bad or overlong length).
func CutString(b []byte) (s string, rest []byte, ok bool) {
	n, w := binary.Uvarint(b)
	if w <= 0 || n > uint64(len(b)-w) {
		return "", nil, false
	}
	return string(b[w : w+int(n)]), b[w+int(n):], true
}

func putString(w []byte, s string) []byte { return AppendString(w, s) }

func putBool(w []byte, b bool) []byte {
	if b {
		return append(w, 1)
	}
	return append(w, 0)
}

func putStrings(w []byte, ss []string) []byte {
	w = binary.AppendUvarint(w, uint64(len(ss)))
	for _, s := range ss {
		w = putString(w, s)
	}
	return w
}

func putMap(w []byte, m map[string]string) []byte {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	w = binary.AppendUvarint(w, uint64(len(keys)))
	for _, k := range keys {
		w = putString(putString(w, k), m[k])
	}
	return w
}

func putName(w []byte, n resindex.Name) []byte {
	return putString(putString(putString(w, n.Title), n.Given), n.Family)
}

func putAddress(w []byte, a *resindex.Address) []byte {
	w = putString(w, a.UPRN)
	w = putStrings(w, a.Lines)
	w = putString(w, a.Town)
	w = putString(w, a.Postcode)
	w = putString(w, a.From)
	w = putString(w, a.To)
	return putBool(w, a.Current)
}

// DecodeRecord decodes a record from the store's form. It never panics
// on bad bytes: it returns an error wrapping ErrCorrupt.
func DecodeRecord(data []byte, r *resindex.Record) error {
	d := decoder{b: data}
	if v := d.byte(); v != codecVersion && d.err == nil {
		return fmt.Errorf("%w: unknown format version %d", ErrCorrupt, v)
	}
	var out resindex.Record
	out.Source, out.ID, out.Version = d.string(), d.string(), d.string()
	out.Deleted = d.bool()
	out.Name = d.name()
	if n := d.count(); n > 0 {
		out.OtherNames = make([]resindex.Name, n)
		for i := range out.OtherNames {
			out.OtherNames[i] = d.name()
		}
	}
	out.DOB, out.Sex = d.string(), d.string()
	if n := d.count(); n > 0 {
		out.Addresses = make([]resindex.Address, n)
		for i := range out.Addresses {
			out.Addresses[i] = d.address()
		}
	}
	out.Identifiers = d.stringMap()
	out.Emails, out.Phones, out.Flags = d.strings(), d.strings(), d.strings()
	out.Attributes = d.stringMap()
	out.LastActivity = d.string()
	if d.err == nil && len(d.b) > 0 {
		d.err = fmt.Errorf("%w: %d bytes after the record", ErrCorrupt, len(d.b))
	}
	if d.err != nil {
		return d.err
	}
	*r = out
	return nil
}

// decoder reads the store's form; after the first error every read
// returns a zero value and the error is kept.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: truncated %s", ErrCorrupt, what)
	}
	d.b = nil
}

func (d *decoder) byte() byte {
	if len(d.b) < 1 {
		d.fail("byte")
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) bool() bool { return d.byte() == 1 }

func (d *decoder) uvarint(what string) uint64 {
	n, k := binary.Uvarint(d.b)
	if k <= 0 {
		d.fail(what)
		return 0
	}
	d.b = d.b[k:]
	return n
}

// length reads a length no larger than the bytes left: a string's, or a
// count of items each at least one byte long, so that a bad value cannot
// make the decoder allocate more than the input could hold.
func (d *decoder) length(what string) int {
	n := d.uvarint(what + " length")
	if n > uint64(len(d.b)) {
		d.fail(what)
		return 0
	}
	return int(n)
}

func (d *decoder) string() string {
	s, rest, ok := CutString(d.b)
	if !ok {
		d.fail("string")
		return ""
	}
	d.b = rest
	return s
}

func (d *decoder) count() int { return d.length("list") }

func (d *decoder) strings() []string {
	n := d.count()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.string()
	}
	return out
}

func (d *decoder) stringMap() map[string]string {
	n := d.count()
	if n == 0 {
		return nil
	}
	out := make(map[string]string, n)
	for range n {
		k := d.string()
		out[k] = d.string()
	}
	return out
}

func (d *decoder) name() resindex.Name {
	return resindex.Name{Title: d.string(), Given: d.string(), Family: d.string()}
}

func (d *decoder) address() resindex.Address {
	return resindex.Address{UPRN: d.string(), Lines: d.strings(), Town: d.string(), Postcode: d.string(),
		From: d.string(), To: d.string(), Current: d.bool()}
}
