package web

import (
	"net/http"
	"net/netip"
	"testing"
)

// proxiesIn is a trust test over 10.0.0.0/8 and 2001:db8::1.
func proxiesIn(ip netip.Addr) bool {
	return netip.MustParsePrefix("10.0.0.0/8").Contains(ip) || ip == netip.MustParseAddr("2001:db8::1")
}

// TestForwardedClient: the rightmost address that is not a trusted proxy
// is the client; read right to left, a malformed entry where reading
// stops makes the header unusable, but one left of the client (the
// client's own text) is never read; only the configured header is read,
// whatever the other says.
func TestForwardedClient(t *testing.T) {
	for _, c := range []struct {
		name, header, xff, fwd, want string // want "": unusable
	}{
		{"one client", "", "203.0.113.7", "", "203.0.113.7"},
		{"client then proxies", "", "203.0.113.7, 10.0.0.2, 10.1.1.1", "", "203.0.113.7"},
		{"spoofed left entry", "", "1.2.3.4, 203.0.113.7, 10.0.0.2", "", "203.0.113.7"},
		{"all proxies", "", "10.0.0.3, 10.0.0.2", "", "10.0.0.3"},
		{"ipv6", "", "2001:db8::7, 2001:db8::1", "", "2001:db8::7"},
		{"mapped ipv4", "", "::ffff:203.0.113.7", "", "203.0.113.7"},
		{"garbage", "", "not-an-ip", "", ""},
		{"empty entry", "", "203.0.113.7,,10.0.0.2", "", ""},
		{"empty", "", "", "", ""},
		{"xff v4 port", "", "203.0.113.7:4000", "", "203.0.113.7"},
		{"xff v4 port then proxy", "", "1.2.3.4:1, 203.0.113.7:4000, 10.0.0.2:443", "", "203.0.113.7"},
		{"xff v6 port", "", "[2001:db8::7]:4711, 2001:db8::1", "", "2001:db8::7"},
		{"xff mapped v6 port", "", "[::ffff:203.0.113.7]:80", "", "203.0.113.7"},
		{"xff bracketed v6 no port", "", "[2001:db8::7]", "", ""},
		{"xff bracketed v4", "", "[203.0.113.7]:80", "", ""},
		{"xff empty port", "", "203.0.113.7:", "", ""},
		{"xff named port", "", "203.0.113.7:http", "", ""},
		{"xff port too big", "", "203.0.113.7:65536", "", ""},
		{"xff port too long", "", "203.0.113.7:000080", "", ""},
		{"xff signed port", "", "203.0.113.7:+80", "", ""},
		{"xff obfuscated port", "", "203.0.113.7:_abc", "", ""},
		{"xff two ports", "", "203.0.113.7:80:80", "", ""},
		{"xff v6 zone port", "", "[fe80::1%eth0]:80", "", ""},
		{"xff unclosed bracket", "", "[2001:db8::7:80", "", ""},
		{"xff space in entry", "", "203.0.113.7 :80", "", ""},
		{"zone", "", "fe80::1%eth0", "", ""},
		{"xff ignores forwarded", "", "198.51.100.1", "for=203.0.113.7", "198.51.100.1"},
		{"xff chosen, only forwarded sent", "", "", "for=203.0.113.7", ""},
		{"forwarded", "Forwarded", "", "for=203.0.113.7;proto=https, for=10.0.0.2", "203.0.113.7"},
		{"forwarded quoted v6 port", "Forwarded", "", `for="[2001:db8::7]:4711"`, "2001:db8::7"},
		{"forwarded v4 port", "Forwarded", "", `for="203.0.113.7:80";by=10.0.0.2`, "203.0.113.7"},
		{"forwarded case", "Forwarded", "", "For=203.0.113.7", "203.0.113.7"},
		{"forwarded ignores xff", "Forwarded", "198.51.100.1", "for=203.0.113.7", "203.0.113.7"},
		{"forwarded chosen, only xff sent", "Forwarded", "198.51.100.1", "", ""},
		{"forwarded unknown", "Forwarded", "", "for=unknown", ""},
		{"forwarded obfuscated", "Forwarded", "", "for=_hidden, for=10.0.0.2", ""},
		{"forwarded no for", "Forwarded", "", "proto=https", ""},
		{"forwarded two fors", "Forwarded", "", "for=1.2.3.4;for=5.6.7.8", ""},
		{"forwarded bare v6", "Forwarded", "", "for=2001:db8::7", ""},
		{"forwarded unclosed bracket", "Forwarded", "", `for="[2001:db8::7"`, ""},
		{"forwarded bad port", "Forwarded", "", `for="203.0.113.7:http"`, ""},
		{"forwarded empty pair", "Forwarded", "", "for=203.0.113.7;;", ""},
		{"forwarded stray quote", "Forwarded", "", `for="203.0.113.7`, ""},
		{"xff malformed left part", "", "not-an-ip, 203.0.113.7, 10.0.0.2", "", "203.0.113.7"},
		{"xff malformed left, no proxy entry", "", "garbage, 203.0.113.7", "", "203.0.113.7"},
		{"xff empty left entry", "", ",203.0.113.7", "", "203.0.113.7"},
		{"xff zone left", "", "fe80::1%eth0, [bad, 203.0.113.7:80", "", "203.0.113.7"},
		{"xff malformed between client and proxy", "", "203.0.113.7, bad, 10.0.0.2", "", ""},
		{"xff malformed left of proxies only", "", "bad, 10.0.0.3, 10.0.0.2", "", ""},
		{"forwarded malformed left part", "Forwarded", "", "for=unknown, for=203.0.113.7;proto=https, for=10.0.0.2", "203.0.113.7"},
		{"forwarded broken left element", "Forwarded", "", `for="[bad;;, for=203.0.113.7`, "203.0.113.7"},
		{"forwarded malformed after proxy", "Forwarded", "", "for=203.0.113.7, for=_hidden, for=10.0.0.2", ""},
	} {
		h := http.Header{}
		if c.xff != "" || c.name == "empty" {
			h.Set("X-Forwarded-For", c.xff)
		}
		if c.fwd != "" {
			h.Set("Forwarded", c.fwd)
		}
		got, ok := forwardedClient(h, c.header, proxiesIn)
		switch {
		case c.want == "" && ok:
			t.Errorf("%s: got %v, want unusable", c.name, got)
		case c.want != "" && (!ok || got.String() != c.want):
			t.Errorf("%s: got %v %v, want %s", c.name, got, ok, c.want)
		}
	}
}

