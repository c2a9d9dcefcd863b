package main

import (
	"context"
	"log/slog"
	"os"

	"github.com/resindex/resindex/internal/httpserve"
	"github.com/resindex/resindex/web"
)

// apiConfig tunes the JSON API.
type apiConfig struct {
	// RatePerSecond and Burst limit each signed-in principal's requests.
	RatePerSecond float64 `yaml:"rate_per_second"`
	Burst         int     `yaml:"burst"`
}

// oidcConfig connects staff sign-in to the council's identity provider.
type oidcConfig struct {
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

// web gives web's settings, the client secret from its file or else
// the environment; nil when sign-in by OpenID Connect is not configured.
func (c *oidcConfig) web() (*web.OIDCConfig, error) {
	if c.Issuer == "" && c.ClientID == "" {
		return nil, nil
	}
	oc, err := web.OIDCConfig{Issuer: c.Issuer, ClientID: c.ClientID, ClientSecret: os.Getenv("RESINDEX_OIDC_CLIENT_SECRET"), RedirectURL: c.RedirectURL,
		Audience: c.Audience, RoleClaim: c.RoleClaim, UserClaim: c.UserClaim, Scopes: c.Scopes}.WithSecretFile(c.ClientSecretFile)
	return &oc, err
}

// startAPI serves the JSON API over the access service at addr, with
// api's limits, until stop is called, which lets requests in flight
// finish. demo adds the demo sign-in page.
func (m *Main) startAPI(ctx context.Context, addr string, api apiConfig, demo bool, log *slog.Logger) (string, func(), error) {
	oc, err := m.Config.OIDC.web()
	if err != nil {
		return "", nil, err
	}
	srv, err := web.New(ctx, web.Config{Access: m.Access, Tokens: m.DB, OIDC: oc, Demo: demo, Rate: api.RatePerSecond, Burst: api.Burst, Log: log})
	if err != nil {
		return "", nil, err
	}
	hs, err := httpserve.Start("api", addr, srv, log)
	if err != nil {
		return "", nil, err
	}
	return hs.Addr, hs.Stop, nil
}
