package web

import (
	"net/http"
	"net/netip"
	"strings"
)

// clientHost is the address failed sign-ins are counted against, and the
// one logs record. Behind a reverse proxy every request comes from the
// proxy, so one client's bad tokens would spend every client's budget:
// when the peer is a configured trusted proxy, the client is the one the
// forwarding headers name. A header from anyone else is ignored, since a
// client could forge it to escape its own budget.
func (s *Server) clientHost(r *http.Request) string {
	peer := remoteHost(r)
	if len(s.cfg.TrustedProxies) == 0 {
		return peer
	}
	ip, err := netip.ParseAddr(peer)
	if err != nil || !s.trusted(ip.Unmap()) {
		return peer
	}
	if c, ok := forwardedClient(r.Header, s.cfg.ForwardedHeader, s.trusted); ok {
		return c.String()
	}
	return peer
}

// trusted says whether an address is one of the configured proxies.
func (s *Server) trusted(ip netip.Addr) bool {
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// forwardedClient reads the client from the one header the trusted
// proxy writes (name: "Forwarded", RFC 7239, else X-Forwarded-For): the
// rightmost entry that is not itself a trusted proxy, since each proxy
// appends the address it was called from and only the trusted ones'
// entries can be believed. Entries are read right to left and reading
// stops at that one: what lies left of it is the client's own text, so
// it is never parsed (a malformed left part would otherwise let a client
// fall back to, and spend, the proxy's budget). If the entry reading
// stops at is malformed, the header is unusable (false): guessing past
// it would let a client choose its own address. The other header is
// never read: a proxy that appends one passes the client's own copy of
// the other through.
func forwardedClient(h http.Header, name string, trusted func(netip.Addr) bool) (netip.Addr, bool) {
	key, parse := "X-Forwarded-For", xffHop
	if strings.EqualFold(name, "Forwarded") {
		key, parse = "Forwarded", forwardedElement
	}
	v := h.Values(key)
	if len(v) == 0 {
		return netip.Addr{}, false
	}
	entries := strings.Split(strings.Join(v, ","), ",")
	var hop netip.Addr
	for i := len(entries) - 1; i >= 0; i-- {
		ip, ok := parse(entries[i])
		if !ok {
			return netip.Addr{}, false
		}
		if hop = ip; !trusted(ip) {
			return ip, true
		}
	}
	return hop, true // every hop a trusted proxy: the leftmost is the client
}

// xffHop parses one X-Forwarded-For entry, spaces around it allowed.
func xffHop(f string) (netip.Addr, bool) {
	ip, ok := xffEntry(strings.TrimSpace(f))
	return ip.Unmap(), ok
}

// xffEntry parses one X-Forwarded-For entry. A bare IPv6 address is
// tried first, since its colons are not a port's; an IPv6 address with a
// port must be bracketed, and an IPv4 one must not.
func xffEntry(f string) (netip.Addr, bool) {
	if ip, err := netip.ParseAddr(f); err == nil {
		return ip, ip.Zone() == ""
	}
	ap, err := netip.ParseAddrPort(f)
	if err != nil || !validPort(f[strings.LastIndexByte(f, ':'):]) {
		return netip.Addr{}, false
	}
	ip := ap.Addr()
	if ip.Zone() != "" || ip.Is4() == strings.HasPrefix(f, "[") {
		return netip.Addr{}, false
	}
	return ip, true
}

// forwardedElement parses one Forwarded element: pairs separated by
// semicolons, one of them for=NODE.
func forwardedElement(elem string) (netip.Addr, bool) {
	var node string
	for _, pair := range strings.Split(elem, ";") {
		k, val, ok := strings.Cut(strings.TrimSpace(pair), "=")
		if !ok || k == "" {
			return netip.Addr{}, false
		}
		if strings.EqualFold(k, "for") {
			if node != "" {
				return netip.Addr{}, false // two for= in one element
			}
			node = val
		}
	}
	return forwardedNode(node)
}

// forwardedNode parses one for= value: an IPv4 address or a bracketed
// IPv6 one, quoted or not, with an optional port. "unknown" and
// obfuscated names (_abc) say nothing usable, so they count as malformed.
func forwardedNode(v string) (netip.Addr, bool) {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		v = v[1 : len(v)-1]
	}
	if v == "" || strings.ContainsAny(v, "\"\\ ") {
		return netip.Addr{}, false
	}
	if strings.HasPrefix(v, "[") {
		end := strings.IndexByte(v, ']')
		if end < 0 || !validPort(v[end+1:]) {
			return netip.Addr{}, false
		}
		ip, err := netip.ParseAddr(v[1:end])
		if err != nil || !ip.Is6() || ip.Zone() != "" {
			return netip.Addr{}, false
		}
		return ip.Unmap(), true
	}
	host, port, _ := strings.Cut(v, ":")
	if port != "" && !validPort(":"+port) || strings.HasSuffix(v, ":") {
		return netip.Addr{}, false
	}
	ip, err := netip.ParseAddr(host)
	if err != nil || !ip.Is4() {
		return netip.Addr{}, false
	}
	return ip, true
}

// validPort is "" or ":" followed by 1 to 5 digits (RFC 7239 also allows
// obfuscated ports, "_abc": those are ignored with the port itself).
func validPort(p string) bool {
	if p == "" {
		return true
	}
	if p[0] != ':' || len(p) < 2 || len(p) > 6 {
		return false
	}
	rest := p[1:]
	if rest[0] == '_' {
		return len(rest) > 1 && strings.Trim(rest[1:], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == ""
	}
	return strings.Trim(rest, "0123456789") == ""
}