// TestClientHost: headers count only from a trusted peer.
func TestClientHost(t *testing.T) {
	s := &Server{cfg: Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}}
	for _, c := range []struct{ peer, xff, want string }{
		{"10.0.0.2:5000", "203.0.113.7", "203.0.113.7"},
		{"198.51.100.9:5000", "203.0.113.7", "198.51.100.9"}, // not a proxy: forged
		{"10.0.0.2:5000", "bad", "10.0.0.2"},
		{"10.0.0.2:5000", "bad, 203.0.113.7", "203.0.113.7"}, // the client's own left part
		{"10.0.0.2:5000", "bad, 10.0.0.3", "10.0.0.2"},       // malformed where reading stops
		{"10.0.0.2:5000", "", "10.0.0.2"},
		{"[::ffff:10.0.0.2]:5000", "203.0.113.7", "203.0.113.7"},
		{"garbled", "203.0.113.7", "garbled"},
	} {
		r := &http.Request{RemoteAddr: c.peer, Header: http.Header{}}
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := s.clientHost(r); got != c.want {
			t.Errorf("peer %s, X-Forwarded-For %q: %s, want %s", c.peer, c.xff, got, c.want)
		}
	}
	none := &Server{}
	r := &http.Request{RemoteAddr: "10.0.0.2:1", Header: http.Header{"X-Forwarded-For": {"203.0.113.7"}}}
	if got := none.clientHost(r); got != "10.0.0.2" {
		t.Errorf("no trusted proxies: %s, want the peer", got)
	}
}

// FuzzForwardedClient: any header parses or is refused, never panics,
// and a client it names is a real address taken from the header; once
// an untrusted client is found, nothing put left of the header's entries
// (a client's own text) changes it.
func FuzzForwardedClient(f *testing.F) {
	for _, s := range []string{"203.0.113.7, 10.0.0.2", `for="[2001:db8::7]:4711"`, "for=_x", "for=\"", "[", ",,", "for=1.2.3.4:", "203.0.113.7:4000", "[2001:db8::7]:80, 10.0.0.2", "bad, 203.0.113.7"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, xff, fwd string) {
		h := http.Header{"X-Forwarded-For": {xff}}
		if fwd != "" {
			h.Set("Forwarded", fwd)
		}
		for _, c := range []struct{ name, key, val, left string }{{"", "X-Forwarded-For", xff, fwd}, {"Forwarded", "Forwarded", fwd, xff}} {
			ip, ok := forwardedClient(h, c.name, proxiesIn)
			if ok && (!ip.IsValid() || ip.Zone() != "" || ip.Is4In6()) {
				t.Fatalf("%q %q (%s): client %v", xff, fwd, c.name, ip)
			}
			if !ok || proxiesIn(ip) {
				continue
			}
			left := http.Header{c.key: {c.left + "," + c.val}}
			if got, ok := forwardedClient(left, c.name, proxiesIn); !ok || got != ip {
				t.Fatalf("%q left of %q (%s): %v %v, want %v", c.left, c.val, c.name, got, ok, ip)
			}
		}
	})
}
