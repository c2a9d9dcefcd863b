package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/alerts"
	"github.com/resindex/resindex/alerts/webhook"
	"github.com/resindex/resindex/connectors/debezium"
	"github.com/resindex/resindex/connectors/kafka"
	"github.com/resindex/resindex/connectors/mapping"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/web"
)

// Config is resindex's configuration: what a council sets once for its
// deployment in the configuration file (--config FILE, YAML), with what a
// command's flags give over it. Components never see flags, only this.
// Every option is documented in docs/configuration.md.
type Config struct {
	// Data, KeyFile and Model are paths; relative ones are taken from the
	// configuration file's directory.
	Data    string `yaml:"data"`
	KeyFile string `yaml:"key_file"`
	Model   string `yaml:"model"`
	Engine  Engine `yaml:"engine"`
	// Mappings is a directory of the council's own source mappings
	// (YAML), added to the shipped ones; one for a shipped source
	// replaces it.
	Mappings string `yaml:"mappings"`
	Kafka    Kafka  `yaml:"kafka"`
	// Policy is the access policy (YAML); default the shipped one.
	Policy string `yaml:"policy"`
	// MetricsAddr is where serve offers Prometheus metrics (/metrics).
	MetricsAddr string `yaml:"metrics_addr"`
	// HTTPAddr is where serve offers the JSON API (/api/v1/).
	HTTPAddr string `yaml:"http_addr"`
	API      API    `yaml:"api"`
	OIDC     OIDC   `yaml:"oidc"`
	Alerts   Alerts `yaml:"alerts"`
	Fraud    Fraud  `yaml:"fraud"`
	Rights   Rights `yaml:"rights"`
	// Children and Retention: residents' rights (rights_children.go).
	Children  Children  `yaml:"children"`
	Retention Retention `yaml:"retention"`
	// AdminSocket is serve's admin socket (default DIR/admin.sock; "off"
	// for none); Backup its scheduled backups (backup.go).
	AdminSocket string `yaml:"admin_socket"`
	Backup      Backup `yaml:"backup"`
	// Replication: a writer serving read replicas, or a replica (replication.go).
	Replication Replication `yaml:"replication"`
	// Audit and Readiness: running a server (ops.go).
	Audit     Audit     `yaml:"audit"`
	Readiness Readiness `yaml:"readiness"`
}

// Fraud tunes the fraud checks as a server runs them (docs/configuration.md).
type Fraud struct {
	// RefreshAfter is how old the findings may be before the next look at
	// them runs the checks again, in the background (default an hour).
	RefreshAfter time.Duration `yaml:"refresh_after"`
}

// Alerts tunes the safeguarding rule (docs/configuration.md).
type Alerts struct {
	// ReturnWindowDays: a person back in a household within this many
	// days of leaving is no new arrival (default 90).
	ReturnWindowDays int `yaml:"return_window_days"`
	// StaleAfterDays: evidence of a move older than this is old news
	// (default 365).
	StaleAfterDays int `yaml:"stale_after_days"`
	// Webhooks receive each alert, signed; serve delivers to them.
	Webhooks []Webhook `yaml:"webhooks"`
	// MaxAttempts before a webhook delivery is a dead letter (default 8).
	MaxAttempts int `yaml:"max_attempts"`
}

// Webhook is one receiver of alerts. The signing secret is read from a
// file, never written in the configuration.
type Webhook struct {
	Name       string `yaml:"name"`
	URL        string `yaml:"url"`
	SecretFile string `yaml:"secret_file"`
}

// WebhookEndpoints reads each webhook's secret and checks it.
func (c *Config) WebhookEndpoints() ([]webhook.Endpoint, error) {
	var out []webhook.Endpoint
	for i, w := range c.Alerts.Webhooks {
		if w.SecretFile == "" {
			return nil, fmt.Errorf("alerts.webhooks[%d] (%s): secret_file is missing", i, w.Name)
		}
		secret, err := os.ReadFile(w.SecretFile)
		if err != nil {
			return nil, fmt.Errorf("alerts.webhooks[%d] (%s): secret_file: %w", i, w.Name, err)
		}
		e := webhook.Endpoint{Name: w.Name, URL: w.URL, Secret: bytes.TrimSpace(secret)}
		if err := e.Validate(); err != nil {
			return nil, fmt.Errorf("alerts.webhooks[%d]: %w", i, err)
		}
		out = append(out, e)
	}
	return out, nil
}

