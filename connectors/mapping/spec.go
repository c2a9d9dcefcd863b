package mapping

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// SpecError is a mapping file that cannot be used: it names the file, the
// line and the key at fault.
type SpecError struct {
	File string
	Line int
	Key  string // e.g. "fields.dob.date"
	Msg  string
}

func (e *SpecError) Error() string {
	return fmt.Sprintf("mapping %s:%d: %s: %s", e.File, e.Line, e.Key, e.Msg)
}

// parser walks a mapping's YAML tree, keeping the file name for errors.
type parser struct{ file string }

func (p *parser) fail(n *yaml.Node, key, format string, args ...any) error {
	line := 0
	if n != nil {
		line = n.Line
	}
	return &SpecError{File: p.file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)}
}

// pair is one key of a YAML mapping with its value.
type pair struct {
	key string
	k   *yaml.Node
	v   *yaml.Node
}

// object reads a YAML mapping node, refusing keys outside allowed and
// keys given twice, so a misspelt option is never silently ignored.
func (p *parser) object(n *yaml.Node, where string, allowed ...string) ([]pair, error) {
	n = deref(n)
	if n.Kind != yaml.MappingNode {
		return nil, p.fail(n, where, "want a mapping of keys to values, got %s", kindName(n))
	}
	var out []pair
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, p.fail(k, where, "keys must be plain text")
		}
		name := join(where, k.Value)
		if allowed != nil && !slices.Contains(allowed, k.Value) {
			return nil, p.fail(k, name, "unknown key (want one of %s)", strings.Join(allowed, ", "))
		}
		if seen[k.Value] {
			return nil, p.fail(k, name, "given twice")
		}
		seen[k.Value] = true
		out = append(out, pair{key: k.Value, k: k, v: v})
	}
	return out, nil
}

func (p *parser) text(n *yaml.Node, where string) (string, error) {
	n = deref(n)
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", p.fail(n, where, "want text, got %s", kindName(n))
	}
	return n.Value, nil
}

// texts reads one text or a list of texts.
func (p *parser) texts(n *yaml.Node, where string) ([]string, error) {
	n = deref(n)
	if n.Kind != yaml.SequenceNode {
		s, err := p.text(n, where)
		return []string{s}, err
	}
	out := make([]string, 0, len(n.Content))
	for _, c := range n.Content {
		s, err := p.text(c, where)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func (p *parser) boolean(n *yaml.Node, where string) (bool, error) {
	var b bool
	if n.Kind != yaml.ScalarNode || n.Decode(&b) != nil {
		return false, p.fail(n, where, "want true or false")
	}
	return b, nil
}

func (p *parser) table(n *yaml.Node, where string) (map[string]string, error) {
	pairs, err := p.object(n, where)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(pairs))
	for _, kv := range pairs {
		v := ""
		if kv.v.Tag != "!!null" {
			if v, err = p.text(kv.v, join(where, kv.key)); err != nil {
				return nil, err
			}
		}
		out[kv.key] = v
	}
	return out, nil
}

// deref follows an alias (*name) to the node its anchor (&name) marks,
// so a code table can be written once and used by several rules.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 8; i++ {
		n = n.Alias
	}
	return n
}

func join(where, key string) string {
	if where == "" {
		return key
	}
	return where + "." + key
}

func kindName(n *yaml.Node) string {
	switch {
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind == yaml.AliasNode:
		return "an alias"
	case n.Tag == "!!null":
		return "nothing"
	}
	return "text"
}

var sourceName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// sortedKeys lists a table's keys in order, for messages.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
