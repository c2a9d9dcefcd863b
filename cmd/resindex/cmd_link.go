package main

import (
	"context"
	"fmt"
	"io"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/evaluate"
	"github.com/resindex/resindex/internal/atomicfile"
	"github.com/resindex/resindex/internal/cli"
	"github.com/resindex/resindex/internal/progress"
	"github.com/resindex/resindex/internal/report"
	"github.com/resindex/resindex/matcher"
	"github.com/resindex/resindex/resolver"
)

func runLink(ctx context.Context, e *env, args []string) error {
	fs := cli.NewFlags(e.stderr, "link", "--in FILE [--in FILE…] --out clusters.csv [--pairs pairs.csv] [--model model.json]")
	var ins cli.Multi
	fs.Var(&ins, "in", "canonical NDJSON file, or a directory of *.ndjson (repeatable)")
	out := fs.String("out", "", "write clusters CSV (source,id,person_id) here")
	pairs := fs.String("pairs", "", "also write scored pairs at or above the review weight here")
	modelPath := fs.String("model", "", "pin this match model JSON (from 'resindex train' or --model-out), or \"shipped\", instead of fitting one to the data")
	modelOut := fs.String("model-out", "", "save the model the link used (fitted, or pinned) here")
	showModel := fs.Bool("show-model", false, "print every level's m, u and the thresholds of the model used")
	truth := fs.String("truth", "", "ground-truth CSV (source,id,person_id): report blocking pair completeness")
	workers := fs.Int("workers", 0, "worker goroutines (default: all cores)")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile here (for performance work)")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return fmt.Errorf("--out is required: %w", errUsage)
	}
	stop, err := cli.CPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stop()
	prog := progress.New(e.stderr, *quiet)
	res, err := linkFiles(e, ins, *modelPath, *truth, *workers, prog)
	if err != nil {
		return err
	}
	if err := atomicfile.Write(*out, func(w io.Writer) error { return report.Clusters(w, res) }); err != nil {
		return err
	}
	if *pairs != "" {
		if err := atomicfile.Write(*pairs, func(w io.Writer) error { return report.Pairs(w, res) }); err != nil {
			return err
		}
	}
	if res.Fit != nil {
		report.FitReport(e.stderr, *res.Fit)
	}
	if *showModel {
		report.Model(e.stderr, res.Scorer.Model())
	}
	report.LinkStats(e.stderr, res.Stats)
	if *modelOut != "" {
		return saveModel(*modelOut, res.Scorer.Model())
	}
	return nil
}

// linkFiles reads, deduplicates and links canonical files.
func linkFiles(e *env, ins []string, modelPath, truthPath string, workers int, prog *progress.Progress) (*resolver.LinkResult, error) {
	model, err := resolver.LoadModel(modelPath)
	if err != nil {
		return nil, err
	}
	// The truth is read while the records are: reading leaves a core
	// partly idle, and a million rows of truth take seconds.
	var truth map[resindex.RecordKey]string
	truthErr := make(chan error, 1)
	go func() {
		var err error
		if truthPath != "" {
			truth, err = evaluate.ReadTruthFile(truthPath)
		}
		truthErr <- err
	}()
	latest, err := readLive(e, ins, workers, prog)
	if err != nil {
		return nil, err
	}
	opts := resolver.LinkOptions{Model: model, Workers: workers, Progress: prog.Update, ReleaseRecords: true}
	if modelPath == "" {
		opts.Fit = &resolver.FitOptions{Seed: 1}
	}
	if err := <-truthErr; err != nil {
		return nil, err
	}
	opts.Truth = truth
	res, err := resolver.Link(latest, opts)
	if err != nil {
		return nil, err
	}
	report.Problems(e.stderr, res.Profiles)
	return res, nil
}

// saveModel writes a model as it is: a fitted one is already named by its
// parameters, and a pinned one keeps its name, so that a store built
// with it accepts the file.
func saveModel(path string, m *matcher.Model) error {
	data, err := m.MarshalIndent()
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(path, data)
}
