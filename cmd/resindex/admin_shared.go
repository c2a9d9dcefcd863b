package main

import (
	"flag"
	"fmt"
	"path/filepath"

	"github.com/resindex/resindex/internal/cli"
)

// serverMain is the server's Main when fs is a forwarded command's flags
// (their output is the command's stderr, an adminStream, perhaps
// inside run's cli.Output), else nil.
func serverMain(fs *flag.FlagSet) *Main {
	out := fs.Output()
	if o, ok := out.(*cli.Output); ok { // run's wrapping, which remembers the usage
		out = o.Writer
	}
	if s, ok := out.(*adminStream); ok {
		return s.m
	}
	return nil
}

// sharedFor is a forwarded command's Main: the server's open store,
// engine and access service, with the server's configuration, and a
// Close that leaves them open. The command must name the server's store.
func (m *Main) sharedFor(data string) (*Main, error) {
	if data != "" && !sameDir(data, m.Config.Data) {
		return nil, fmt.Errorf("this server holds the store %s, not %s", m.Config.Data, data)
	}
	return &Main{Config: m.Config, Model: m.Model, DB: m.DB, Engine: m.Engine, Access: m.Access, Fraud: m.Fraud, shared: true}, nil
}

// sameDir reports whether a and b name one directory (through symlinks).
func sameDir(a, b string) bool {
	resolve := func(p string) string {
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		return filepath.Clean(p)
	}
	return resolve(a) == resolve(b)
}
