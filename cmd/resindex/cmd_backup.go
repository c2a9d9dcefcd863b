package main

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/resindex/resindex/internal/atomicfile"
	"github.com/resindex/resindex/store"
)

func runBackup(ctx context.Context, e *env, args []string) error {
	return storeToFile(e, "backup", "backup file to write", args, func(db *store.DB, w io.Writer) error {
		return db.Backup(w)
	})
}

// storeToFile runs a command that reads a store (--data, --key-file) and
// writes one file (--out).
func storeToFile(e *env, name, outHelp string, args []string, write func(*store.DB, io.Writer) error) error {
	fs := newFlags(e, name, "--data DIR --out FILE [--key-file FILE] [--config FILE]")
	sf := addStoreFlags(fs)
	out := fs.String("out", "", outHelp)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := sf.resolve(); err != nil {
		return err
	}
	if *sf.data == "" || *out == "" {
		fs.Usage()
		return fmt.Errorf("--data and --out are required: %w", errUsage)
	}
	db, err := sf.open()
	if err != nil {
		return err
	}
	defer db.Close()
	return atomicfile.Write(*out, func(w io.Writer) error { return write(db, w) })
}

func runRestore(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "restore", "--data DIR --in FILE [--key-file FILE]")
	data := fs.String("data", "", "new store directory (must be empty or absent)")
	in := fs.String("in", "", "backup file written by 'resindex backup'")
	keyFile := fs.String("key-file", "", "encryption key for the restored store")
	if err := parseFlags(fs, args); err != nil {
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

// storeOptions builds the store's options from the command line.
func storeOptions(dir, keyFile string) (store.Options, error) {
	opts := store.Options{Dir: dir}
	if keyFile == "" {
		return opts, nil
	}
	key, err := readKey(keyFile)
	if err != nil {
		return opts, err
	}
	opts.EncryptionKey = key
	return opts, nil
}

// readKey reads an AES key: 16, 24 or 32 raw bytes, or the same as hex.
func readKey(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, 1024))
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	if text := strings.TrimSpace(string(raw)); len(text) == 32 || len(text) == 48 || len(text) == 64 {
		if key, err := hex.DecodeString(text); err == nil {
			return key, nil
		}
	}
	switch len(raw) {
	case 16, 24, 32:
		return raw, nil
	}
	return nil, fmt.Errorf("key file %s: want 16, 24 or 32 bytes (or their hex), got %d bytes", path, len(raw))
}
