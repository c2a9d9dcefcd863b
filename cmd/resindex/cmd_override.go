package main

import (
	"context"
	"fmt"

	"github.com/resindex/resindex/resolver"
)

func runOverride(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "override", "link|unlink SOURCE/ID SOURCE/ID --reason TEXT --data DIR [--key-file FILE] [--config FILE]")
	reason := fs.String("reason", "", "why (required; kept with the decision)")
	ef := addEngineFlags(fs)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if err := ef.resolve(); err != nil {
		return err
	}
	if len(pos) != 3 || (pos[0] != resolver.OverrideLink && pos[0] != resolver.OverrideUnlink) || *ef.data == "" {
		fs.Usage()
		return fmt.Errorf("want link or unlink, two records and --data: %w", errUsage)
	}
	if *reason == "" {
		fs.Usage()
		return fmt.Errorf("--reason is required: a steward's decision keeps its why: %w", errUsage)
	}
	a, err := parseKey(pos[1])
	if err != nil {
		return err
	}
	b, err := parseKey(pos[2])
	if err != nil {
		return err
	}
	db, eng, err := ef.openWithModel()
	if err != nil {
		return err
	}
	defer db.Close()
	err = eng.Override(a, b, pos[0], *reason)
	if aerr := auditCommand(db, "override", pos, nil, *reason, outcome(err)); aerr != nil {
		return aerr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "override %s %s %s recorded\n", pos[0], a, b)
	return nil
}
