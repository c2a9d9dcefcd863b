package mapping

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/resindex/resindex"
)

// Limits on what a row may hold: a source's key, and any one value. No
// council system's field comes near them; a row past them is refused
// rather than stored (the store's keys are built from these values).
const (
	MaxID    = 256
	MaxValue = 4096
)

// Row is one native row: a decoded JSON object (numbers as json.Number or
// float64) or a CSV line keyed by its header.
type Row = map[string]any

// FieldError is a row that does not fit its mapping. It names the source,
// the record (when its key could be read) and the native field, never the
// field's value: that is resident data.
type FieldError struct {
	Source string
	Record string // the record's id; "" when the key itself is at fault
	Field  string // the native field(s)
	Target string // the canonical field it was to fill
	Msg    string
}

func (e *FieldError) Error() string {
	rec := "record " + strconv.Quote(e.Record)
	if e.Record == "" {
		rec = "record without a key"
	}
	return fmt.Sprintf("%s %s: field %s (%s): %s", e.Source, rec, e.Field, e.Target, e.Msg)
}

// ID returns the record id a row (or a change event's key) holds in the
// mapping's key field.
func (m *Mapping) ID(row Row) (string, error) {
	v, _ := lookup(row, m.Key)
	id, err := textOf(v)
	switch {
	case err != nil:
		return "", &FieldError{Source: m.Source, Field: m.Key, Target: "id", Msg: err.Error()}
	case strings.TrimSpace(id) == "":
		return "", &FieldError{Source: m.Source, Field: m.Key, Target: "id", Msg: "the record's key is empty or missing"}
	case len(id) > MaxID:
		return "", &FieldError{Source: m.Source, Field: m.Key, Target: "id", Msg: fmt.Sprintf("the record's key is longer than %d bytes", MaxID)}
	}
	return strings.TrimSpace(id), nil
}

// Record maps a row to a canonical record. Version is left empty when the
// mapping has no rule for it: the caller knows the change's time.
func (m *Mapping) Record(row Row) (resindex.Record, error) {
	id, err := m.ID(row)
	if err != nil {
		return resindex.Record{}, err
	}
	rec := resindex.Record{Source: m.Source, ID: id}
	fail := func(r *rule, target string, msg string) error {
		return &FieldError{Source: m.Source, Record: id, Field: r.field(), Target: target, Msg: msg}
	}
	for i := range m.fields {
		f := &m.fields[i]
		vals, r, msg := f.eval(row)
		if msg != "" {
			return resindex.Record{}, fail(r, f.target, msg)
		}
		set(&rec, f.target, vals)
	}
	for i := range m.addresses {
		as, r, msg := m.addresses[i].eval(row)
		if msg != "" {
			return resindex.Record{}, fail(r, "addresses", msg)
		}
		rec.Addresses = append(rec.Addresses, as...)
	}
	return rec, nil
}

// eval gives a field's values: a scalar takes the first rule that gives
// one, a list takes every rule's. On failure it returns the rule at fault
// and why.
func (f *fieldRule) eval(row Row) ([]string, *rule, string) {
	var out []string
	for _, r := range f.rules {
		vals, msg := r.eval(row)
		switch {
		case msg != "":
			return nil, r, msg
		case !f.list && len(vals) > 1:
			return nil, r, "gives several values for a field that holds one"
		case r.required && len(vals) == 0:
			return nil, r, "required but empty"
		}
		out = append(out, vals...)
		if !f.list && len(out) > 0 {
			break
		}
	}
	return out, nil, ""
}

// set puts a field's values in the record.
func set(rec *resindex.Record, target string, vals []string) {
	if len(vals) == 0 {
		return
	}
	v := vals[0]
	switch target {
	case "version":
		rec.Version = v
	case "name.title":
		rec.Name.Title = v
	case "name.given":
		rec.Name.Given = v
	case "name.family":
		rec.Name.Family = v
	case "dob":
		rec.DOB = v
	case "sex":
		rec.Sex = v
	case "last_activity":
		rec.LastActivity = v
	case "emails":
		rec.Emails = append(rec.Emails, vals...)
	case "phones":
		rec.Phones = append(rec.Phones, vals...)
	case "flags":
		rec.Flags = appendNew(rec.Flags, vals...)
	case "other_names":
		for _, f := range vals {
			rec.OtherNames = append(rec.OtherNames, resindex.Name{Family: f})
		}
	default:
		setKeyed(rec, target, v)
	}
}

func setKeyed(rec *resindex.Record, target, v string) {
	if kind, ok := strings.CutPrefix(target, "identifiers."); ok {
		if rec.Identifiers == nil {
			rec.Identifiers = map[string]string{}
		}
		rec.Identifiers[kind] = v
		return
	}
	name, _ := strings.CutPrefix(target, "attributes.")
	if rec.Attributes == nil {
		rec.Attributes = map[string]string{}
	}
	rec.Attributes[name] = v
}

func appendNew(xs []string, vals ...string) []string {
	for _, v := range vals {
		if !slices.Contains(xs, v) {
			xs = append(xs, v)
		}
	}
	return xs
}

// lookup finds a field by name, or by a dotted path into nested objects.
// A missing field is no value: systems leave empty fields out.
func lookup(row Row, path string) (any, bool) {
	if v, ok := row[path]; ok {
		return v, true
	}
	head, rest, found := strings.Cut(path, ".")
	if !found {
		return nil, false
	}
	sub, ok := row[head].(map[string]any)
	if !ok {
		return nil, false
	}
	return lookup(sub, rest)
}

// textOf renders a scalar JSON value as text.
func textOf(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case json.Number:
		return x.String(), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case bool:
		return strconv.FormatBool(x), nil
	case map[string]any:
		return "", fmt.Errorf("want a single value, got an object")
	case []any:
		return "", fmt.Errorf("want a single value, got a list")
	}
	return "", fmt.Errorf("want a single value, got %T", v)
}
