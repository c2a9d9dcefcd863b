package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

func runDemo(e *env, args []string) error {
	fs := newFlags(e, "demo", "[--persons N] [--seed S] [--dir DIR]")
	cfg := boroughFlags(fs, 5000)
	dir := fs.String("dir", "", "where to write the borough and results (default: a new temporary directory)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *dir == "" {
		d, err := os.MkdirTemp("", "resindex-demo-")
		if err != nil {
			return err
		}
		*dir = d
	}
	prog := newProgress(e.stderr, false)
	fmt.Fprintf(e.stdout, "resindex demo: a synthetic borough of %d people in %s\n", cfg.Persons, *dir)
	if err := generate(e, *cfg, *dir, prog); err != nil {
		return err
	}
	res, err := linkFiles(e, []string{filepath.Join(*dir, "canonical")}, "", filepath.Join(*dir, "truth", "records.csv"), 0, prog)
	if err != nil {
		return err
	}
	clusters := filepath.Join(*dir, "clusters.csv")
	if err := writeFile(clusters, func(w io.Writer) error { return writeClusters(w, res) }); err != nil {
		return err
	}
	printLinkStats(e.stdout, res.Stats)
	fmt.Fprintf(e.stdout, "\nclusters written to %s\n\naccuracy against the ground truth:\n", clusters)
	return runEval(e, []string{"--truth", filepath.Join(*dir, "truth", "records.csv"), "--clusters", clusters})
}
