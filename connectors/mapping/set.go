package mapping

import (
	"embed"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/resindex/resindex/internal/yamltree"
)

// Set holds one mapping per source.
type Set map[string]*Mapping

//go:embed shipped/*.yaml
var shipped embed.FS

// Shipped returns the mappings for the ten council systems that come with
// resindex (connectors/mapping/shipped).
func Shipped() (Set, error) {
	names, err := shipped.ReadDir("shipped")
	if err != nil {
		return nil, fmt.Errorf("mapping: shipped: %w", err)
	}
	set := Set{}
	for _, n := range names {
		name := path.Join("shipped", n.Name())
		data, err := shipped.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("mapping: %w", err)
		}
		m, err := Parse(name, data)
		if err != nil {
			return nil, err
		}
		if err := set.add(m); err != nil {
			return nil, err
		}
	}
	return set, nil
}

// LoadDir reads every .yaml or .yml file in dir and returns base with
// them added: a council's mapping for a source replaces the shipped one.
func LoadDir(dir string, base Set) (Set, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("mapping: %w", err)
	}
	own := Set{}
	for _, e := range entries {
		if e.IsDir() || !(strings.HasSuffix(e.Name(), ".yaml") || strings.HasSuffix(e.Name(), ".yml")) {
			continue
		}
		m, err := Load(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		if err := own.add(m); err != nil {
			return nil, err
		}
	}
	out := Set{}
	for s, m := range base {
		out[s] = m
	}
	for s, m := range own {
		out[s] = m
	}
	return out, nil
}

func (s Set) add(m *Mapping) error {
	if prev, ok := s[m.Source]; ok {
		return fmt.Errorf("mapping: %s and %s both map source %s", prev.File, m.File, m.Source)
	}
	s[m.Source] = m
	return nil
}

// Get returns the mapping for a source, with an error that lists the
// sources there are when it has none.
func (s Set) Get(source string) (*Mapping, error) {
	if m, ok := s[source]; ok {
		return m, nil
	}
	return nil, fmt.Errorf("mapping: no mapping for source %q (have %s)", source, strings.Join(s.Sources(), ", "))
}

// Sources lists the mapped sources in order.
func (s Set) Sources() []string { return yamltree.SortedKeys(s) }

// ShippedWith gives the shipped mappings with a council's own, from dir,
// added (see LoadDir); with dir "", the shipped ones alone.
func ShippedWith(dir string) (Set, error) {
	set, err := Shipped()
	if err != nil || dir == "" {
		return set, err
	}
	return LoadDir(dir, set)
}
