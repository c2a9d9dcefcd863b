// Command resindex is the resident index: it generates a synthetic
// borough, links records into persons, trains and explains the match model
// and measures accuracy. This package only parses flags and wires the
// packages together.
package main
