package main

import (
	"bytes"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// TestVersion: `resindex version` and `resindex --version` print the
// version and the Go version, exit 0.
func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		out, errs, code := runCLI(t, args...)
		if code != 0 || !strings.HasPrefix(out, "resindex ") || !strings.Contains(out, "go "+runtime.Version()) {
			t.Errorf("resindex %s: exit %d, %q %q", args[0], code, out, errs)
		}
	}
}

// TestVersionFromBuildInfo: a module version and the VCS revision the
// go command stamps are printed; "(devel)" is not a version.
func TestVersionFromBuildInfo(t *testing.T) {
	var b bytes.Buffer
	printVersion(&b, &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "9727958abc"}, {Key: "vcs.time", Value: "2026-12-07T05:00:00Z"}, {Key: "vcs.modified", Value: "true"}}})
	want := "resindex v1.4.0\ngo " + runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH + "\nrevision 9727958abc 2026-12-07T05:00:00Z (modified)\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
	b.Reset()
	printVersion(&b, &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}})
	if !strings.HasPrefix(b.String(), "resindex dev\n") || strings.Contains(b.String(), "revision") {
		t.Errorf("a devel build without VCS: %q", b.String())
	}
	b.Reset()
	printVersion(&b, nil)
	if !strings.HasPrefix(b.String(), "resindex dev\ngo ") {
		t.Errorf("no build information: %q", b.String())
	}
}
