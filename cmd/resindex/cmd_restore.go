package main

import (
	"context"
	"fmt"
	"os"

	"github.com/resindex/resindex/internal/cli"
	"github.com/resindex/resindex/store"
)

// runRestore restores a backup into a new store. It takes no
// configuration file: the store it names is the one being restored from.
func runRestore(ctx context.Context, e *env, args []string) error {
	fs := cli.NewFlags(e.stderr, "restore", "--data DIR --in FILE [--key-file FILE]")
	data := fs.String("data", "", "new store directory (must be empty or absent)")
	in := fs.String("in", "", "backup file written by 'resindex backup'")
	keyFile := fs.String("key-file", "", "encryption key for the restored store")
	unended := fs.Bool("unended", false, "restore a plain backup written before backups ended with a check (older releases): a file cut short between two of its lists cannot then be detected")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *data == "" || *in == "" {
		fs.Usage()
		return fmt.Errorf("--data and --in are required: %w", errUsage)
	}
	opts, err := storeOptions(*data, *keyFile)
	if err != nil {
		return err
	}
	f, err := os.Open(*in)
	if err != nil {
		return err
	}
	defer f.Close()
	if *unended {
		fmt.Fprintln(e.stderr, "restore: --unended: the backup is not checked for being cut short")
		return store.RestoreUnended(opts, f)
	}
	return store.Restore(opts, f)
}
