// Package cli is the command line's machinery, apart from what any
// command does: flag sets that report rather than exit, refusing stray
// arguments, repeatable flags, reading a time flag, and Go's CPU
// profiler for performance work. A mistake in what was asked is an
// error of kind resindex.ErrInvalid (exit status 2).
package cli
