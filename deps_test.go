package resindex_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependenciesPointInwards keeps the layout of DESIGN.md §3: the root
// package uses only the standard library, the matcher only the root (and
// its string-metric library), and sibling packages never import each other;
// only cmd wires implementations together.
func TestDependenciesPointInwards(t *testing.T) {
	const mod = "github.com/resindex/resindex"
	allowed := map[string][]string{
		mod:               {},
		mod + "/matcher":  {mod},
		mod + "/synth":    {mod},
		mod + "/evaluate": {mod},
		mod + "/resolver": {mod, mod + "/matcher"},
		mod + "/store":    {mod},
		// Connectors: the mappings stand alone; decoders and readers use them.
		// internal/yamltree reads configuration-like YAML with line numbers.
		mod + "/internal/yamltree":   {},
		mod + "/connectors/mapping":  {mod, mod + "/internal/yamltree"},
		mod + "/connectors/debezium": {mod, mod + "/connectors/mapping", mod + "/internal/yamltree"},
		mod + "/connectors/kafka":    {mod},
		mod + "/access":              {mod, mod + "/internal/yamltree"},
		mod + "/connectors/file":     {mod, mod + "/connectors/mapping", mod + "/internal/yamltree"},
		// The web serves what access decides (DESIGN §2: web → access → store).
		mod + "/web": {mod, mod + "/access", mod + "/internal/yamltree"},
	}
	for pkg, ok := range allowed {
		out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			if dep == pkg || (pkg != mod && !strings.HasPrefix(dep, mod)) {
				continue // outside libraries are fine, except in the root
			}
			if !contains(ok, dep) {
				t.Errorf("%s must not depend on %s", pkg, dep)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
