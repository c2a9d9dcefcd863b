package main

import (
	"context"
	"fmt"

	"github.com/resindex/resindex/internal/cli"
)

// runCompact rewrites a store so that what was deleted leaves its files
// (store.Compact): erasure and retention do it themselves; this finishes
// one whose compaction failed (a full disk, say) once the cause is fixed.
func runCompact(ctx context.Context, e *env, args []string) error {
	fs := cli.NewFlags(e.stderr, "compact", "--data DIR [--key-file FILE] [--config FILE]")
	cf := addConfigFlags(fs, false)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	m, err := cf.main()
	if err != nil {
		return err
	}
	if m.Config.Data == "" {
		fs.Usage()
		return fmt.Errorf("--data is required: %w", errUsage)
	}
	defer m.Close()
	if err := m.OpenStore(); err != nil {
		return err
	}
	if err := m.DB.Compact(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "compacted %s: only the live data is left in its files\n", m.Config.Data)
	return nil
}
