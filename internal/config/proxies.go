package config

import (
	"fmt"
	"net/netip"
	"strings"
)

// Proxies parses api.trusted_proxies: each an address (a proxy of its
// own) or a CIDR range. A mistake is refused rather than skipped, since a
// proxy left out would put every client behind it on one budget.
func (a API) Proxies() ([]netip.Prefix, error) {
	out := make([]netip.Prefix, 0, len(a.TrustedProxies))
	for i, v := range a.TrustedProxies {
		v = strings.TrimSpace(v)
		if !strings.Contains(v, "/") {
			ip, err := netip.ParseAddr(v)
			if err != nil || ip.Zone() != "" {
				return nil, fmt.Errorf("api.trusted_proxies[%d] is %q: want an IP address or a CIDR range (10.0.0.0/8)", i, v)
			}
			ip = ip.Unmap()
			out = append(out, netip.PrefixFrom(ip, ip.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(v)
		if err != nil {
			return nil, fmt.Errorf("api.trusted_proxies[%d] is %q: want an IP address or a CIDR range (10.0.0.0/8)", i, v)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// ForwardedHeaderName is api.forwarded_header as the HTTP header it
// names. Only the header the proxy writes may be read: a proxy that
// appends X-Forwarded-For passes the client's own Forwarded on
// untouched, so reading both would let a client pick its own address.
func (a API) ForwardedHeaderName() (string, error) {
	switch strings.ToLower(a.ForwardedHeader) {
	case "", "x-forwarded-for":
		return "X-Forwarded-For", nil
	case "forwarded":
		return "Forwarded", nil
	}
	return "", fmt.Errorf("api.forwarded_header is %q: want x-forwarded-for (the default) or forwarded, the one header the trusted proxies write", a.ForwardedHeader)
}
