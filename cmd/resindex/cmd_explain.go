package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/resindex/resindex"
)

func runExplain(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "explain", "--in FILE [--in FILE…] [--model model.json] SOURCE/ID SOURCE/ID")
	var ins multiFlag
	fs.Var(&ins, "in", "canonical NDJSON file, or a directory of *.ndjson (repeatable)")
	modelPath := fs.String("model", "", "match model JSON (default: the shipped model)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || len(ins) == 0 {
		fs.Usage()
		return fmt.Errorf("want --in and two records as SOURCE/ID: %w", errUsage)
	}
	a, err := parseKey(pos[0])
	if err != nil {
		return err
	}
	b, err := parseKey(pos[1])
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

func parseKey(s string) (resindex.RecordKey, error) {
	src, id, ok := strings.Cut(s, "/")
	if !ok || src == "" || id == "" {
		return resindex.RecordKey{}, fmt.Errorf("record %q: want SOURCE/ID, e.g. electoral_roll/ER-1", s)
	}
	return resindex.RecordKey{Source: src, ID: id}, nil
}
