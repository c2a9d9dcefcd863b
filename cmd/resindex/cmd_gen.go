package main

import (
	"flag"
	"fmt"

	"github.com/resindex/resindex/synth"
)

func runGen(e *env, args []string) error {
	fs := newFlags(e, "gen", "--persons N --seed S --out DIR")
	cfg := boroughFlags(fs, synth.DefaultConfig().Persons)
	fs.IntVar(&cfg.Years, "years", cfg.Years, "years of timeline")
	out := fs.String("out", "", "output directory")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return fmt.Errorf("--out is required: %w", errUsage)
	}
	return generate(e, *cfg, *out, newProgress(e.stderr, *quiet))
}

// boroughFlags adds the flags that shape a synthetic borough.
func boroughFlags(fs *flag.FlagSet, persons int) *synth.Config {
	cfg := synth.DefaultConfig()
	cfg.Seed, cfg.Persons = 1, persons
	fs.IntVar(&cfg.Persons, "persons", cfg.Persons, "people ever resident in the borough")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed: the same seed gives the same bytes")
	fs.BoolVar(&cfg.NoEvents, "no-events", false, "leave out the change-event timelines (events/), the largest files at large sizes")
	return &cfg
}

func generate(e *env, cfg synth.Config, dir string, prog *progress) error {
	if cfg.Persons <= 0 {
		return fmt.Errorf("--persons must be positive, got %d", cfg.Persons)
	}
	b, err := synth.Generate(cfg, prog.update)
	if err != nil {
		return err
	}
	if err := b.Write(dir); err != nil {
		return err
	}
	n := 0
	for _, rs := range b.Records {
		n += len(rs)
	}
	prog.logf("borough written to %s: %d persons, %d record versions, %d live records", dir, cfg.Persons, n, len(b.Truth))
	return nil
}