// Kafka is what serve needs to reach Kafka.
type Kafka struct {
	Brokers  []string `yaml:"brokers"`
	ClientID string   `yaml:"client_id"`
	GroupID  string   `yaml:"group_id"`
	// Topics to read; a topic names its source and its events' shape.
	// The one topic "all" stands for every mapped source, its topic
	// named TopicPrefix + the source.
	Topics      []Topic `yaml:"topics"`
	TopicPrefix string  `yaml:"topic_prefix"`
	// DeadLetterSuffix names each topic's dead-letter topic (".DLT").
	DeadLetterSuffix string `yaml:"dead_letter_suffix"`
	// ChangesTopic receives the person change feed; "none" turns it off.
	ChangesTopic string `yaml:"changes_topic"`
	// AlertsTopic receives safeguarding alerts as they are raised; "none"
	// turns it off.
	AlertsTopic string `yaml:"alerts_topic"`
	TLS         TLS    `yaml:"tls"`
	SASL        SASL   `yaml:"sasl"`

	// NoticesTopic receives rectification notices, one message for each
	// source a notice is for, keyed by the source; "none" turns it off.
	NoticesTopic string `yaml:"notices_topic"`
	// NoticesPerSource publishes each source's notices to a topic of its
	// own, NoticesTopic + "." + the source, so that Kafka's ACLs (per
	// topic) let each source system read only its own.
	NoticesPerSource bool `yaml:"notices_per_source"`
}

// SASL authenticates to the Kafka cluster.
type SASL struct {
	Mechanism string `yaml:"mechanism"`
	Username  string `yaml:"username"`
	// PasswordFile holds the password; RESINDEX_KAFKA_PASSWORD in the
	// environment does instead. Never the configuration file itself.
	PasswordFile string `yaml:"password_file"`
}

// Topic is one topic to read.
type Topic struct {
	Topic  string `yaml:"topic"`
	Source string `yaml:"source"` // default: the topic's name
	Shape  string `yaml:"shape"`  // envelope (default) or flattened
}

// TLS encrypts the connection to the Kafka cluster.
type TLS struct {
	Enabled            bool   `yaml:"enabled"`
	CAFile             string `yaml:"ca_file"`
	CertFile           string `yaml:"cert_file"`
	KeyFile            string `yaml:"key_file"`
	InsecureSkipVerify bool   `yaml:"insecure_skip_verify"`
}

