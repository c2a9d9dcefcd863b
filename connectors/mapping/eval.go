package mapping

import (
	"fmt"
	"strings"
	"time"

	"github.com/resindex/resindex/internal/yamltree"
)

// field names the native field(s) a rule reads, for errors.
func (r *rule) field() string {
	if r.hasValue {
		return "(constant)"
	}
	return strings.Join(r.from, "+")
}

// eval gives the values a rule finds in a row, or why the row does not
// fit. Messages never quote the value.
func (r *rule) eval(row Row) ([]string, string) {
	raw, msg := r.raw(row)
	if msg != "" {
		return nil, msg
	}
	out := make([]string, 0, len(raw))
	for _, s := range raw {
		parts := []string{s}
		if r.split != "" {
			parts = strings.Split(s, r.split)
		}
		for _, p := range parts {
			if len(p) > MaxValue {
				return nil, fmt.Sprintf("a value longer than %d bytes", MaxValue)
			}
			v, msg := r.convert(strings.TrimSpace(p))
			if msg != "" {
				return nil, msg
			}
			if v != "" {
				out = append(out, v)
			}
		}
	}
	return out, ""
}

// raw reads the rule's text(s) from the row before conversion.
func (r *rule) raw(row Row) ([]string, string) {
	switch {
	case r.hasValue:
		return []string{r.value}, ""
	case r.whenTrue != "":
		return r.flag(row)
	case len(r.from) == 1:
		v, _ := lookup(row, r.from[0])
		if list, ok := v.([]any); ok {
			return textsOf(list)
		}
		s, err := textOf(v)
		if err != nil {
			return nil, err.Error()
		}
		return []string{s}, ""
	}
	parts := make([]string, 0, len(r.from))
	for _, f := range r.from {
		v, _ := lookup(row, f)
		s, err := textOf(v)
		if err != nil {
			return nil, err.Error()
		}
		if s = strings.TrimSpace(s); s != "" {
			parts = append(parts, s)
		}
	}
	return []string{strings.Join(parts, r.join)}, ""
}

func textsOf(list []any) ([]string, string) {
	out := make([]string, 0, len(list))
	for _, v := range list {
		s, err := textOf(v)
		if err != nil {
			return nil, "a list element: " + err.Error()
		}
		out = append(out, s)
	}
	return out, ""
}

// flag gives when_true's value for a true boolean.
func (r *rule) flag(row Row) ([]string, string) {
	v, _ := lookup(row, r.from[0])
	switch x := v.(type) {
	case nil:
		return nil, ""
	case bool:
		if x {
			return []string{r.whenTrue}, ""
		}
		return nil, ""
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true":
			return []string{r.whenTrue}, ""
		case "false", "":
			return nil, ""
		}
	}
	return nil, "want true or false"
}

// convert applies the code table and the date layout to one value.
func (r *rule) convert(s string) (string, string) {
	if s == "" {
		return "", ""
	}
	if r.codes != nil {
		c, ok := r.codes[s]
		if !ok {
			return "", "a code not in the mapping's table (want one of " + strings.Join(yamltree.SortedKeys(r.codes), ", ") + ")"
		}
		s = c
	}
	if r.date == "" || s == "" {
		return s, ""
	}
	t, err := time.Parse(dateLayouts[r.date], s)
	if err != nil {
		return "", "not a date in the layout " + r.date
	}
	if r.date == "RFC3339" {
		return t.UTC().Format(time.RFC3339Nano), ""
	}
	return t.Format("2006-01-02"), ""
}
