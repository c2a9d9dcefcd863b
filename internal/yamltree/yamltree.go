// Package yamltree reads configuration-like YAML files (source mappings,
// the access policy) as node trees, so that every error can name the
// file, the line and the key at fault, and unknown or repeated keys are
// refused rather than ignored.
package yamltree

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Error is a file that cannot be used: it names the kind of file, the
// file, the line and the key at fault.
type Error struct {
	Kind string // e.g. "mapping", "policy"
	File string
	Line int
	Key  string // e.g. "fields.dob.date"
	Msg  string
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s %s:%d: %s: %s", e.Kind, e.File, e.Line, e.Key, e.Msg)
}

// Parser walks one file's tree, keeping its kind and name for errors.
type Parser struct{ Kind, File string }

// Root parses a YAML document and returns its top node.
func (p *Parser) Root(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	err := yaml.NewDecoder(bytes.NewReader(data)).Decode(&doc)
	if errors.Is(err, io.EOF) || (err == nil && len(doc.Content) == 0) {
		return nil, &Error{Kind: p.Kind, File: p.File, Line: 1, Key: "(file)", Msg: "empty " + p.Kind}
	}
	if err != nil {
		return nil, &Error{Kind: p.Kind, File: p.File, Line: yamlLine(err), Key: "(file)", Msg: "not valid YAML: " + yamlMsg(err)}
	}
	return doc.Content[0], nil
}

// Fail makes an error at a node.
func (p *Parser) Fail(n *yaml.Node, key, format string, args ...any) error {
	line := 0
	if n != nil {
		line = n.Line
	}
	return &Error{Kind: p.Kind, File: p.File, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)}
}

// Pair is one key of a YAML mapping with its value.
type Pair struct {
	Key  string
	K, V *yaml.Node
}

// Object reads a mapping node, refusing keys outside allowed (when given)
// and keys given twice.
func (p *Parser) Object(n *yaml.Node, where string, allowed ...string) ([]Pair, error) {
	n = Deref(n)
	if n.Kind != yaml.MappingNode {
		return nil, p.Fail(n, where, "want a mapping of keys to values, got %s", kindName(n))
	}
	var out []Pair
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, p.Fail(k, where, "keys must be plain text")
		}
		name := Join(where, k.Value)
		if allowed != nil && !slices.Contains(allowed, k.Value) {
			return nil, p.Fail(k, name, "unknown key (want one of %s)", strings.Join(allowed, ", "))
		}
		if seen[k.Value] {
			return nil, p.Fail(k, name, "given twice")
		}
		seen[k.Value] = true
		out = append(out, Pair{Key: k.Value, K: k, V: v})
	}
	return out, nil
}

// Text reads a scalar.
func (p *Parser) Text(n *yaml.Node, where string) (string, error) {
	n = Deref(n)
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", p.Fail(n, where, "want text, got %s", kindName(n))
	}
	return n.Value, nil
}

// Texts reads one text or a list of texts.
func (p *Parser) Texts(n *yaml.Node, where string) ([]string, error) {
	n = Deref(n)
	if n.Kind != yaml.SequenceNode {
		s, err := p.Text(n, where)
		return []string{s}, err
	}
	out := make([]string, 0, len(n.Content))
	for _, c := range n.Content {
		s, err := p.Text(c, where)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// Bool reads true or false.
func (p *Parser) Bool(n *yaml.Node, where string) (bool, error) {
	var b bool
	n = Deref(n)
	if n.Kind != yaml.ScalarNode || n.Decode(&b) != nil {
		return false, p.Fail(n, where, "want true or false")
	}
	return b, nil
}

// Table reads a mapping of texts to texts; a null value is "".
func (p *Parser) Table(n *yaml.Node, where string) (map[string]string, error) {
	pairs, err := p.Object(n, where)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(pairs))
	for _, kv := range pairs {
		v := ""
		if Deref(kv.V).Tag != "!!null" {
			if v, err = p.Text(kv.V, Join(where, kv.Key)); err != nil {
				return nil, err
			}
		}
		out[kv.Key] = v
	}
	return out, nil
}

// Deref follows an alias (*name) to the node its anchor (&name) marks, so
// a table can be written once and used in several places.
func Deref(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 8; i++ {
		n = n.Alias
	}
	return n
}

// Join makes a dotted key path.
func Join(where, key string) string {
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

// SortedKeys lists a table's keys in order, for messages.
func SortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

var (
	yamlLineRE     = regexp.MustCompile(`line (\d+)`)
	yamlLinePrefix = regexp.MustCompile(`line \d+:\s*`)
)

// yamlLine finds the line a YAML syntax error is on (1 when it says none).
func yamlLine(err error) int {
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		if n, e := strconv.Atoi(m[1]); e == nil {
			return n
		}
	}
	return 1
}

func yamlMsg(err error) string {
	return yamlLinePrefix.ReplaceAllString(strings.TrimPrefix(err.Error(), "yaml: "), "")
}
