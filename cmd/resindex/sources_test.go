package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeFile writes a test file and returns its path.
func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestUnknownSourcesRefused: a source name no mapping has is refused in
// the configuration (engine.trust, kafka.topics, retention.sources), in
// a policy's role sources and in the source flags, naming where and the
// sources there are; a council's own mapping's source is known.
func TestUnknownSourcesRefused(t *testing.T) {
	dir := t.TempDir()
	pol := writeFile(t, dir, "policy.yaml", "roles:\n  clerk:\n    sources:\n      - housing\n      - housnig\n    adult: [name]\n")
	trust := writeFile(t, dir, "trust.yaml", "engine:\n  trust: [council_tax, shcools]\n")
	topics := writeFile(t, dir, "topics.yaml", "kafka:\n  topics:\n    - {topic: cdc.x, source: libary}\n")
	const known = "(known: adult_social_care, children_social_care, contact_centre, council_tax, electoral_roll, housing, housing_benefit, libraries, parking, schools)"
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"policy", "check", "--policy", pol}, 1, pol + ":5: roles.clerk.sources: unknown source \"housnig\" " + known},
		{[]string{"policy", "check", "--config", trust}, 1, trust + ":2: engine.trust[1]: unknown source \"shcools\" " + known},
		{[]string{"token", "list", "--config", topics, "--data", dir}, 1, topics + ":3: kafka.topics[0].source: unknown source \"libary\""},
		{[]string{"notices", "--data", dir, "--source", "counciltax"}, 2, "--source: unknown source \"counciltax\" " + known},
		{[]string{"rectify", "--data", dir, "--person", "P0000000001", "--field", "dob", "--dob", "1980-01-01", "--reason", "r",
			"--reported-via", "contactcentre"}, 2, "--reported-via: unknown source \"contactcentre\""},
	} {
		_, errs, code := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("resindex %s: exit %d, %q; want %d and %q", strings.Join(c.args, " "), code, errs, c.code, c.want)
		}
	}
	// The council's own source is known to the policy and the configuration.
	own, err := os.ReadFile(filepath.Join("..", "..", "connectors", "mapping", "shipped", "parking.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	maps := filepath.Join(dir, "mappings")
	if err := os.Mkdir(maps, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, maps, "pest.yaml", strings.Replace(string(own), "source: parking", "source: pest_control", 1))
	pol2 := writeFile(t, dir, "policy2.yaml", "roles:\n  clerk:\n    sources: [pest_control]\n    adult: [name]\n")
	cfg := writeFile(t, dir, "own.yaml", "mappings: mappings\npolicy: policy2.yaml\nengine:\n  trust: [pest_control]\n")
	if _, errs, code := runCLI(t, "policy", "check", "--config", cfg); code != 0 {
		t.Fatalf("a council's own source: exit %d, %s", code, errs)
	}
	if _, errs, code := runCLI(t, "policy", "check", "--policy", pol2); code != 1 || !strings.Contains(errs, "unknown source \"pest_control\"") {
		t.Fatalf("without the council's mappings: exit %d, %s", code, errs)
	}
}
