package access

import (
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/resindex/resindex/internal/yamltree"
)

// namedSource is a source a role names, with its key and line, so that
// an unknown one is reported where it is written.
type namedSource struct {
	name, key string
	line      int
}

// CheckSources refuses a policy whose roles name a source no mapping
// has (known: the shipped mappings' sources and the council's own). A
// misspelt source would silently grant nothing; the error names the
// file, line, key and source, and lists the known ones.
func (p *Policy) CheckSources(known []string) error {
	for _, n := range p.named {
		if !slices.Contains(known, n.name) {
			return &yamltree.Error{Kind: "policy", File: p.File, Line: n.line, Key: n.key,
				Msg: "unknown source \"" + n.name + "\" (known: " + strings.Join(known, ", ") + ")"}
		}
	}
	return nil
}

// itemLine is the line of a list's item with the text given, else the
// list's own (a source given as one word, not a list).
func itemLine(n *yaml.Node, text string) int {
	n = yamltree.Deref(n)
	for _, c := range n.Content {
		if c = yamltree.Deref(c); c.Value == text {
			return c.Line
		}
	}
	return n.Line
}
