package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/internal/latency"
	"github.com/resindex/resindex/resolver"
)

// runBench measures the index in place. `bench search` times searches a
// member of staff would make, built from records drawn at random from the
// store, and reports latency and how often the right person is in the
// first ten results. It prints figures only, never resident data.
func runBench(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || (args[0] != "search" && args[0] != "api") {
		return fmt.Errorf("want 'bench search|api --data DIR [--queries N] [--seed S]': %w", errUsage)
	}
	fs := newFlags(e, "bench "+args[0], "--data DIR [--config FILE] [--model FILE] [--queries 1000] [--seed 1] [--role ROLE]")
	ef := addEngineFlags(fs)
	n := fs.Int("queries", 1000, "records to draw; each gives up to three queries")
	seed := fs.Uint64("seed", 1, "seed for drawing records")
	role := fs.String("role", "safeguarding", "api: the role the searches are made in")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if err := ef.resolve(); err != nil {
		return err
	}
	if *ef.data == "" || *n <= 0 {
		fs.Usage()
		return fmt.Errorf("--data and a positive --queries are required: %w", errUsage)
	}
	db, eng, err := ef.openServing()
	if err != nil {
		return err
	}
	defer db.Close()
	sample, err := resolver.Sample(db, *n, *seed)
	if err != nil {
		return err
	}
	if args[0] == "api" {
		return benchAPI(ctx, e, ef, db, eng, sample, *role)
	}
	results := map[string]*benchResult{}
	for _, s := range sample {
		for kind, q := range benchQueries(&s.Record) {
			t0 := time.Now()
			hits, err := eng.Search(q, 10)
			if err != nil {
				return err
			}
			results[kind] = results[kind].add(time.Since(t0), slices.ContainsFunc(hits, func(h resindex.Hit) bool { return h.PersonID == s.PersonID }))
		}
	}
	printBench(e, len(sample), results)
	return nil
}

// benchQueries builds the searches staff make from a record: name and
// date of birth, also with two letters of the family name swapped (a
// slip of the keyboard); name and postcode; an identifier; the family
// name alone.
func benchQueries(r *resindex.Record) map[string]resindex.Query {
	out := map[string]resindex.Query{}
	if r.Name.Family != "" && r.DOB != "" {
		out["name+dob"] = resindex.Query{Given: r.Name.Given, Family: r.Name.Family, DOB: r.DOB}
		if f := []rune(r.Name.Family); len(f) >= 4 && f[1] != f[2] {
			f[1], f[2] = f[2], f[1]
			out["typo+dob"] = resindex.Query{Given: r.Name.Given, Family: string(f), DOB: r.DOB}
		}
	}
	if r.Name.Family != "" {
		out["family"] = resindex.Query{Family: r.Name.Family} // many namesakes: timed, not expected first
	}
	if r.Name.Family != "" && len(r.Addresses) > 0 && r.Addresses[0].Postcode != "" {
		out["name+postcode"] = resindex.Query{Given: r.Name.Given, Family: r.Name.Family, Postcode: r.Addresses[0].Postcode}
	}
	for _, kind := range []string{resindex.IDNHS, resindex.IDNINO, resindex.IDUPN} {
		if v := r.Identifiers[kind]; v != "" {
			out["identifier"] = resindex.Query{Identifiers: map[string]string{kind: v}}
			break
		}
	}
	return out
}

type benchResult struct {
	lat   []time.Duration
	found int
}

func (b *benchResult) add(d time.Duration, found bool) *benchResult {
	if b == nil {
		b = &benchResult{}
	}
	b.lat = append(b.lat, d)
	if found {
		b.found++
	}
	return b
}

func printBench(e *env, records int, results map[string]*benchResult) {
	fmt.Fprintf(e.stdout, "%d records drawn\n%-14s %7s  %-44s  %s\n", records, "query", "count", "latency", "right person in first 10")
	all := &benchResult{}
	for _, kind := range []string{"name+dob", "typo+dob", "name+postcode", "identifier"} {
		r := results[kind]
		if r == nil {
			continue
		}
		all.lat, all.found = append(all.lat, r.lat...), all.found+r.found
		printBenchLine(e, kind, r)
	}
	printBenchLine(e, "all", all)
	// A family name alone has many namesakes: its latency is what counts.
	if r := results["family"]; r != nil {
		printBenchLine(e, "family alone", r)
	}
}

func printBenchLine(e *env, kind string, r *benchResult) {
	fmt.Fprintf(e.stdout, "%-14s %7d  %-44s  %.1f%%\n", kind, len(r.lat), latency.Summary(r.lat), 100*float64(r.found)/float64(max(len(r.lat), 1)))
}
