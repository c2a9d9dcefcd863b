package cli

import (
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"time"

	"github.com/resindex/resindex"
)

// ErrUsage marks a mistake in the command line: of kind invalid.
var ErrUsage = resindex.NewError(resindex.ErrInvalid, "see the usage above")

// NewFlags returns a flag set that reports errors to w and does not exit
// the process; its usage line is "usage: resindex NAME ARGS".
// On an Output, the flag set is remembered so that a usage mistake found
// after parsing prints the usage too.
func NewFlags(w io.Writer, name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(w)
	o, _ := w.(*Output)
	fs.Usage = func() {
		if o != nil {
			o.printed = true
		}
		fmt.Fprintf(w, "usage: resindex %s %s\n", name, args)
		fs.PrintDefaults()
	}
	if o != nil {
		o.fs = fs
	}
	return fs
}

// Parse parses a command's flags and refuses stray arguments: a file
// named without --in must not be silently ignored.
func Parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return usageError(err)
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("unexpected argument %q (files are given with --in): %w", fs.Arg(0), ErrUsage)
	}
	return nil
}

// ParseInterleaved parses flags that may come before, between or after
// positional arguments, and returns the positional ones.
func ParseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usageError(err)
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// Multi is a repeatable string flag.
type Multi []string

func (m *Multi) String() string     { return fmt.Sprint(*m) }
func (m *Multi) Set(v string) error { *m = append(*m, v); return nil }

// Time reads a time flag's value: "" is the zero time, a date
// (2006-01-02) its midnight UTC, anything else an RFC 3339 time. The
// error names the flag.
func Time(flag, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		return d, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return t, fmt.Errorf("%s %q: want a date (2026-11-01) or an RFC 3339 time (2026-11-01T09:00:00Z): %w", flag, s, ErrUsage)
	}
	return t, nil
}

// CPUProfile starts Go's CPU profiler when a file is named, and returns
// what stops it.
func CPUProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
