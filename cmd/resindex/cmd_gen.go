package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/resindex/resindex/internal/cli"
	"github.com/resindex/resindex/internal/progress"
	"github.com/resindex/resindex/synth"
)

func runGen(ctx context.Context, e *env, args []string) error {
	fs := cli.NewFlags(e.stderr, "gen", "[--profile borough|people] --persons N --seed S --out DIR")
	cfg := boroughFlags(fs, synth.DefaultConfig().Persons)
	// The shared borough flags mean something else, or nothing, for people.
	fs.Lookup("persons").Usage += "; with --profile people, the true persons (about 3 records each)"
	fs.Lookup("no-events").Usage += " (borough only)"
	fs.IntVar(&cfg.Years, "years", cfg.Years, "years of timeline (borough only)")
	profile := fs.String("profile", "borough", "shape of the data: borough (households, timelines, ten council systems) or people (a flat list of persons in three registers, like public linkage benchmarks)")
	out := fs.String("out", "", "output directory")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		fs.Usage()
		return fmt.Errorf("--out is required: %w", errUsage)
	}
	prog := progress.New(e.stderr, *quiet)
	switch *profile {
	case "borough":
		return generate(*cfg, *out, prog)
	case "people":
		if err := boroughOnly(fs); err != nil {
			return err
		}
		return generatePeople(synth.PeopleConfig{Persons: cfg.Persons, Seed: cfg.Seed}, *out, prog)
	}
	fs.Usage()
	return fmt.Errorf("--profile must be borough or people, got %q: %w", *profile, errUsage)
}

// boroughOnly refuses the flags that shape only a borough, so that a
// people run never silently ignores what was asked of it.
func boroughOnly(fs *flag.FlagSet) error {
	var set []string
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "years" || f.Name == "no-events" {
			set = append(set, "--"+f.Name)
		}
	})
	if len(set) > 0 {
		fs.Usage()
		return fmt.Errorf("%s applies only to --profile borough: %w", strings.Join(set, " and "), errUsage)
	}
	return nil
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

// generate writes a borough, saying what it wrote.
func generate(cfg synth.Config, dir string, prog *progress.Progress) error {
	if cfg.Persons <= 0 {
		return fmt.Errorf("--persons must be positive, got %d", cfg.Persons)
	}
	versions, live, err := synth.GenerateTo(cfg, dir, prog.Update)
	if err != nil {
		return err
	}
	prog.Logf("borough written to %s: %d persons, %d record versions, %d live records", dir, cfg.Persons, versions, live)
	return nil
}

// generatePeople writes the people profile: canonical records and their
// truth only, which is all link, eval and train need.
func generatePeople(cfg synth.PeopleConfig, dir string, prog *progress.Progress) error {
	if cfg.Persons <= 0 {
		return fmt.Errorf("--persons must be positive, got %d", cfg.Persons)
	}
	n, err := synth.GeneratePeopleTo(cfg, dir)
	if err != nil {
		return err
	}
	prog.Logf("people written to %s: %d persons, %d records in %s; canonical/ and truth/records.csv only (no native/, events/, errors or scenarios: this profile has no households or timelines)",
		dir, cfg.Persons, n, strings.Join(synth.PeopleSources, ", "))
	return nil
}
