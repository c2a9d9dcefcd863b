package config_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/internal/config"
	"github.com/resindex/resindex/resolver"
)

func TestChildrenRetentionConfig(t *testing.T) {
	c, err := config.Load(writeConfig(t, `
children:
  golden_records: always
retention:
  every: 12h
  sources:
    libraries: 400d
    parking: 1y
    council_tax: 8760h
`))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.EngineOptions().ChildrenGolden; got != resolver.ChildrenAlways {
		t.Errorf("children.golden_records read as %q", got)
	}
	if every, err := c.RetentionEvery(); every != 12*time.Hour || err != nil {
		t.Errorf("retention.every = %v, %v", every, err)
	}
	o, err := c.RetentionOptions(resindex.Sources)
	day := 24 * time.Hour
	if err != nil || o.Periods["libraries"] != 400*day || o.Periods["parking"] != 365*day || o.Periods["council_tax"] != 365*day || len(o.Periods) != 3 {
		t.Errorf("retention options %+v, %v", o, err)
	}
	if _, err := c.RetentionOptions([]string{"libraries", "parking"}); err == nil || !strings.Contains(err.Error(), "retention.sources.council_tax") {
		t.Errorf("a source the mappings do not know: %v", err)
	}
	c, err = config.Load(writeConfig(t, "retention:\n  every: \"off\"\n"))
	if every, _ := c.RetentionEvery(); err != nil || every != 0 || c.EngineOptions().ChildrenGolden != "" {
		t.Errorf("retention.every off: %v, %v", every, err)
	}
	c, _ = config.Load(writeConfig(t, "data: x\n"))
	if every, _ := c.RetentionEvery(); every != 24*time.Hour {
		t.Errorf("retention.every by default: %v", every)
	}
}

// Malformed settings are refused, naming the option.
func TestChildrenRetentionConfigRefused(t *testing.T) {
	for _, c := range []struct{ yaml, want string }{
		{"children:\n  golden_records: sometimes\n", "children.golden_records"},
		{"children:\n  golden_records: Consent\n", "children.golden_records"},
		{"children:\n  goldenrecords: consent\n", "goldenrecords"},
		{"retention:\n  sources:\n    libraries: two years\n", "retention.sources.libraries"},
		{"retention:\n  sources:\n    libraries: 0d\n", "retention.sources.libraries"},
		{"retention:\n  sources:\n    libraries: -5d\n", "retention.sources.libraries"},
		{"retention:\n  sources:\n    libraries: 200y\n", "retention.sources.libraries"},
		{"retention:\n  sources:\n    libraries: 2.5y\n", "retention.sources.libraries"},
		{"retention:\n  sources:\n    libraries: \"\"\n", "retention.sources.libraries"},
		{"retention:\n  sources:\n    librarys: 2y\n", "retention.sources.librarys: no such source"},
		{"retention:\n  sources:\n    \"\": 2y\n", "empty source name"},
		{"retention:\n  every: 30s\n", "retention.every"},
		{"retention:\n  every: daily\n", "retention.every"},
		{"retention:\n  sources: [libraries]\n", "resindex.yaml:2: retention.sources: want a mapping"},
	} {
		_, err := config.Load(writeConfig(t, c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: err = %v, want one naming %s", c.yaml, err, c.want)
		}
	}
}

func TestParsePeriod(t *testing.T) {
	day := 24 * time.Hour
	for in, want := range map[string]time.Duration{
		"2y": 730 * day, "400d": 400 * day, "104w": 728 * day, "8760h": 365 * day, " 30d ": 30 * day, "90m": 90 * time.Minute, "100y": 36500 * day,
	} {
		if got, err := config.ParsePeriod(in); err != nil || got != want {
			t.Errorf("%q = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "d", "y", "2", "-1y", "0h", "1.5d", "2 y", "0x10d", "+3d", "101y", "99999999999999999999d", "5mo", "1e3d"} {
		if got, err := config.ParsePeriod(in); !errors.Is(err, resindex.ErrInvalid) {
			t.Errorf("%q = %v, %v; want refused", in, got, err)
		}
	}
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2y", "400d", "104w", "8760h", "", "-1d", "1.5y", "99999999999d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := config.ParsePeriod(s)
		if err != nil {
			if !errors.Is(err, resindex.ErrInvalid) {
				t.Fatalf("%q: error %v is not of kind invalid", s, err)
			}
			return
		}
		if d <= 0 || d > 36525*24*time.Hour {
			t.Fatalf("%q accepted as %v, outside (0, a hundred years]", s, d)
		}
	})
}
