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
	return store.Restore(opts, f)
}
