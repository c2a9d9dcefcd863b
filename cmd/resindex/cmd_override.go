package main

import (
	"context"
	"fmt"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/internal/cli"
	"github.com/resindex/resindex/resolver"
)

func runOverride(ctx context.Context, e *env, args []string) error {
	fs := cli.NewFlags(e.stderr, "override", "link|unlink SOURCE/ID SOURCE/ID --reason TEXT --data DIR [--key-file FILE] [--config FILE]")
	reason := fs.String("reason", "", "why (required; kept with the decision)")
	cf := addConfigFlags(fs, true)
	pos, err := cli.ParseInterleaved(fs, args)
	if err != nil {
		return err
	}
	m, err := cf.main()
	if err != nil {
		return err
	}
	if len(pos) != 3 || (pos[0] != resolver.OverrideLink && pos[0] != resolver.OverrideUnlink) || m.Config.Data == "" {
		fs.Usage()
		return fmt.Errorf("want link or unlink, two records and --data: %w", errUsage)
	}
	if *reason == "" {
		fs.Usage()
		return fmt.Errorf("--reason is required: a steward's decision keeps its why: %w", errUsage)
	}
	a, err := resindex.ParseRecordKey(pos[1])
	if err != nil {
		return err
	}
	b, err := resindex.ParseRecordKey(pos[2])
	if err != nil {
		return err
	}
	defer m.Close()
	if err := m.OpenEngine(engineSetup{}); err != nil {
		return err
	}
	err = m.Engine.Override(a, b, pos[0], *reason)
	if aerr := auditCommand(m, "override", pos, nil, *reason, access.Outcome(err)); aerr != nil {
		return aerr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "override %s %s %s recorded\n", pos[0], a, b)
	return nil
}
