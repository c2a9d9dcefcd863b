package main

import (
	"context"
	"fmt"

	"github.com/resindex/resindex/internal/atomicfile"
	"github.com/resindex/resindex/internal/cli"
	"github.com/resindex/resindex/internal/progress"
	"github.com/resindex/resindex/internal/report"
	"github.com/resindex/resindex/resolver"
)

func runTrain(ctx context.Context, e *env, args []string) error {
	fs := cli.NewFlags(e.stderr, "train", "--in FILE [--in FILE…] --out model.json")
	var ins cli.Multi
	fs.Var(&ins, "in", "canonical NDJSON file, or a directory of *.ndjson (repeatable)")
	out := fs.String("out", "", "write the trained model JSON here")
	start := fs.String("model", "", "model to start from (default: the shipped model)")
	randomPairs := fs.Int("random-pairs", 0, "random pairs used to estimate u (default: ten a record, at least 300,000 and at most 1,000,000, never more than there are pairs)")
	iterations := fs.Int("iterations", 100, "EM iterations at most")
	seed := fs.Uint64("seed", 1, "seed for sampling random pairs")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return fmt.Errorf("--out is required: %w", errUsage)
	}
	if *randomPairs < 0 || *iterations < 0 {
		return fmt.Errorf("--random-pairs and --iterations cannot be negative: %w", errUsage)
	}
	model, err := resolver.LoadModel(*start)
	if err != nil {
		return err
	}
	prog := progress.New(e.stderr, *quiet)
	recs, err := readLive(e, ins, 0, prog)
	if err != nil {
		return err
	}
	opts := resolver.TrainOptions{FitOptions: resolver.FitOptions{RandomPairs: *randomPairs, Iterations: *iterations, Seed: *seed}}
	opts.Model, opts.Progress = model, prog.Update
	trained, rep, err := resolver.Train(recs, opts)
	if err != nil {
		return err
	}
	data, err := trained.Named(fmt.Sprintf("trained-%d-records", rep.Records))
	if err != nil {
		return err
	}
	if err := atomicfile.WriteBytes(*out, data); err != nil {
		return err
	}
	report.FitReport(e.stderr, rep)
	fmt.Fprintf(e.stderr, "model written to %s\n", *out)
	return nil
}
