package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/resindex/resindex/internal/cli"
)

// serverStream is a forwarded command's stderr when fs is its flags
// (their output is that stream, an adminStream, perhaps inside run's
// cli.Output), else nil: it carries the server's Main and the peer.
func serverStream(fs *flag.FlagSet) *adminStream {
	out := fs.Output()
	if o, ok := out.(*cli.Output); ok { // run's wrapping, which remembers the usage
		out = o.Writer
	}
	if s, ok := out.(*adminStream); ok {
		return s
	}
	return nil
}

// sharedFor is a forwarded command's Main: the server's open store,
// engine and access service, with the server's configuration, and a
// Close that leaves them open; its operator is the peer who sent the
// command. The command must name the server's store.
func (m *Main) sharedFor(data, peer string) (*Main, error) {
	if data != "" && !sameDir(data, m.Config.Data) {
		return nil, fmt.Errorf("this server holds the store %s, not %s", m.Config.Data, data)
	}
	return &Main{Config: m.Config, Model: m.Model, DB: m.DB, Engine: m.Engine, Access: m.Access, Fraud: m.Fraud,
		Replica: m.Replica, shared: true, peer: peer}, nil
}

// sharedMain is main for a forwarded command. The server's settings
// apply: the client's --config is not loaded (the client found the
// store through it and sent absolute paths, and the server's user may
// not read it), and the flags that would change the store's settings
// are ignored, saying so on the command's stderr.
func (f *configFlags) sharedMain(w io.Writer) (*Main, error) {
	var ignored []string
	for _, s := range []struct{ name, value string }{{"--config", f.config}, {"--key-file", f.keyFile}, {"--model", f.model}} {
		if s.value != "" {
			ignored = append(ignored, s.name)
		}
	}
	warnIgnored(w, ignored...)
	return f.server.m.sharedFor(f.data, f.server.peer)
}

// warnIgnored tells a forwarded command's user which of their flags the
// server's settings override.
func warnIgnored(w io.Writer, flags ...string) {
	if len(flags) > 0 {
		fmt.Fprintf(w, "resindex: warning: %s ignored: the running server's settings apply\n", strings.Join(flags, ", "))
	}
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
