package main

import (
	"cmp"
	"context"
	"fmt"

	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/internal/cli"
	"github.com/resindex/resindex/internal/config"
	"github.com/resindex/resindex/internal/report"
)

// runPolicy checks an access policy and prints what each role is granted.
func runPolicy(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "check" {
		return fmt.Errorf("resindex policy check [--policy FILE] [--config FILE]: %w", errUsage)
	}
	fs := cli.NewFlags(e.stderr, "policy check", "[--policy FILE] [--config FILE]")
	path := fs.String("policy", "", "access policy (YAML; default: the configuration's policy, else the shipped default)")
	configFile := fs.String("config", "", "configuration file (YAML)")
	if err := cli.Parse(fs, args[1:]); err != nil {
		return err
	}
	var mappings string
	if *configFile != "" {
		cfg, err := config.Load(*configFile)
		if err != nil {
			return err
		}
		*path, mappings = cmp.Or(*path, cfg.Policy), cfg.Mappings
	}
	p, err := loadPolicy(*path, mappings)
	if err != nil {
		return err
	}
	report.Policy(e.stdout, p)
	return nil
}

// loadPolicy reads a policy file, or gives the shipped default, and
// checks that every source it names is one a mapping (shipped, or the
// council's own in mappingsDir) has.
func loadPolicy(path, mappingsDir string) (*access.Policy, error) {
	var pol *access.Policy
	var err error
	if path == "" {
		pol, err = access.Default()
	} else {
		pol, err = access.Load(path)
	}
	if err != nil {
		return nil, err
	}
	known, err := config.KnownSources(mappingsDir)
	if err != nil {
		return nil, err
	}
	return pol, pol.CheckSources(known)
}
