package main

import (
	"context"
	"fmt"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/internal/cli"
)

func runExplain(ctx context.Context, e *env, args []string) error {
	fs := cli.NewFlags(e.stderr, "explain", "--in FILE [--in FILE…] [--model model.json] SOURCE/ID SOURCE/ID")
	var ins cli.Multi
	fs.Var(&ins, "in", "canonical NDJSON file, or a directory of *.ndjson (repeatable)")
	modelPath := fs.String("model", "", "match model JSON (default: the shipped model)")
	pos, err := cli.ParseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || len(ins) == 0 {
		fs.Usage()
		return fmt.Errorf("want --in and two records as SOURCE/ID: %w", errUsage)
	}
	a, err := resindex.ParseRecordKey(pos[0])
	if err != nil {
		return err
	}
	b, err := resindex.ParseRecordKey(pos[1])
	if err != nil {
		return err
	}
	ex, err := explainer(e, ins, *modelPath)
	if err != nil {
		return err
	}
	x, ok := ex.Explain(a, b)
	if !ok {
		return fmt.Errorf("record %s or %s not found among the live records of the input", a, b)
	}
	return x.Format(e.stdout)
}
