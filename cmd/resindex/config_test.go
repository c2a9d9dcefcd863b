package main

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/resindex/resindex/connectors/mapping"
	"github.com/resindex/resindex/internal/cli"
	"github.com/resindex/resindex/internal/config"
)

func writeConfig(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "resindex.yaml")
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Flags override the file; what flags leave unset comes from it.
func TestConfigFlagsOverride(t *testing.T) {
	p := writeConfig(t, "data: /from/file\nkey_file: /file/key\nmodel: /file/model.json\nengine:\n  trust: [schools]\n")
	fs := cli.NewFlags(os.Stderr, "t", "")
	cf := addConfigFlags(fs, true)
	m, err := cf.parseMain(fs, []string{"--config", p, "--data", "/from/flag"})
	if err != nil {
		t.Fatal(err)
	}
	c := m.Config
	if c.Data != "/from/flag" || c.KeyFile != "/file/key" || c.Model != "/file/model.json" {
		t.Errorf("resolved data %q key %q model %q", c.Data, c.KeyFile, c.Model)
	}
	if !slices.Equal(c.EngineOptions().Trust, []string{"schools"}) {
		t.Errorf("trust: %v", c.EngineOptions().Trust)
	}
}

// Topics named on the command line keep the shape the file gives them.
func TestKafkaFlagsOverFile(t *testing.T) {
	c := &config.Config{Kafka: config.Kafka{Topics: []config.Topic{{Topic: "libraries", Shape: "flattened"}, {Topic: "parking"}}}}
	f := &kafkaFlags{brokers: "k1:9092,k2:9092", topics: "libraries,cdc.permits=parking", group: "g", changes: "none"}
	f.apply(c)
	k := c.Kafka
	want := []config.Topic{{Topic: "libraries", Shape: "flattened"}, {Topic: "cdc.permits", Source: "parking"}}
	if len(k.Brokers) != 2 || k.GroupID != "g" || k.ChangesTopic != "none" || len(k.Topics) != 2 || k.Topics[0] != want[0] || k.Topics[1] != want[1] {
		t.Fatalf("got %+v", k)
	}
	set, err := mapping.ShippedWith("")
	if err != nil {
		t.Fatal(err)
	}
	all := config.Kafka{Topics: []config.Topic{{Topic: "all"}}, TopicPrefix: "cdc."}
	decoders, err := all.Decoders(set)
	if err != nil || len(decoders) != 10 || decoders["cdc.council_tax"] == nil {
		t.Fatalf("all with a prefix: %d decoders, %v", len(decoders), err)
	}
}

// --notices-per-source, when given, overrides kafka.notices_per_source
// either way; not given, the file's setting stands.
func TestNoticesPerSourceFlag(t *testing.T) {
	for _, c := range []struct {
		file bool
		args []string
		want bool
	}{
		{false, nil, false},
		{true, nil, true},
		{false, []string{"--notices-per-source"}, true},
		{true, []string{"--notices-per-source=false"}, false},
	} {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		f := addKafkaFlags(fs)
		if err := fs.Parse(c.args); err != nil {
			t.Fatal(err)
		}
		cfg := &config.Config{Kafka: config.Kafka{NoticesPerSource: c.file}}
		f.apply(cfg)
		if cfg.Kafka.NoticesPerSource != c.want {
			t.Errorf("file %v, flags %q: per source %v; want %v", c.file, c.args, cfg.Kafka.NoticesPerSource, c.want)
		}
	}
}
