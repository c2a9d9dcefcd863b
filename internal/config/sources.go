package config

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/resindex/resindex/connectors/mapping"
	"github.com/resindex/resindex/internal/yamltree"
)

// shippedSources are the sources of the shipped mappings, read once: a
// configuration naming none of its own is checked against them alone.
var shippedSources = sync.OnceValues(func() ([]string, error) {
	set, err := mapping.Shipped()
	return set.Sources(), err
})

// KnownSources are the source names there are: those of the shipped
// mappings and of the council's own (mappings dir).
func KnownSources(mappingsDir string) ([]string, error) {
	if mappingsDir == "" {
		return shippedSources()
	}
	set, err := mapping.ShippedWith(mappingsDir)
	if err != nil {
		return nil, err
	}
	return set.Sources(), nil
}

// UnknownSource is the error for a source name no mapping has: it lists
// the ones there are, so that a misspelling is seen at once.
func UnknownSource(name string, known []string) string {
	return fmt.Sprintf("unknown source %q (known: %s)", name, strings.Join(known, ", "))
}

// checkSources refuses a source name no mapping knows wherever the file
// names one: a misspelt source in engine.trust would silently rank
// nothing, and in kafka.topics or retention.sources fail only later.
func (c *Config) checkSources(file string, root *yaml.Node) error {
	known, err := KnownSources(c.Mappings)
	if err != nil {
		return fmt.Errorf("config %s: mappings: %w", file, err)
	}
	type named struct{ key, name string }
	var names []named
	for i, s := range c.Engine.Trust {
		names = append(names, named{fmt.Sprintf("engine.trust[%d]", i), s})
	}
	for i, t := range c.Kafka.Topics {
		switch {
		case t.Topic == "all" && t.Source == "":
		case t.Source != "":
			names = append(names, named{fmt.Sprintf("kafka.topics[%d].source", i), t.Source})
		default:
			names = append(names, named{fmt.Sprintf("kafka.topics[%d].topic", i), cmp.Or(t.Source, t.Topic)})
		}
	}
	for _, s := range sortedNames(c.Retention.Sources) {
		names = append(names, named{"retention.sources." + s, s})
	}
	for _, n := range names {
		if !slices.Contains(known, n.name) {
			return &yamltree.Error{Kind: "config", File: file, Line: max(lineOf(root, n.key), 1), Key: n.key, Msg: UnknownSource(n.name, known)}
		}
	}
	return nil
}
