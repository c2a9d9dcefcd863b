package config_test

import (
	"strings"
	"testing"

	"github.com/resindex/resindex/internal/config"
)

// TestTrustedProxies: addresses and ranges parse; anything else is
// refused, naming the entry.
func TestTrustedProxies(t *testing.T) {
	c, err := config.Load(writeConfig(t, "api:\n  trusted_proxies: [10.0.0.0/8, 192.0.2.1, '2001:db8::/32', 10.1.2.3/8]\n"))
	if err != nil {
		t.Fatal(err)
	}
	ps, err := c.API.Proxies()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.String())
	}
	if want := "10.0.0.0/8 192.0.2.1/32 2001:db8::/32 10.0.0.0/8"; strings.Join(got, " ") != want {
		t.Fatalf("proxies %v, want %s", got, want)
	}
	for _, bad := range []string{"proxy.example", "10.0.0.0/33", "10.0.0", "''", "fe80::1%eth0", "1.2.3.4/"} {
		_, err := config.Load(writeConfig(t, "api:\n  trusted_proxies: [10.0.0.1, "+bad+"]\n"))
		if err == nil || !strings.Contains(err.Error(), "api.trusted_proxies[1]") {
			t.Errorf("%s: err = %v, want it to name api.trusted_proxies[1]", bad, err)
		}
	}
}

// TestForwardedHeader: the two header names, in any case, or none (the
// default); anything else is refused, naming the key.
func TestForwardedHeader(t *testing.T) {
	for _, c := range []struct{ yaml, want string }{
		{"", "X-Forwarded-For"},
		{"forwarded_header: x-forwarded-for", "X-Forwarded-For"},
		{"forwarded_header: X-Forwarded-For", "X-Forwarded-For"},
		{"forwarded_header: forwarded", "Forwarded"},
		{"forwarded_header: Forwarded", "Forwarded"},
	} {
		c2, err := config.Load(writeConfig(t, "api:\n  trusted_proxies: [10.0.0.1]\n  "+c.yaml+"\n"))
		if err != nil {
			t.Fatalf("%q: %v", c.yaml, err)
		}
		if got, err := c2.API.ForwardedHeaderName(); err != nil || got != c.want {
			t.Errorf("%q: %q %v, want %s", c.yaml, got, err, c.want)
		}
	}
	for _, bad := range []string{"both", "x-real-ip", "'x-forwarded-for,forwarded'", "xff", "'forwarded '", "'-'", "[forwarded]"} {
		_, err := config.Load(writeConfig(t, "api:\n  forwarded_header: "+bad+"\n"))
		if err == nil || !strings.Contains(err.Error(), "api.forwarded_header") {
			t.Errorf("%s: err = %v, want it to name api.forwarded_header", bad, err)
		}
	}
}
