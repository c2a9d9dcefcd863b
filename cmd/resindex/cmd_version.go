package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/internal/cli"
)

// runVersion prints what an operator reporting a fault is asked for:
// the release, the Go it was built with and the commit it came from.
func runVersion(_ context.Context, e *env, args []string) error {
	fs := cli.NewFlags(e.stderr, "version", "")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	info, _ := debug.ReadBuildInfo()
	printVersion(e.stdout, info)
	return nil
}

// printVersion writes the version lines; info is nil when the binary
// carries no build information.
func printVersion(w io.Writer, info *debug.BuildInfo) {
	v := release(info)
	fmt.Fprintf(w, "resindex %s\ngo %s %s/%s\n", v, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if info == nil {
		return
	}
	var rev, at, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = " (modified)"
			}
		}
	}
	if rev != "" {
		fmt.Fprintf(w, "revision %s %s%s\n", rev, at, dirty)
	}
}

// release is the version this binary is: the one a release build
// stamped (resindex.Version), else the module's when installed by
// version (go install …@v1.4.0, or a pseudo-version), else "dev".
func release(info *debug.BuildInfo) string {
	v := resindex.Version
	if info != nil && v == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		v = info.Main.Version
	}
	return v
}
