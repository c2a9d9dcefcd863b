package resindex_test

import (
	"fmt"
	"maps"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const mod = "github.com/resindex/resindex"

// allowedDeps is the layout of DESIGN.md §3: every package of the module
// but the commands, with the module packages it may depend on (directly
// or through others). The root package uses only the standard library,
// the matcher only the root (and its string-metric library), and sibling
// packages never import each other; only cmd wires implementations
// together. A package missing here, or an edge not listed, fails.
var allowedDeps = map[string][]string{
	mod:                     {},
	mod + "/matcher":        {mod},
	mod + "/synth":          {mod},
	mod + "/evaluate":       {mod},
	mod + "/alerts/webhook": {}, // standard library only
	// The safeguarding rule and inbox write their own kinds of key.
	// Its metrics keep the inbox's count (internal/kept).
	mod + "/alerts": {mod, mod + "/layout", mod + "/alerts/webhook", mod + "/internal/kept"},
	// The fraud checks read the index through a Scan the command wires
	// (the resolver's Residents) and keep their reviews in one kind of key.
	mod + "/fraud": {mod, mod + "/layout"},
	// The stored layout: every key kind, key builder and value encoding,
	// shared by the two packages that write the store.
	mod + "/layout":   {mod},
	mod + "/resolver": {mod, mod + "/matcher", mod + "/layout", mod + "/internal/ndjson"},
	mod + "/store":    {mod, mod + "/layout"},
	// Reading NDJSON records and headers, in parallel.
	mod + "/internal/ndjson": {mod},
	// Connectors: the mappings stand alone; decoders and readers use them.
	// internal/yamltree reads configuration-like YAML with line numbers.
	mod + "/internal/yamltree":   {},
	mod + "/connectors/mapping":  {mod, mod + "/internal/yamltree"},
	mod + "/connectors/debezium": {mod, mod + "/connectors/mapping", mod + "/internal/yamltree"},
	// Kafka's runner sums up event-to-change latencies as the other
	// commands do (internal/latency, standard library only).
	mod + "/connectors/kafka": {mod, mod + "/internal/latency"},
	// The property-key rule is the matcher's (pure: normalisers only).
	// The alert inbox is read and worked through access.
	// The fraud findings are read, and reviewed, through access too.
	mod + "/access": {mod, mod + "/matcher", mod + "/internal/yamltree", mod + "/alerts", mod + "/internal/kept", mod + "/layout", mod + "/alerts/webhook", mod + "/fraud"},
	// The file connector reads extracts through mappings and canonical
	// timelines through internal/ndjson, and applies them through an
	// Applier it declares: never the engine itself.
	mod + "/connectors/file": {mod, mod + "/connectors/mapping", mod + "/internal/yamltree", mod + "/internal/ndjson"},
	// Operator-facing reporting shared by the commands and connectors:
	// standard library only.
	mod + "/internal/progress": {},
	mod + "/internal/latency":  {},
	// A costly reading kept for metrics scrapes: standard library only.
	mod + "/internal/kept": {},
	// What the batch commands tell an operator about a link, a model, an
	// evaluation and a policy: the texts of resolver's, evaluate's and
	// access's results.
	mod + "/internal/report": {mod, mod + "/matcher", mod + "/resolver", mod + "/evaluate", mod + "/layout", mod + "/internal/ndjson",
		mod + "/access", mod + "/internal/yamltree", mod + "/alerts", mod + "/internal/kept", mod + "/alerts/webhook", mod + "/fraud"},
	// The search benchmark: queries from records, timed, and a client of
	// the JSON API (its page and error bodies are access's and web's).
	mod + "/internal/searchbench": {mod, mod + "/internal/latency", mod + "/access", mod + "/web", mod + "/matcher", mod + "/internal/yamltree", mod + "/alerts", mod + "/internal/kept", mod + "/layout", mod + "/alerts/webhook", mod + "/fraud"},
	// Output files written whole or not at all: standard library only.
	mod + "/internal/atomicfile": {},
	// Converting the Febrl benchmark into a borough's layout: evaluate
	// parses a Febrl file; the output is written whole.
	mod + "/internal/febrl": {mod, mod + "/evaluate", mod + "/internal/atomicfile"},
	// The binary's HTTP servers (API, metrics): standard library only.
	mod + "/internal/httpserve": {},
	// The store's encryption key as an operator keeps it: standard library only.
	mod + "/internal/keyfile": {},
	// The command line's machinery (flag sets, time flags, profiling):
	// the root's error kinds only.
	mod + "/internal/cli": {mod},
	// The plain configuration and how it becomes each component's
	// options: like cmd, it knows the components it configures.
	mod + "/internal/config": {mod, mod + "/resolver", mod + "/matcher", mod + "/layout", mod + "/internal/ndjson",
		mod + "/connectors/kafka", mod + "/internal/latency", mod + "/connectors/debezium", mod + "/connectors/mapping",
		mod + "/internal/yamltree", mod + "/web", mod + "/access", mod + "/alerts", mod + "/internal/kept", mod + "/alerts/webhook", mod + "/fraud"},
	// The web serves what access decides (DESIGN §2: web → access → store).
	mod + "/web": {mod, mod + "/access", mod + "/matcher", mod + "/internal/yamltree", mod + "/alerts", mod + "/internal/kept", mod + "/layout", mod + "/alerts/webhook", mod + "/fraud"},
}

func TestDependenciesPointInwards(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}{{range .Deps}} {{.}}{{end}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	graph := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		graph[fields[0]] = fields[1:]
	}
	for _, p := range dependencyProblems(graph, allowedDeps) {
		t.Error(p)
	}
}

