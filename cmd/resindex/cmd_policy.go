package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/resindex/resindex/access"
)

// runPolicy checks an access policy and prints what each role is granted.
func runPolicy(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "check" {
		return fmt.Errorf("resindex policy check [--policy FILE] [--config FILE]: %w", errUsage)
	}
	fs := newFlags(e, "policy check", "[--policy FILE] [--config FILE]")
	path := fs.String("policy", "", "access policy (YAML; default: the configuration's policy, else the shipped default)")
	config := fs.String("config", "", "configuration file (YAML)")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *path == "" && *config != "" {
		cfg, err := loadConfig(*config)
		if err != nil {
			return err
		}
		*path = cfg.Policy
	}
	p, err := loadPolicy(*path)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "policy %s: %d roles\n", p.File, len(p.Roles()))
	for _, name := range p.Roles() {
		r, _ := p.Role(name)
		fmt.Fprintf(e.stdout, "\n%s: %s\n%s", name, r.Description, describeRole(r))
	}
	return nil
}

// loadPolicy reads a policy file, or gives the shipped default.
func loadPolicy(path string) (*access.Policy, error) {
	if path == "" {
		return access.Default()
	}
	return access.Load(path)
}

func describeRole(r *access.Role) string {
	var b strings.Builder
	fmt.Fprintf(&b, "  sources:   %s\n", orNone(r.Sources(), "all"))
	for _, c := range []access.Class{access.Adult, access.Child} {
		fmt.Fprintf(&b, "  %-10s %s\n", string(c)+":", orNone(r.Fields(c), "(not visible)"))
	}
	fmt.Fprintf(&b, "  abilities: %s\n", orNone(r.Abilities(), "none"))
	return b.String()
}

func orNone(xs []string, none string) string {
	if len(xs) == 0 {
		return none
	}
	return strings.Join(xs, ", ")
}