// Engine tunes the incremental engine.
type Engine struct {
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

// Load reads and checks a configuration file. Unknown keys are refused,
// so a misspelt option is not silently ignored; relative paths are taken
// from the file's directory.
func Load(path string) (*Config, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	var c Config
	var root yaml.Node // for the lines errors name
	if err := yaml.Unmarshal(raw, &root); err != nil {
		return nil, decodeError(path, &root, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return nil, decodeError(path, &root, err)
	}
	if err := c.Validate(); err != nil {
		return nil, checkError(path, &root, err)
	}
	dir := filepath.Dir(path)
	paths := []*string{&c.Data, &c.KeyFile, &c.Model, &c.Mappings, &c.Policy, &c.Kafka.TLS.CAFile, &c.Kafka.TLS.CertFile,
		&c.Kafka.TLS.KeyFile, &c.Kafka.SASL.PasswordFile, &c.OIDC.ClientSecretFile}
	paths = append(paths, &c.Rights.PseudonymKeyFile, &c.Backup.Dir, &c.Replication.SecretFile)
	if c.AdminSocket != "off" {
		paths = append(paths, &c.AdminSocket)
	}
	for i := range c.Alerts.Webhooks {
		paths = append(paths, &c.Alerts.Webhooks[i].SecretFile)
	}
	for _, p := range paths {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(dir, *p)
		}
	}
	if err := c.checkSources(path, &root); err != nil {
		return nil, err
	}
	return &c, nil
}

// Validate refuses settings that cannot work, naming the option.
func (c *Config) Validate() error {
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
	if err := c.Backup.validate(); err != nil {
		return err
	}
	if err := c.Backup.ApartFrom(c.Data); err != nil {
		return err
	}
	if c.API.RatePerSecond < 0 || c.API.Burst < 0 {
		return fmt.Errorf("api.rate_per_second and api.burst: want positive numbers (or leave them out for the defaults)")
	}
	if _, err := c.API.Proxies(); err != nil {
		return err
	}
	if _, err := c.API.ForwardedHeaderName(); err != nil {
		return err
	}
	if (c.OIDC.Issuer == "") != (c.OIDC.ClientID == "") {
		return fmt.Errorf("oidc: give both issuer and client_id, or neither")
	}
	if a := c.Alerts; a.MaxAttempts < 0 || a.MaxAttempts > 100 {
		return fmt.Errorf("alerts.max_attempts is %d: want 0 (the default, 8) to 100", a.MaxAttempts)
	}
	names := map[string]bool{}
	for i, w := range c.Alerts.Webhooks {
		if names[w.Name] {
			return fmt.Errorf("alerts.webhooks[%d]: the name %q is used twice", i, w.Name)
		}
		names[w.Name] = true
	}
	if a := c.Alerts; a.ReturnWindowDays < 0 || a.StaleAfterDays < 0 || a.ReturnWindowDays > 3650 || a.StaleAfterDays > 3650 {
		return fmt.Errorf("alerts: return_window_days and stale_after_days want 0 (the default) to 3650 days")
	}
	if f := c.Fraud.RefreshAfter; f < 0 || (f > 0 && f < time.Minute) || f > 7*24*time.Hour {
		return fmt.Errorf("fraud.refresh_after is %v: want a duration from 1m to 168h, e.g. 1h (or leave it out for the default, 1h)", f)
	}
	if e.ActivityWindowDays > 36525 {
		return fmt.Errorf("engine.activity_window_days is %d: want at most 36525 (a hundred years)", e.ActivityWindowDays)
	}
	if err := c.validateRights(); err != nil {
		return err
	}
	if err := c.validateOps(); err != nil {
		return err
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

// EngineOptions turns the file's engine settings into the engine's
// options (zero values: the engine's defaults).
func (c *Config) EngineOptions() resolver.EngineOptions {
	return resolver.EngineOptions{
		Population:     c.Engine.Population,
		Trust:          c.Engine.Trust,
		ActivityWindow: c.ActivityWindow(),
		MaxBlock:       c.Engine.MaxBlock,
		Window:         c.Engine.Window,
		ChildrenGolden: c.Children.GoldenRecords,
		Watcher:        alerts.NewRule(resolver.InTxn{}, c.AlertOptions()),
	}
}

// AlertOptions turns the file's alert settings into the rule's options.
func (c *Config) AlertOptions() alerts.Options {
	o := alerts.Options{
		ReturnWindow: time.Duration(c.Alerts.ReturnWindowDays) * 24 * time.Hour,
		StaleAfter:   time.Duration(c.Alerts.StaleAfterDays) * 24 * time.Hour,
		Restricted:   access.RestrictedIn, // restricted persons raise no alerts (issue 16)
	}
	for _, w := range c.Alerts.Webhooks {
		o.Endpoints = append(o.Endpoints, w.Name)
	}
	return o
}

// ActivityWindow is engine.activity_window_days as a duration.
func (c *Config) ActivityWindow() time.Duration {
	return time.Duration(c.Engine.ActivityWindowDays) * 24 * time.Hour
}

// API tunes the JSON API.
type API struct {
	// RatePerSecond and Burst limit each signed-in principal's requests.
	RatePerSecond float64 `yaml:"rate_per_second"`
	Burst         int     `yaml:"burst"`
	// TrustedProxies are the reverse proxies (addresses or CIDR ranges)
	// whose X-Forwarded-For or Forwarded header names the client.
	TrustedProxies []string `yaml:"trusted_proxies"`
	// ForwardedHeader is the one header those proxies write:
	// x-forwarded-for (the default) or forwarded (see ForwardedHeaderName).
	ForwardedHeader string `yaml:"forwarded_header"`
}

// OIDC connects staff sign-in to the council's identity provider.
type OIDC struct {
	Issuer   string `yaml:"issuer"`
	ClientID string `yaml:"client_id"`
	// ClientSecretFile holds the client secret; RESINDEX_OIDC_CLIENT_SECRET
	// in the environment does instead. Never the configuration file.
	ClientSecretFile string   `yaml:"client_secret_file"`
	RedirectURL      string   `yaml:"redirect_url"`
	Audience         string   `yaml:"audience"`
	RoleClaim        string   `yaml:"role_claim"`
	UserClaim        string   `yaml:"user_claim"`
	Scopes           []string `yaml:"scopes"`
}

// Web gives web's settings, the client secret from its file or else
// the environment; nil when sign-in by OpenID Connect is not configured.
func (c *OIDC) Web() (*web.OIDCConfig, error) {
	if c.Issuer == "" && c.ClientID == "" {
		return nil, nil
	}
	oc, err := web.OIDCConfig{Issuer: c.Issuer, ClientID: c.ClientID, ClientSecret: os.Getenv("RESINDEX_OIDC_CLIENT_SECRET"), RedirectURL: c.RedirectURL,
		Audience: c.Audience, RoleClaim: c.RoleClaim, UserClaim: c.UserClaim, Scopes: c.Scopes}.WithSecretFile(c.ClientSecretFile)
	return &oc, err
}

// SplitList splits a comma-separated list, dropping empty items.
func SplitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// Decoders makes a decoder per topic (see debezium.Decoders).
func (k *Kafka) Decoders(set mapping.Set) (map[string]kafka.Decoder, error) {
	topics := make([]debezium.Topic, len(k.Topics))
	for i, t := range k.Topics {
		topics[i] = debezium.Topic(t)
	}
	ds, err := debezium.Decoders(set, topics, k.TopicPrefix)
	if errors.Is(err, debezium.ErrNoTopics) {
		return nil, fmt.Errorf("no topics to read: give --topics or kafka.topics: %w", resindex.ErrInvalid)
	}
	if err != nil {
		return nil, fmt.Errorf("kafka.%w", err) // debezium names the place in the list: kafka.topics[i]
	}
	out := make(map[string]kafka.Decoder, len(ds))
	for topic, d := range ds {
		out[topic] = d
	}
	return out, nil
}

// Connection gives the settings to reach the cluster; the SASL password
// comes from its file, else the environment.
func (k *Kafka) Connection() (kafka.Connection, error) {
	c := kafka.Connection{Brokers: k.Brokers, ClientID: k.ClientID, TLS: kafka.TLSOptions(k.TLS),
		SASL: kafka.SASLOptions{Mechanism: k.SASL.Mechanism, Username: k.SASL.Username,
			Password: os.Getenv("RESINDEX_KAFKA_PASSWORD"), PasswordFile: k.SASL.PasswordFile}}
	if len(c.Brokers) == 0 {
		return c, fmt.Errorf("no Kafka brokers: give --brokers or kafka.brokers: %w", resindex.ErrInvalid)
	}
	return c, c.Validate()
}

// SetTopics replaces the topics with a list in the --topics flag's form
// (TOPIC=SOURCE, or a TOPIC named after its source, comma-separated); a
// topic named again keeps the shape the file gives it.
func (k *Kafka) SetTopics(list string) {
	shapes := map[string]string{}
	for _, t := range k.Topics {
		shapes[t.Topic] = t.Shape
	}
	k.Topics = nil
	for _, t := range SplitList(list) {
		topic, source, _ := strings.Cut(t, "=")
		k.Topics = append(k.Topics, Topic{Topic: topic, Source: source, Shape: shapes[topic]})
	}
}
