package config

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/resolver"
)

// Children is the children's golden record policy (docs/configuration.md).
type Children struct {
	// GoldenRecords: consent (the default for a new store: none for a
	// person under 18 without recorded consent) or always. A store keeps
	// the policy it was built with; left out, the store's is used.
	GoldenRecords string `yaml:"golden_records"`
}

// Retention is how long records are kept after their last activity, and
// how often serve purges those past it (docs/rights-retention.md).
type Retention struct {
	// Every is how often serve purges (a duration, default 24h; "off":
	// never, for a store that is only read).
	Every string `yaml:"every"`
	// Sources are per-source periods (SOURCE: DURATION, e.g. 2y, 400d,
	// 8760h); a source not listed keeps its records for the activity
	// window (engine.activity_window_days, default two years).
	Sources map[string]string `yaml:"sources"`
}

// validateRights checks the children's policy and the retention settings.
func (c *Config) validateRights() error {
	if _, err := resolver.ParseChildrenGolden(c.Children.GoldenRecords); err != nil {
		return err
	}
	if _, err := c.RetentionEvery(); err != nil {
		return err
	}
	for _, src := range sortedNames(c.Retention.Sources) {
		if src == "" {
			return fmt.Errorf("retention.sources: an empty source name: %w", resindex.ErrInvalid)
		}
		if _, err := ParsePeriod(c.Retention.Sources[src]); err != nil {
			return fmt.Errorf("retention.sources.%s: %w", src, err)
		}
		// A council's own mappings may add sources: those are checked
		// against the mappings when the options are made.
		if c.Mappings == "" && !slices.Contains(resindex.Sources, src) {
			return fmt.Errorf("retention.sources.%s: no such source (known: %s): %w", src, strings.Join(resindex.Sources, ", "), resindex.ErrInvalid)
		}
	}
	return nil
}

// RetentionEvery is retention.every: 0 for off.
func (c *Config) RetentionEvery() (time.Duration, error) {
	switch c.Retention.Every {
	case "":
		return 24 * time.Hour, nil
	case "off":
		return 0, nil
	}
	d, err := ParsePeriod(c.Retention.Every)
	if err == nil && d < time.Minute {
		err = fmt.Errorf("%s is under a minute", c.Retention.Every)
	}
	if err != nil {
		return 0, fmt.Errorf("retention.every: %w (want e.g. 24h or 1d, or off)", err)
	}
	return d, nil
}

// RetentionOptions turns the retention settings into the purge's options,
// refusing a source that none of known (the mapped sources) names.
func (c *Config) RetentionOptions(known []string) (resolver.RetentionOptions, error) {
	o := resolver.RetentionOptions{Default: c.ActivityWindow(), Periods: map[string]time.Duration{}}
	for _, src := range sortedNames(c.Retention.Sources) {
		if !slices.Contains(known, src) {
			return o, fmt.Errorf("retention.sources.%s: no such source (known: %s): %w", src, strings.Join(known, ", "), resindex.ErrInvalid)
		}
		d, err := ParsePeriod(c.Retention.Sources[src])
		if err != nil {
			return o, fmt.Errorf("retention.sources.%s: %w", src, err)
		}
		o.Periods[src] = d
	}
	return o, nil
}

func sortedNames(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// maxPeriod bounds a retention period: a hundred years.
const maxPeriod = 36525 * 24 * time.Hour

// ParsePeriod reads a retention period: a whole number of days (400d),
// weeks (104w) or 365-day years (2y), or a Go duration (8760h). It must
// be positive and at most a hundred years.
func ParsePeriod(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	d, err := parsePeriod(s)
	switch {
	case err != nil:
		return 0, fmt.Errorf("period %q: want e.g. 2y, 400d, 104w or 8760h: %w", s, resindex.ErrInvalid)
	case d <= 0 || d > maxPeriod:
		return 0, fmt.Errorf("period %q: want more than nothing and at most a hundred years: %w", s, resindex.ErrInvalid)
	}
	return d, nil
}

// periodUnits are the units a period may have besides Go's.
var periodUnits = map[byte]time.Duration{'d': 24 * time.Hour, 'w': 7 * 24 * time.Hour, 'y': 365 * 24 * time.Hour}

func parsePeriod(s string) (time.Duration, error) {
	if len(s) > 1 {
		if u, ok := periodUnits[s[len(s)-1]]; ok {
			return wholeUnits(s[:len(s)-1], u)
		}
	}
	return time.ParseDuration(s)
}

// wholeUnits reads a whole number of units, bounded so that it cannot
// overflow.
func wholeUnits(n string, unit time.Duration) (time.Duration, error) {
	v, err := strconv.ParseUint(n, 10, 32)
	if err != nil {
		return 0, err
	}
	if time.Duration(v) > maxPeriod/unit+1 {
		return 0, errors.New("too long")
	}
	return time.Duration(v) * unit, nil
}
