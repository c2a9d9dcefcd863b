package main

import (
	"context"
	"fmt"
	"io"

	"github.com/resindex/resindex/internal/atomicfile"
	"github.com/resindex/resindex/internal/cli"
)

func runBackup(ctx context.Context, e *env, args []string) error {
	return storeToFile(e, "backup", "backup file to write", args, func(m *Main, w io.Writer) error {
		return m.DB.Backup(ctx, w)
	})
}

// storeToFile runs a command that reads a store (--data, --key-file) and
// writes one file (--out), whole or not at all.
func storeToFile(e *env, name, outHelp string, args []string, write func(*Main, io.Writer) error) error {
	fs := cli.NewFlags(e.stderr, name, "--data DIR --out FILE [--key-file FILE] [--config FILE]")
	cf := addConfigFlags(fs, false)
	out := fs.String("out", "", outHelp)
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	m, err := cf.main()
	if err != nil {
		return err
	}
	if m.Config.Data == "" || *out == "" {
		fs.Usage()
		return fmt.Errorf("--data and --out are required: %w", errUsage)
	}
	defer m.Close()
	if err := m.OpenStore(); err != nil {
		return err
	}
	return atomicfile.Write(*out, func(w io.Writer) error { return write(m, w) })
}
