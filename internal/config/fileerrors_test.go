package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resindex/resindex/internal/config"
)

// goWords are what a message for an operator must never contain: the
// Go types behind the file.
var goWords = []string{"main.", "config.", "struct", "[]string", "map[", "time.Duration", "!!", "unmarshal"}

// TestConfigErrorsInTheFilesWords: malformed files (wrong kinds of value
// at several depths, unknown and repeated keys, bad durations and enums,
// unknown sources) are refused with FILE:LINE: KEY: and what was wanted,
// never a Go type name.
func TestConfigErrorsInTheFilesWords(t *testing.T) {
	for _, c := range []struct{ name, text, want string }{
		{"list wanted", "engine:\n  trust: housing\n", ":2: engine.trust: want a list of source names, got text \"housing\""},
		{"mapping wanted at the top", "engine: 3\n", ":1: engine: want a mapping of options, got a whole number"},
		{"list item a mapping", "engine:\n  trust:\n    - housing\n    - {a: b}\n", ":4: engine.trust[1]: want a source name, got a mapping"},
		{"number wanted", "data: x\nengine:\n  population: many\n", ":3: engine.population: want a whole number, got text \"many\""},
		{"rate a list", "api:\n  rate_per_second: [1]\n", ":2: api.rate_per_second: want a number, got a list"},
		{"bool wanted", "kafka:\n  tls:\n    enabled: maybe\n", ":3: kafka.tls.enabled: want true or false, got text \"maybe\""},
		{"deep in a list", "kafka:\n  topics:\n    - topic: a\n      source: housing\n    - topic: [b]\n", ":5: kafka.topics[1].topic: want text, got a list"},
		{"webhooks a mapping", "alerts:\n  webhooks: {name: x}\n", ":2: alerts.webhooks: want a list, got a mapping"},
		{"unknown key", "engine:\n  trsut: [housing]\n", ":2: engine.trsut: unknown key (known here: population, trust,"},
		{"unknown top key", "dta: /x\n", ":1: dta: unknown key (known here: data,"},
		{"unknown key in a list item", "alerts:\n  webhooks:\n    - name: a\n      secert_file: s\n", ":4: alerts.webhooks[0].secert_file: unknown key (known here: name, url, secret_file)"},
		{"repeated key", "engine:\n  window: 3\n  window: 4\n", ":3: engine.window: given twice (first at line 2)"},
		{"bad duration", "fraud:\n  refresh_after: hourly\n", ":2: fraud.refresh_after: want a duration (30m, 2h), got text \"hourly\""},
		{"duration without unit", "fraud:\n  refresh_after: 60\n", ":2: fraud.refresh_after: want a duration"},
		{"duration out of range", "data: x\nfraud:\n  refresh_after: 10s\n", ":3: fraud.refresh_after is 10s"},
		{"bad enum", "children:\n  golden_records: sometimes\n", ":2: children.golden_records"},
		{"negative", "engine:\n  window: -1\n", ":2: engine.window is -1"},
		{"bad proxy", "api:\n  trusted_proxies:\n    - 10.0.0.0/8\n    - proxy.local\n", ":4: api.trusted_proxies[1] is \"proxy.local\""},
		{"unknown trust source", "engine:\n  trust:\n    - housing\n    - shcools\n", ":4: engine.trust[1]: unknown source \"shcools\" (known: adult_social_care,"},
		{"unknown topic source", "kafka:\n  topics:\n    - {topic: cdc.x, source: housnig}\n", ":3: kafka.topics[0].source: unknown source \"housnig\""},
		{"topic named for no source", "kafka:\n  topics:\n    - topic: cdc.x\n", ":3: kafka.topics[0].topic: unknown source \"cdc.x\""},
		{"unknown retention source", "retention:\n  sources:\n    librarys: 2y\n", ":3: retention.sources.librarys: no such source (known:"},
		{"not yaml", "data: [unclosed\n", ":1: (file): not valid YAML"},
	} {
		_, err := config.Load(writeConfig(t, c.text))
		if err == nil || !strings.Contains(err.Error(), "resindex.yaml"+c.want) {
			t.Errorf("%s: err = %v\nwant it to contain %q", c.name, err, "resindex.yaml"+c.want)
			continue
		}
		for _, w := range goWords {
			if strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q names Go's %q", c.name, err, w)
			}
		}
	}
}

// TestCouncilSourcesKnown: a source of the council's own mappings may be
// named like a shipped one.
func TestCouncilSourcesKnown(t *testing.T) {
	dir := t.TempDir()
	shipped, err := os.ReadFile(filepath.Join("..", "..", "connectors", "mapping", "shipped", "parking.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	own := strings.Replace(string(shipped), "source: parking", "source: pest_control", 1)
	if err := os.WriteFile(filepath.Join(dir, "pest.yaml"), []byte(own), 0o600); err != nil {
		t.Fatal(err)
	}
	p := writeConfig(t, "mappings: "+dir+"\nengine:\n  trust: [pest_control, housing]\n")
	if _, err := config.Load(p); err != nil {
		t.Fatalf("a council's own source: %v", err)
	}
	known, err := config.KnownSources(dir)
	if err != nil || !strings.Contains(strings.Join(known, ","), "pest_control,") {
		t.Fatalf("known %v, %v", known, err)
	}
}
