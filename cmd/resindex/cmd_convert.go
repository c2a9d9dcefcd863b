package main

import (
	"context"
	"fmt"

	"github.com/resindex/resindex/internal/cli"
	"github.com/resindex/resindex/internal/febrl"
)

// runConvert turns a public benchmark's files into canonical NDJSON and a
// truth file, laid out as `gen` lays out a borough (see internal/febrl).
func runConvert(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "febrl" {
		return fmt.Errorf("want 'convert febrl --in FILE [--in FILE…] [--ssn] --out DIR': %w", errUsage)
	}
	fs := cli.NewFlags(e.stderr, "convert febrl", "--in FILE [--in FILE…] [--ssn] --out DIR")
	var ins cli.Multi
	fs.Var(&ins, "in", "Febrl CSV file (repeatable; the files of one linkage task, e.g. dataset4a.csv and dataset4b.csv, share their persons)")
	ssn := fs.Bool("ssn", false, "keep soc_sec_id as the identifier soc_sec_id (left out by default: a council rarely has such an identifier)")
	out := fs.String("out", "", "output directory: writes canonical/<file name>.ndjson and truth/records.csv")
	if err := cli.Parse(fs, args[1:]); err != nil {
		return err
	}
	if len(ins) == 0 || *out == "" {
		fs.Usage()
		return fmt.Errorf("--in and --out are required: %w", errUsage)
	}
	c, err := febrl.Convert(ins, *ssn, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "converted %d records of %d persons from %d files to %s (canonical/, truth/records.csv)\n",
		c.Records, c.Persons, c.Files, *out)
	return nil
}
