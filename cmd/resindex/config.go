package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/resindex/resindex/resolver"
)

// Config is resindex's configuration: what a council sets once for its
// deployment in the configuration file (--config FILE, YAML), with what a
// command's flags give over it. Components never see flags, only this.
// Every option is documented in docs/configuration.md.
type Config struct {
	// Data, KeyFile and Model are paths; relative ones are taken from the
	// configuration file's directory.
	Data    string       `yaml:"data"`
	KeyFile string       `yaml:"key_file"`
	Model   string       `yaml:"model"`
	Engine  engineConfig `yaml:"engine"`
	// Mappings is a directory of the council's own source mappings
	// (YAML), added to the shipped ones; one for a shipped source
	// replaces it.
	Mappings string      `yaml:"mappings"`
	Kafka    kafkaConfig `yaml:"kafka"`
	// Policy is the access policy (YAML); default the shipped one.
	Policy string `yaml:"policy"`
	// MetricsAddr is where serve offers Prometheus metrics (/metrics).
	MetricsAddr string `yaml:"metrics_addr"`
	// HTTPAddr is where serve offers the JSON API (/api/v1/).
	HTTPAddr string     `yaml:"http_addr"`
	API      apiConfig  `yaml:"api"`
	OIDC     oidcConfig `yaml:"oidc"`
}

// kafkaConfig is what serve needs to reach Kafka.
type kafkaConfig struct {
	Brokers  []string `yaml:"brokers"`
	ClientID string   `yaml:"client_id"`
	GroupID  string   `yaml:"group_id"`
	// Topics to read; a topic names its source and its events' shape.
	// The one topic "all" stands for every mapped source, its topic
	// named TopicPrefix + the source.
	Topics      []topicConfig `yaml:"topics"`
	TopicPrefix string        `yaml:"topic_prefix"`
	// DeadLetterSuffix names each topic's dead-letter topic (".DLT").
	DeadLetterSuffix string `yaml:"dead_letter_suffix"`
	// ChangesTopic receives the person change feed; "none" turns it off.
	ChangesTopic string     `yaml:"changes_topic"`
	TLS          tlsConfig  `yaml:"tls"`
	SASL         saslConfig `yaml:"sasl"`
}

type saslConfig struct {
	Mechanism string `yaml:"mechanism"`
	Username  string `yaml:"username"`
	// PasswordFile holds the password; RESINDEX_KAFKA_PASSWORD in the
	// environment does instead. Never the configuration file itself.
	PasswordFile string `yaml:"password_file"`
}

type topicConfig struct {
	Topic  string `yaml:"topic"`
	Source string `yaml:"source"` // default: the topic's name
	Shape  string `yaml:"shape"`  // envelope (default) or flattened
}

type tlsConfig struct {
	Enabled            bool   `yaml:"enabled"`
	CAFile             string `yaml:"ca_file"`
	CertFile           string `yaml:"cert_file"`
	KeyFile            string `yaml:"key_file"`
	InsecureSkipVerify bool   `yaml:"insecure_skip_verify"`
}

type engineConfig struct {
	// Population the prior is reckoned for, fixed when a store is built.
	Population int `yaml:"population"`
	// Trust orders sources for the golden record, most trusted first.
	Trust []string `yaml:"trust"`
	// ActivityWindowDays: records active this recently count as evidence
	// of where someone lives now.
	ActivityWindowDays int `yaml:"activity_window_days"`
	// MaxBlock and Window: blocks larger than MaxBlock are windowed to
	// each record's Window nearest neighbours.
	MaxBlock int `yaml:"max_block"`
	Window   int `yaml:"window"`
}

// loadConfig reads and checks a configuration file. Unknown keys are
// refused, so a misspelt option is not silently ignored.
func loadConfig(path string) (*Config, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	dir := filepath.Dir(path)
	for _, p := range []*string{&c.Data, &c.KeyFile, &c.Model, &c.Mappings, &c.Policy, &c.Kafka.TLS.CAFile, &c.Kafka.TLS.CertFile,
		&c.Kafka.TLS.KeyFile, &c.Kafka.SASL.PasswordFile, &c.OIDC.ClientSecretFile} {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
	return &c, nil
}

func (c *Config) validate() error {
	e := &c.Engine
	for _, f := range []struct {
		name string
		v    int
	}{
		{"engine.population", e.Population}, {"engine.activity_window_days", e.ActivityWindowDays},
		{"engine.max_block", e.MaxBlock}, {"engine.window", e.Window},
	} {
		if f.v < 0 {
			return fmt.Errorf("%s is %d: want a positive number (or leave it out for the default)", f.name, f.v)
		}
	}
	if c.API.RatePerSecond < 0 || c.API.Burst < 0 {
		return fmt.Errorf("api.rate_per_second and api.burst: want positive numbers (or leave them out for the defaults)")
	}
	if (c.OIDC.Issuer == "") != (c.OIDC.ClientID == "") {
		return fmt.Errorf("oidc: give both issuer and client_id, or neither")
	}
	if e.ActivityWindowDays > 36525 {
		return fmt.Errorf("engine.activity_window_days is %d: want at most 36525 (a hundred years)", e.ActivityWindowDays)
	}
	seen := map[string]bool{}
	for i, src := range e.Trust {
		switch {
		case src == "":
			return fmt.Errorf("engine.trust[%d] is empty: want a source name", i)
		case seen[src]:
			return fmt.Errorf("engine.trust[%d]: source %q is listed twice", i, src)
		}
		seen[src] = true
	}
	return nil
}

// engineOptions turns the file's engine settings into the engine's
// options (zero values: the engine's defaults).
func (c *Config) engineOptions() resolver.EngineOptions {
	return resolver.EngineOptions{
		Population:     c.Engine.Population,
		Trust:          c.Engine.Trust,
		ActivityWindow: c.activityWindow(),
		MaxBlock:       c.Engine.MaxBlock,
		Window:         c.Engine.Window,
	}
}

// activityWindow is engine.activity_window_days as a duration.
func (c *Config) activityWindow() time.Duration {
	return time.Duration(c.Engine.ActivityWindowDays) * 24 * time.Hour
}
