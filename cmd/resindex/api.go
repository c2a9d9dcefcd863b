package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
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

func (c *oidcConfig) web() (*web.OIDCConfig, error) {
	if c.Issuer == "" && c.ClientID == "" {
		return nil, nil // not configured
	}
	secret := os.Getenv("RESINDEX_OIDC_CLIENT_SECRET")
	if c.ClientSecretFile != "" {
		b, err := os.ReadFile(c.ClientSecretFile)
		if err != nil {
			return nil, fmt.Errorf("oidc.client_secret_file: %w", err)
		}
		secret = strings.TrimSpace(string(b))
	}
	return &web.OIDCConfig{Issuer: c.Issuer, ClientID: c.ClientID, ClientSecret: secret, RedirectURL: c.RedirectURL,
		Audience: c.Audience, RoleClaim: c.RoleClaim, UserClaim: c.UserClaim, Scopes: c.Scopes}, nil
}

// newAccess builds the access service over the store and engine, with
// the configured policy and the store's key for person references.
func newAccess(cfg *fileConfig, db *store.DB, eng *resolver.Engine) (*access.Service, error) {
	pol, err := loadPolicy(cfg.Policy)
	if err != nil {
		return nil, err
	}
	key, err := db.Secret("person-refs", access.KeySize)
	if err != nil {
		return nil, err
	}
	return access.New(pol, eng, eng, db, access.Options{Key: key, Trust: cfg.Engine.Trust,
		Window: time.Duration(cfg.Engine.ActivityWindowDays) * 24 * time.Hour})
}

// startAPI serves the JSON API at addr until stop is called, which lets
// requests in flight finish (for up to ten seconds).
func startAPI(ctx context.Context, addr string, cfg *fileConfig, svc *access.Service, db *store.DB, demo bool, log *slog.Logger) (string, func(), error) {
	oc, err := cfg.OIDC.web()
	if err != nil {
		return "", nil, err
	}
	srv, err := web.New(ctx, web.Config{Access: svc, Tokens: db, OIDC: oc, Demo: demo, Rate: cfg.API.RatePerSecond, Burst: cfg.API.Burst, Log: log})
	if err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", nil, fmt.Errorf("api: %w", err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("api stopped", "err", err)
		}
	}()
	stop := func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
	}
	return ln.Addr().String(), stop, nil
}
