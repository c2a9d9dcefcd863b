package cli

import (
	"errors"
	"flag"
	"io"
)

// Output is a command's error stream. It remembers the last flag set
// made on it and whether its usage was printed, so that the command line
// can print the usage for a mistake found after parsing (a missing
// required flag): every ErrUsage then has its usage above it.
type Output struct {
	io.Writer
	fs      *flag.FlagSet
	printed bool
}

// PrintUsage prints the flag set's usage unless it was printed already.
// It reports whether a usage is on the stream, false when no flag set
// was made (an unknown subcommand, say), for the caller to print its own.
func (o *Output) PrintUsage() bool {
	if o.printed {
		return true
	}
	if o.fs == nil {
		return false
	}
	o.fs.Usage()
	return true
}

// usageError makes a flag parsing error (a misspelt flag, a bad value)
// a usage mistake, of kind invalid; -h stays flag.ErrHelp. The flag
// package has printed the usage already.
func usageError(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	return &parseError{err}
}

type parseError struct{ err error }

func (e *parseError) Error() string { return e.err.Error() }

func (e *parseError) Unwrap() []error { return []error{e.err, ErrUsage} }
