package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/fraud"
	"github.com/resindex/resindex/internal/atomicfile"
	"github.com/resindex/resindex/internal/cli"
	"github.com/resindex/resindex/resolver"
)

const fraudUsage = "resindex fraud subletting|spd --data DIR [--out FILE] [--format csv|json] [--min-score S]"

// runFraud runs one fraud check over a store and writes its findings, as
// CSV (the plain format case-management systems read) or JSON.
func runFraud(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%s: %w", fraudUsage, errUsage)
	}
	kind, err := fraud.ParseKind(args[0])
	if err != nil {
		return fmt.Errorf("%w; %s: %w", err, fraudUsage, errUsage)
	}
	fs := cli.NewFlags(e.stderr, "fraud "+args[0], "--data DIR [--key-file FILE] [--config FILE] [--out FILE] [--format csv|json] [--min-score S]")
	cf := addConfigFlags(fs, false)
	out := fs.String("out", "", "write the findings to this file (default: standard output)")
	format := fs.String("format", "csv", "csv or json")
	minScore := fs.Float64("min-score", fraud.DefaultMinScore, "report findings scoring at least this (0 to 1)")
	m, err := cf.parseMain(fs, args[1:])
	if err != nil {
		return err
	}
	defer m.Close()
	if err := csvOrJSON(*format); err != nil {
		return err
	}
	if !(*minScore >= 0 && *minScore <= 1) { // NaN too
		return fmt.Errorf("--min-score %v: want a number from 0 to 1: %w", *minScore, errUsage)
	}
	if err := m.OpenStore(); err != nil {
		return err
	}
	rep, err := runCheck(m, kind, *minScore)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "%s: %d of %d examined at or above %.2f, from %d records of %d persons as of %s, in %.1f s\n",
		kind, len(rep.Findings), rep.Examined, rep.MinScore, rep.Records, rep.Persons, rep.AsOf, rep.Took.Seconds())
	query := []string{string(kind), "min_score=" + strconv.FormatFloat(rep.MinScore, 'f', -1, 64), "results=" + strconv.Itoa(len(rep.Findings))}
	if err := auditCommand(m, "fraud", query, findingPersons(rep.Findings), "", "ok"); err != nil {
		return err
	}
	write := func(w io.Writer) error {
		if *format == "json" {
			return fraud.WriteJSON(w, rep.Findings)
		}
		return fraud.WriteCSV(w, kind, rep.Findings)
	}
	if *out == "" {
		return write(e.stdout)
	}
	return atomicfile.Write(*out, write)
}

// runCheck runs one check over an open store.
func runCheck(m *Main, kind fraud.Kind, minScore float64) (fraud.Report, error) {
	reps, err := fraud.Run(access.LeavingOut(m.DB, storeScan(m)), []fraud.Kind{kind}, fraud.Options{MinScore: minScore})
	if err != nil {
		return fraud.Report{}, fmt.Errorf("fraud %s: %w", kind, err)
	}
	return reps[0], nil
}

// storeScan reads the store's residents for the checks.
func storeScan(m *Main) fraud.Scan {
	return func(fn func(string, *resindex.Record, resindex.Property) error) error {
		return resolver.LiveRecords(m.DB, fn)
	}
}

// findingPersons are the persons findings name, for the audit entry.
func findingPersons(fs []fraud.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Subject)
		out = append(out, f.Others...)
	}
	return out
}
