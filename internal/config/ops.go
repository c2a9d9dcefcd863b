package config

import (
	"fmt"
	"time"

	"go.yaml.in/yaml/v3"
)

// Audit tunes how serve watches the audit log (docs/configuration.md).
type Audit struct {
	// VerifyEvery is how often serve checks the audit log's hash chain,
	// first as it starts; nil: an hour; 0 turns the checks off
	// (VerifyInterval).
	VerifyEvery *Interval `yaml:"verify_every"`
}

// Readiness tunes what /readyz asks of a server (docs/configuration.md).
type Readiness struct {
	// MaxLag is how many messages the Kafka consumer may have yet to
	// apply and still be ready after serve starts; once it has caught up
	// within it, later lag is reported, not gating (cmd/resindex's
	// readiness). nil: 1000.
	MaxLag *int64 `yaml:"max_lag"`
}

// Defaults of Audit and Readiness.
const (
	DefaultAuditVerifyEvery = time.Hour
	DefaultReadinessMaxLag  = 1000
	minAuditVerifyEvery     = time.Minute
	maxReadinessMaxLag      = 1 << 40
)

// VerifyInterval is how often serve verifies the audit chain: 0 never
// (not even at start).
func (a Audit) VerifyInterval() time.Duration {
	if a.VerifyEvery == nil {
		return DefaultAuditVerifyEvery
	}
	return time.Duration(*a.VerifyEvery)
}

// Interval is a duration as Go writes one ("1h", "15m"), or a bare 0 for
// none.
type Interval time.Duration

// UnmarshalYAML reads a duration, or 0.
func (i *Interval) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode && n.Value == "0" {
		*i = 0
		return nil
	}
	d, err := time.ParseDuration(n.Value)
	if n.Kind != yaml.ScalarNode || err != nil {
		// In the library's own words, so that the file's error names the
		// key and line like any other (fileerrors.go).
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: cannot unmarshal %s `%s` into time.Duration", n.Line, n.ShortTag(), n.Value)}}
	}
	*i = Interval(d)
	return nil
}

// Lag is the consumer lag, in messages, up to which a server is ready.
func (r Readiness) Lag() int64 {
	if r.MaxLag == nil {
		return DefaultReadinessMaxLag
	}
	return *r.MaxLag
}

// validateOps refuses audit and readiness settings that cannot work.
func (c *Config) validateOps() error {
	if v := c.Audit.VerifyEvery; v != nil && (*v < 0 || *v > 0 && time.Duration(*v) < minAuditVerifyEvery) {
		return fmt.Errorf("audit.verify_every is %v: want a duration of at least 1m, e.g. 1h, or 0 to turn the checks off (or leave it out for the default, 1h)", time.Duration(*v))
	}
	if l := c.Readiness.MaxLag; l != nil && (*l < 0 || *l > maxReadinessMaxLag) {
		return fmt.Errorf("readiness.max_lag is %d: want a number of messages from 0 up (or leave it out for the default, 1000)", *l)
	}
	return nil
}