// dependencyProblems checks every package of a graph (package → all its
// dependencies) against the allowed table: a module package the table
// does not know, a module dependency it does not allow, and any outside
// library in the root.
func dependencyProblems(graph map[string][]string, allowed map[string][]string) []string {
	var out []string
	for _, pkg := range slices.Sorted(maps.Keys(graph)) {
		if strings.HasPrefix(pkg, mod+"/cmd/") {
			continue // the commands wire everything together
		}
		ok, known := allowed[pkg]
		if !known {
			out = append(out, fmt.Sprintf("%s is not in the dependency table (deps_test.go): add it with what it may use", pkg))
			continue
		}
		for _, dep := range graph[pkg] {
			switch {
			case dep == mod || strings.HasPrefix(dep, mod+"/"):
				if !slices.Contains(ok, dep) {
					out = append(out, fmt.Sprintf("%s must not depend on %s", pkg, dep))
				}
			case pkg == mod && !standard(dep):
				out = append(out, fmt.Sprintf("the root package must use the standard library only, not %s", dep))
			}
		}
	}
	return out
}

// standard: the standard library's import paths have no dot in their
// first element.
func standard(pkg string) bool {
	first, _, _ := strings.Cut(pkg, "/")
	return !strings.Contains(first, ".")
}

// TestDependencyCheckCatchesStrangers: the check fails a package it does
// not know, an edge it does not allow, and an outside library in the root.
func TestDependencyCheckCatchesStrangers(t *testing.T) {
	graph := map[string][]string{
		mod + "/ledger":       {mod, mod + "/resolver", mod + "/store"},
		mod + "/matcher":      {mod, mod + "/store", "github.com/antzucaro/matchr"},
		mod:                   {"fmt", "github.com/dgraph-io/badger/v4"},
		mod + "/cmd/tool":     {mod + "/web", mod + "/store"},
		mod + "/access":       {mod, "github.com/coreos/go-oidc/v3/oidc"},
		mod + "/evaluate":     {mod},
		mod + "/resolver":     {mod, mod + "/matcher"},
		mod + "/connectors/x": {},
	}
	got := dependencyProblems(graph, allowedDeps)
	want := []string{
		mod + " must use",
		mod + "/connectors/x is not in the dependency table",
		mod + "/ledger is not in the dependency table",
		mod + "/matcher must not depend on " + mod + "/store",
	}
	if len(got) != len(want) {
		t.Fatalf("problems:\n%s\nwant %d", strings.Join(got, "\n"), len(want))
	}
	for i, w := range want {
		if i == 0 {
			w = "the root package must use the standard library only, not github.com/dgraph-io/badger/v4"
		}
		if !strings.HasPrefix(got[i], w) {
			t.Errorf("problem %d = %q, want it to start %q", i, got[i], w)
		}
	}
}
