package mapping

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/resindex/resindex/internal/yamltree"
)

// rule says where one canonical value comes from and how to convert it:
//
//	from:   a native field, or a list of them joined by `join` (default a
//	        space; empty parts are skipped); a dotted path reaches into
//	        nested JSON objects
//	value:  a constant instead of a field
//	when_true: the value to give when the field is boolean true
//	split:  the separator of several values in one text
//	codes:  a table from the system's codes to canonical values; a code
//	        not in it is an error, a code mapped to nothing gives nothing
//	date:   the field's date layout, converted to YYYY-MM-DD (RFC3339
//	        stays a time)
//	required: the row is refused when the rule gives nothing
type rule struct {
	line     int
	where    string
	from     []string
	join     string
	value    string
	hasValue bool
	whenTrue string
	split    string
	codes    map[string]string
	date     string
	required bool
}

// dateLayouts are the layouts a rule may name, with Go's form of each.
var dateLayouts = map[string]string{
	"YYYY-MM-DD": "2006-01-02", "DD/MM/YYYY": "02/01/2006", "DD-MM-YYYY": "02-01-2006",
	"DD.MM.YYYY": "02.01.2006", "YYYYMMDD": "20060102", "YYYY/MM/DD": "2006/01/02",
	"RFC3339": "2006-01-02T15:04:05Z07:00",
}

// rules reads one rule or a list of them.
func (p *parser) rules(n *yaml.Node, where string) ([]*rule, error) {
	n = yamltree.Deref(n)
	if n.Kind != yaml.SequenceNode {
		r, err := p.rule(n, where)
		return []*rule{r}, err
	}
	if len(n.Content) == 0 {
		return nil, p.Fail(n, where, "empty list of rules")
	}
	out := make([]*rule, 0, len(n.Content))
	for i, c := range n.Content {
		r, err := p.rule(c, where+"["+strconv.Itoa(i)+"]")
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// rule reads a rule: a bare field name, or a mapping of options.
func (p *parser) rule(n *yaml.Node, where string) (*rule, error) {
	n = yamltree.Deref(n)
	r := &rule{line: n.Line, where: where, join: " "}
	if n.Kind == yaml.ScalarNode {
		s, err := p.Text(n, where)
		r.from = []string{s}
		return r, err
	}
	pairs, err := p.Object(n, where, "from", "join", "value", "when_true", "split", "codes", "date", "required")
	if err != nil {
		return nil, err
	}
	for _, kv := range pairs {
		if err := p.option(r, kv, yamltree.Join(where, kv.Key)); err != nil {
			return nil, err
		}
	}
	return r, p.check(r, n, where)
}

func (p *parser) option(r *rule, kv yamltree.Pair, at string) error {
	var err error
	switch kv.Key {
	case "from":
		r.from, err = p.Texts(kv.V, at)
	case "join":
		r.join, err = p.Text(kv.V, at)
	case "value":
		r.value, err = p.Text(kv.V, at)
		r.hasValue = true
	case "when_true":
		r.whenTrue, err = p.Text(kv.V, at)
	case "split":
		if r.split, err = p.Text(kv.V, at); err == nil && r.split == "" {
			err = p.Fail(kv.V, at, "empty separator")
		}
	case "codes":
		r.codes, err = p.Table(kv.V, at)
	case "date":
		if r.date, err = p.Text(kv.V, at); err == nil && dateLayouts[r.date] == "" {
			err = p.Fail(kv.V, at, "unknown date layout (want one of %s)", strings.Join(yamltree.SortedKeys(dateLayouts), ", "))
		}
	case "required":
		r.required, err = p.Bool(kv.V, at)
	}
	return err
}

// check refuses rules whose options cannot work together.
func (p *parser) check(r *rule, n *yaml.Node, where string) error {
	switch {
	case r.hasValue && len(r.from) > 0:
		return p.Fail(n, where, "give either from or value, not both")
	case !r.hasValue && len(r.from) == 0:
		return p.Fail(n, where, "needs from (a native field) or value (a constant)")
	case r.whenTrue != "" && (len(r.from) != 1 || r.codes != nil || r.date != "" || r.split != ""):
		return p.Fail(n, where, "when_true takes one boolean field and no codes, date or split")
	}
	for _, f := range r.from {
		if strings.TrimSpace(f) == "" || strings.Contains(f, "..") {
			return p.Fail(n, yamltree.Join(where, "from"), "empty field name")
		}
	}
	return nil
}
