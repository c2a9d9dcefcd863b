package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/resindex/resindex/internal/cli"
	"github.com/resindex/resindex/internal/config"
	"github.com/resindex/resindex/web"
)

// runToken creates, lists and revokes the API tokens of service accounts.
func runToken(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || (args[0] != "create" && args[0] != "list" && args[0] != "revoke") {
		return fmt.Errorf("resindex token create|list|revoke --data DIR: %w", errUsage)
	}
	fs := cli.NewFlags(e.stderr, "token "+args[0], "--data DIR [--config FILE] [--name NAME] [--role ROLE] [--expires DURATION]")
	cf := addConfigFlags(fs, false)
	name := fs.String("name", "", "create, revoke: the service account's name (recorded in the audit log as token:NAME)")
	role := fs.String("role", "", "create: the role the token acts in (from the policy)")
	expires := fs.Duration("expires", 90*24*time.Hour, "create: how long the token lives (0: until revoked)")
	m, err := cf.parseMain(fs, args[1:])
	if err != nil {
		return err
	}
	defer m.Close()
	if args[0] != "list" && *name == "" {
		return fmt.Errorf("--name is required: %w", errUsage) // a usage mistake before any store is opened
	}
	if err := m.OpenStore(); err != nil {
		return err
	}
	switch args[0] {
	case "create":
		return createToken(e, m.DB, &m.Config, *name, *role, *expires)
	case "revoke":
		return revokeTokens(e, m.DB, *name)
	}
	return listTokens(e, m.DB)
}

func createToken(e *env, ts web.TokenStore, c *config.Config, name, role string, expires time.Duration) error {
	pol, err := loadPolicy(c.Policy, c.Mappings)
	if err != nil {
		return err
	}
	if name == "" {
		return fmt.Errorf("--name is required: %w", errUsage)
	}
	if _, ok := pol.Role(role); !ok {
		return fmt.Errorf("--role %q: not a role of the policy (roles: %v): %w", role, pol.Roles(), errUsage)
	}
	if expires < 0 {
		return fmt.Errorf("--expires %s: want a positive duration, or 0 for none: %w", expires, errUsage)
	}
	info := web.TokenInfo{Name: name, Role: role, Created: time.Now().UTC()}
	if expires > 0 {
		info.Expires = info.Created.Add(expires)
	}
	tok, err := web.CreateToken(ts, info)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, tok)
	fmt.Fprintf(e.stderr, "token for %s (role %s) created; it is shown once: only its hash is kept\n", name, role)
	return nil
}

func listTokens(e *env, ts web.TokenStore) error {
	enc := json.NewEncoder(e.stdout)
	return web.ListTokens(ts, func(hashPrefix string, info web.TokenInfo) error {
		return enc.Encode(struct {
			Hash string `json:"hash_prefix"`
			web.TokenInfo
		}{hashPrefix, info})
	})
}

func revokeTokens(e *env, ts web.TokenStore, name string) error {
	if name == "" {
		return fmt.Errorf("--name is required: %w", errUsage)
	}
	n, err := web.RevokeTokens(ts, name)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "revoked %d token(s) named %s\n", n, name)
	return nil
}
