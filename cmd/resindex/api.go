package main

import (
	"context"
	"log/slog"

	"github.com/resindex/resindex/internal/config"
	"github.com/resindex/resindex/internal/httpserve"
	"github.com/resindex/resindex/web"
)

// startAPI serves the JSON API over the access service at addr, with
// api's limits, until stop is called, which lets requests in flight
// finish. demo adds the demo sign-in page.
func (m *Main) startAPI(ctx context.Context, addr string, api config.API, demo bool, log *slog.Logger) (string, func(), error) {
	oc, err := m.Config.OIDC.Web()
	if err != nil {
		return "", nil, err
	}
	proxies, err := api.Proxies()
	if err != nil {
		return "", nil, err
	}
	header, err := api.ForwardedHeaderName()
	if err != nil {
		return "", nil, err
	}
	wc := web.Config{Access: m.Access, Tokens: m.DB, OIDC: oc, Demo: demo, Rate: api.RatePerSecond, Burst: api.Burst,
		TrustedProxies: proxies, ForwardedHeader: header, Log: log, ReadOnly: m.Replica}
	if m.ops != nil { // a server: its requests on the registry, its probes on the API too
		wc.Metrics, wc.Probes = m.ops.reg, m.ops.probes
	}
	srv, err := web.New(ctx, wc)
	if err != nil {
		return "", nil, err
	}
	h, err := m.withReplication(ctx, srv, log)
	if err != nil {
		return "", nil, err
	}
	hs, err := httpserve.Start("api", addr, h, log)
	if err != nil {
		return "", nil, err
	}
	return hs.Addr, hs.Stop, nil
}
