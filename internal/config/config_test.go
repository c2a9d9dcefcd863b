package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex/alerts/webhook"
	"github.com/resindex/resindex/connectors/mapping"
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

// The shipped example is a valid configuration and means what it says.
func TestConfigExample(t *testing.T) {
	c, err := config.Load(filepath.Join("..", "..", "docs", "resindex.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	opts := c.EngineOptions()
	if c.Data != "/var/lib/resindex" || opts.Population != 250000 || opts.ActivityWindow != 730*24*time.Hour ||
		opts.MaxBlock != 80 || opts.Window != 20 || len(opts.Trust) != 10 || opts.Trust[0] != "electoral_roll" {
		t.Errorf("example config read as %+v / %+v", c, opts)
	}
	set, err := mapping.ShippedWith("")
	if err != nil {
		t.Fatal(err)
	}
	decoders, err := c.Kafka.Decoders(set)
	if err != nil || len(decoders) != 10 {
		t.Errorf("example kafka topics: %d decoders, %v", len(decoders), err)
	}
	if k := c.Kafka; len(k.Brokers) != 2 || !k.TLS.Enabled || k.SASL.Mechanism != "scram-sha-512" || k.SASL.PasswordFile != "/etc/resindex/kafka-password" {
		t.Errorf("example kafka settings read as %+v", k)
	}
	if c.Fraud.RefreshAfter != time.Hour {
		t.Errorf("example fraud.refresh_after read as %v", c.Fraud.RefreshAfter)
	}
	if c.HTTPAddr != "127.0.0.1:8080" || c.API.RatePerSecond != 20 || c.API.Burst != 40 || c.OIDC.ClientID != "resindex" ||
		c.OIDC.RoleClaim != "roles" || c.OIDC.ClientSecretFile != "/etc/resindex/oidc-client-secret" {
		t.Errorf("example API settings read as %+v / %+v / %+v", c.HTTPAddr, c.API, c.OIDC)
	}
}

// Kafka settings that cannot work are refused before anything connects.
func TestKafkaConfigErrors(t *testing.T) {
	set, err := mapping.ShippedWith("")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		k    config.Kafka
		want string
	}{
		{"no topics", config.Kafka{}, "no topics"},
		{"unknown source", config.Kafka{Topics: []config.Topic{{Topic: "t", Source: "pensions"}}}, "no mapping for source"},
		{"topic twice", config.Kafka{Topics: []config.Topic{{Topic: "parking"}, {Topic: "parking"}}}, "listed twice"},
		{"bad shape", config.Kafka{Topics: []config.Topic{{Topic: "parking", Shape: "avro"}}}, "unknown event shape"},
		{"empty topic", config.Kafka{Topics: []config.Topic{{Source: "parking"}}}, "topic is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.k.Decoders(set); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
	for _, tc := range []struct {
		name string
		k    config.Kafka
		want string
	}{
		{"no brokers", config.Kafka{}, "no Kafka brokers"},
		{"broker without port", config.Kafka{Brokers: []string{"kafka1"}}, "host:port"},
		{"bad mechanism", config.Kafka{Brokers: []string{"k:9092"}, SASL: config.SASL{Mechanism: "kerberos"}}, "SASL mechanism"},
		{"missing password file", config.Kafka{Brokers: []string{"k:9092"}, SASL: config.SASL{Mechanism: "plain", PasswordFile: "/nonexistent"}}, "password_file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := tc.k.Connection(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

// fraud.refresh_after is a duration as Go writes one; left out, it is
// zero, which the fraud cache takes as its default (an hour).
func TestFraudRefreshAfter(t *testing.T) {
	for text, want := range map[string]time.Duration{"fraud:\n  refresh_after: 30m\n": 30 * time.Minute, "data: x\n": 0} {
		c, err := config.Load(writeConfig(t, text))
		if err != nil || c.Fraud.RefreshAfter != want {
			t.Errorf("%q: %v, %v; want %v", text, c.Fraud.RefreshAfter, err, want)
		}
	}
}

func TestConfigRelativePaths(t *testing.T) {
	p := writeConfig(t, "data: store\nkey_file: /abs/key\nmodel: m/model.json\n")
	c, err := config.Load(p)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(p)
	if c.Data != filepath.Join(dir, "store") || c.KeyFile != "/abs/key" || c.Model != filepath.Join(dir, "m/model.json") {
		t.Errorf("paths: %+v", c)
	}
}

func TestConfigMalformed(t *testing.T) {
	cases := []struct{ name, text, want string }{
		{"unknown key", "data: x\nengine:\n  trsut: [a]\n", "resindex.yaml:3: engine.trsut: unknown key"},
		{"wrong type", "engine:\n  population: many\n", "resindex.yaml:2: engine.population: want a whole number"},
		{"negative", "engine:\n  window: -1\n", "engine.window is -1"},
		{"window past a century", "engine:\n  activity_window_days: 200000\n", "at most 36525"},
		{"duplicate source", "engine:\n  trust: [housing, schools, housing]\n", `engine.trust[2]: source "housing" is listed twice`},
		{"empty source", "engine:\n  trust: [housing, '']\n", "engine.trust[1] is empty"},
		{"not yaml", "data: [unclosed\n", "config"},
		{"list at top", "- a\n- b\n", "config"},
		{"negative rate", "api:\n  rate_per_second: -1\n", "api.rate_per_second"},
		{"oidc issuer alone", "oidc:\n  issuer: https://idp.example\n", "oidc: give both issuer and client_id"},
		{"oidc client alone", "oidc:\n  client_id: resindex\n", "oidc: give both issuer and client_id"},
		{"oidc unknown key", "oidc:\n  isuer: x\n", "resindex.yaml:2: oidc.isuer: unknown key"},
		{"fraud refresh not a duration", "fraud:\n  refresh_after: hourly\n", "resindex.yaml:2: fraud.refresh_after: want a duration"},
		{"fraud refresh without a unit", "fraud:\n  refresh_after: 3600\n", "resindex.yaml:2: fraud.refresh_after: want a duration"},
		{"fraud refresh negative", "fraud:\n  refresh_after: -1h\n", "fraud.refresh_after is -1h0m0s"},
		{"fraud refresh too often", "fraud:\n  refresh_after: 10s\n", "fraud.refresh_after is 10s"},
		{"fraud refresh too seldom", "fraud:\n  refresh_after: 400h\n", "fraud.refresh_after"},
	}
	for _, c := range cases {
		_, err := config.Load(writeConfig(t, c.text))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to mention %q", c.name, err, c.want)
		}
	}
	if _, err := config.Load(filepath.Join(t.TempDir(), "absent.yaml")); err == nil {
		t.Error("a missing config file was accepted")
	}
}

// FuzzLoadConfig: any file gives a config or an error, never a panic.
func FuzzLoadConfig(f *testing.F) {
	example, _ := os.ReadFile(filepath.Join("..", "..", "docs", "resindex.example.yaml"))
	f.Add(example)
	f.Add([]byte("engine:\n  trust: [a, a]\n"))
	f.Add([]byte("data: &a [*a]\n"))
	f.Add([]byte("engine:\n  trust: x\n  window: [1]\nkafka: {topics: [{topic: 1, sorce: x}]}\n"))
	f.Add([]byte("fraud: {refresh_after: 5}\napi: {trusted_proxies: {a: b}}\n"))
	f.Add([]byte("0!!")) // the file's own "!!" quoted back is not Go's
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "c.yaml")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := config.Load(p)
		if err == nil && c.Validate() != nil {
			t.Fatal("loadConfig accepted a config that does not validate")
		}
		for _, w := range goWords {
			// The file's own text, quoted back, may hold the word.
			if err != nil && strings.Contains(err.Error(), w) && !strings.Contains(string(data), w) {
				t.Fatalf("%q names Go's %q", err, w)
			}
		}
	})
}

// TestWebhookEndpoints: a webhook's secret comes from its file, relative
// to the configuration; a missing file, a short secret, a bad URL or a
// name used twice is refused, naming the webhook.
func TestWebhookEndpoints(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "sc.secret"), []byte("0123456789abcdef0123\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "short.secret"), []byte("short"), 0o600)
	cases := []struct {
		name, yaml, err string
	}{
		{"good", "alerts:\n  webhooks:\n    - {name: social-care, url: https://mash.example.gov.uk/hook, secret_file: sc.secret}\n", ""},
		{"no secret file", "alerts:\n  webhooks:\n    - {name: social-care, url: https://x.example/h}\n", "secret_file is missing"},
		{"secret file missing", "alerts:\n  webhooks:\n    - {name: social-care, url: https://x.example/h, secret_file: nowhere}\n", "secret_file"},
		{"short secret", "alerts:\n  webhooks:\n    - {name: social-care, url: https://x.example/h, secret_file: short.secret}\n", "secret"},
		{"bad url", "alerts:\n  webhooks:\n    - {name: social-care, url: 'ftp://x', secret_file: sc.secret}\n", "url"},
		{"name twice", "alerts:\n  webhooks:\n    - {name: a, url: https://x.example/h, secret_file: sc.secret}\n    - {name: a, url: https://y.example/h, secret_file: sc.secret}\n", "used twice"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, "c.yaml")
			if err := os.WriteFile(p, []byte(c.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			cfg, err := config.Load(p)
			var eps []webhook.Endpoint
			if err == nil {
				eps, err = cfg.WebhookEndpoints()
			}
			switch {
			case c.err == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.err == "":
				if len(eps) != 1 || string(eps[0].Secret) != "0123456789abcdef0123" || cfg.AlertOptions().Endpoints[0] != "social-care" {
					t.Fatalf("endpoints %+v", eps)
				}
			case err == nil || !strings.Contains(err.Error(), c.err):
				t.Fatalf("error %v; want one saying %q", err, c.err)
			case strings.Contains(err.Error(), "0123456789abcdef"):
				t.Fatalf("the error shows the secret: %v", err)
			}
		})
	}
}

// kafka.notices_per_source is read; left out, it is false.
func TestNoticesPerSource(t *testing.T) {
	for text, want := range map[string]bool{"kafka:\n  notices_per_source: true\n": true, "kafka:\n  notices_topic: n\n": false} {
		c, err := config.Load(writeConfig(t, text))
		if err != nil || c.Kafka.NoticesPerSource != want {
			t.Errorf("%q: %v, %v; want %v", text, c != nil && c.Kafka.NoticesPerSource, err, want)
		}
	}
}
