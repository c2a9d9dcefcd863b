package mapping

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/resindex/resindex/internal/yamltree"
)

// Mapping turns one source system's rows into canonical records.
type Mapping struct {
	Source string // canonical source name, e.g. "council_tax"
	System string // what the system is, for people reading the file
	Key    string // native field holding the record's id
	Format string // extract format: csv, ndjson or json ("" when not stated)
	Array  string // json extracts: the key of the array holding the rows
	File   string // where the mapping was read from

	fields    []fieldRule
	addresses []addressRule
}

// fieldRule fills one canonical field from the first of its rules that
// gives a value (a scalar field) or from all of them (a list field).
type fieldRule struct {
	target string
	list   bool
	rules  []*rule
}

// addressRule makes addresses from the row itself or from each element of
// a nested object or list.
type addressRule struct {
	each                                    string
	uprn, town, postcode, from, to, current *rule
	lines                                   []*rule
	line                                    int
}

// scalarTargets are the canonical fields that take one value; listTargets
// take several; identifiers.KIND and attributes.NAME are scalars too.
var (
	scalarTargets = []string{"version", "name.title", "name.given", "name.family", "dob", "sex", "last_activity"}
	listTargets   = []string{"emails", "phones", "flags", "other_names"}
)

// Parse reads a mapping from YAML; file names it in errors.
func Parse(file string, data []byte) (*Mapping, error) {
	p := &parser{&yamltree.Parser{Kind: "mapping", File: file}}
	root, err := p.Root(data)
	if err != nil {
		return nil, err
	}
	m := &Mapping{File: file}
	if err := p.mapping(m, root); err != nil {
		return nil, err
	}
	return m, nil
}

// Load reads a mapping file.
func Load(path string) (*Mapping, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("mapping: %w", err)
	}
	return Parse(path, data)
}

func (p *parser) mapping(m *Mapping, root *yaml.Node) error {
	pairs, err := p.Object(root, "", "source", "system", "key", "format", "array", "fields", "addresses")
	if err != nil {
		return err
	}
	for _, kv := range pairs {
		if err := p.top(m, kv); err != nil {
			return err
		}
	}
	for _, need := range []struct{ key, v string }{{"source", m.Source}, {"key", m.Key}} {
		if need.v == "" {
			return p.Fail(root, need.key, "required: the mapping must name it")
		}
	}
	if m.Format == "json" && m.Array == "" {
		return p.Fail(root, "array", "required when format is json: the key of the array holding the rows")
	}
	if len(m.fields) == 0 && len(m.addresses) == 0 {
		return p.Fail(root, "fields", "required: the mapping maps no field")
	}
	return nil
}

func (p *parser) top(m *Mapping, kv yamltree.Pair) error {
	var err error
	switch kv.Key {
	case "source":
		if m.Source, err = p.Text(kv.V, kv.Key); err == nil && !sourceName.MatchString(m.Source) {
			err = p.Fail(kv.V, kv.Key, "want lower-case letters, digits and _ (e.g. council_tax)")
		}
	case "system":
		m.System, err = p.Text(kv.V, kv.Key)
	case "key":
		m.Key, err = p.Text(kv.V, kv.Key)
	case "format":
		if m.Format, err = p.Text(kv.V, kv.Key); err == nil && !slices.Contains([]string{"csv", "ndjson", "json"}, m.Format) {
			err = p.Fail(kv.V, kv.Key, "want csv, ndjson or json")
		}
	case "array":
		m.Array, err = p.Text(kv.V, kv.Key)
	case "fields":
		m.fields, err = p.fields(kv.V)
	case "addresses":
		m.addresses, err = p.addressList(kv.V)
	}
	return err
}

func (p *parser) fields(n *yaml.Node) ([]fieldRule, error) {
	pairs, err := p.Object(n, "fields")
	if err != nil {
		return nil, err
	}
	out := make([]fieldRule, 0, len(pairs))
	for _, kv := range pairs {
		where := yamltree.Join("fields", kv.Key)
		list, ok := targetKind(kv.Key)
		if !ok {
			return nil, p.Fail(kv.K, where, "unknown canonical field (want one of %s, identifiers.KIND or attributes.NAME)",
				strings.Join(append(append([]string{}, scalarTargets...), listTargets...), ", "))
		}
		rules, err := p.rules(kv.V, where)
		if err != nil {
			return nil, err
		}
		out = append(out, fieldRule{target: kv.Key, list: list, rules: rules})
	}
	return out, nil
}

// targetKind reports whether a canonical field takes a list, and whether
// it is a field at all.
func targetKind(t string) (list, ok bool) {
	switch {
	case slices.Contains(listTargets, t):
		return true, true
	case slices.Contains(scalarTargets, t):
		return false, true
	}
	for _, prefix := range []string{"identifiers.", "attributes."} {
		if name, found := strings.CutPrefix(t, prefix); found {
			return false, sourceName.MatchString(name)
		}
	}
	return false, false
}

func (p *parser) addressList(n *yaml.Node) ([]addressRule, error) {
	n = yamltree.Deref(n)
	if n.Kind != yaml.SequenceNode {
		return nil, p.Fail(n, "addresses", "want a list of address rules")
	}
	out := make([]addressRule, 0, len(n.Content))
	for i, c := range n.Content {
		a, err := p.address(c, fmt.Sprintf("addresses[%d]", i))
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func (p *parser) address(n *yaml.Node, where string) (addressRule, error) {
	a := addressRule{line: n.Line}
	pairs, err := p.Object(n, where, "each", "uprn", "lines", "town", "postcode", "from", "to", "current")
	if err != nil {
		return a, err
	}
	one := map[string]**rule{"uprn": &a.uprn, "town": &a.town, "postcode": &a.postcode, "from": &a.from, "to": &a.to, "current": &a.current}
	for _, kv := range pairs {
		at := yamltree.Join(where, kv.Key)
		switch kv.Key {
		case "each":
			a.each, err = p.Text(kv.V, at)
		case "lines":
			a.lines, err = p.rules(kv.V, at)
		default:
			*one[kv.Key], err = p.rule(kv.V, at)
		}
		if err != nil {
			return a, err
		}
	}
	return a, nil
}
