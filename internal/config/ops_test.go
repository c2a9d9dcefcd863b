package config_test

import (
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/resindex/resindex/internal/config"
)

// TestOpsSettings: audit.verify_every and readiness.max_lag take their
// defaults when left out, 0 where 0 means something, and refuse what
// cannot work, naming the key.
func TestOpsSettings(t *testing.T) {
	cases := []struct {
		name, text string
		every      time.Duration
		lag        int64
		err        string
	}{
		{"defaults", "data: x\n", time.Hour, 1000, ""},
		{"both set", "audit:\n  verify_every: 15m\nreadiness:\n  max_lag: 50\n", 15 * time.Minute, 50, ""},
		{"checks off, fully caught up", "audit:\n  verify_every: 0s\nreadiness:\n  max_lag: 0\n", 0, 0, ""},
		{"zero without a unit", "audit:\n  verify_every: 0\n", 0, 1000, ""},
		{"too often", "audit:\n  verify_every: 5s\n", 0, 0, "audit.verify_every is 5s"},
		{"negative interval", "audit:\n  verify_every: -1h\n", 0, 0, "audit.verify_every is -1h0m0s"},
		{"not a duration", "audit:\n  verify_every: hourly\n", 0, 0, ":2: audit.verify_every: want a duration (30m, 2h), or 0 for off, got text \"hourly\""},
		{"negative lag", "readiness:\n  max_lag: -1\n", 0, 0, "readiness.max_lag is -1"},
		{"lag not a number", "readiness:\n  max_lag: lots\n", 0, 0, ":2: readiness.max_lag: want a whole number"},
		{"misspelt key", "readiness:\n  max_lagg: 3\n", 0, 0, "readiness.max_lagg: unknown key"},
		{"misspelt section", "audits:\n  verify_every: 1h\n", 0, 0, "audits: unknown key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := config.Load(writeConfig(t, tc.text))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one saying %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Audit.VerifyInterval(); got != tc.every {
				t.Errorf("verify interval %v, want %v", got, tc.every)
			}
			if got := c.Readiness.Lag(); got != tc.lag {
				t.Errorf("max lag %d, want %d", got, tc.lag)
			}
		})
	}
}

// FuzzOpsSettings: whatever the audit and readiness sections hold, they
// are read or refused without a panic, and what is read is usable.
func FuzzOpsSettings(f *testing.F) {
	for _, s := range []string{"15m", "0", "0s", "-1h", "hourly", "1e9", "[1h]", "{a: b}", "''", "9999999999h"} {
		f.Add(s, "1000")
		f.Add("1h", s)
	}
	f.Fuzz(func(t *testing.T, every, lag string) {
		var c config.Config
		text := "audit:\n  verify_every: " + every + "\nreadiness:\n  max_lag: " + lag + "\n"
		dec := yaml.NewDecoder(strings.NewReader(text))
		dec.KnownFields(true)
		if err := dec.Decode(&c); err != nil || c.Validate() != nil {
			return
		}
		if d := c.Audit.VerifyInterval(); d < 0 || d > 0 && d < time.Minute {
			t.Errorf("%q read as an interval of %v", every, d)
		}
		if l := c.Readiness.Lag(); l < 0 {
			t.Errorf("%q read as a lag of %d", lag, l)
		}
	})
}
