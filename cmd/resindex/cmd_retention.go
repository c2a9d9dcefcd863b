package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"text/tabwriter"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/connectors/mapping"
	"github.com/resindex/resindex/internal/cli"
	"github.com/resindex/resindex/resolver"
)

// runRetention lists (--dry-run) or purges the records past their
// source's retention period (retention.sources, else the activity
// window), by source and count, and audits the run.
func runRetention(ctx context.Context, e *env, args []string) error {
	fs := cli.NewFlags(e.stderr, "retention", "--data DIR [--key-file FILE] [--config FILE] [--dry-run]")
	cf := addConfigFlags(fs, false)
	dry := fs.Bool("dry-run", false, "list what would go, by source and count, and remove nothing")
	m, err := cf.parseMain(fs, args)
	if err != nil {
		return err
	}
	defer m.Close()
	opts, err := retentionOptions(m)
	if err != nil {
		return err
	}
	if *dry {
		if err := m.OpenStore(); err != nil {
			return err
		}
		keys, err := resolver.Expired(m.DB, opts)
		if err != nil {
			return err
		}
		by := resolver.CountBySource(keys)
		if err := auditCommand(m, "retention", retentionQuery(true, by, len(keys)), nil, "", "ok"); err != nil {
			return err
		}
		return writeRetention(e.stdout, by, len(keys), "would go")
	}
	if err := m.OpenEngine(engineSetup{}); err != nil {
		return err
	}
	by, n, err := resolver.PurgeExpired(m.DB, retentionPurger(m), opts)
	if aerr := auditRetention(m, by, n, err); aerr != nil {
		return aerr
	}
	if err != nil {
		return err
	}
	return writeRetention(e.stdout, by, n, "removed")
}

// retentionOptions are the configuration's retention periods, sources
// checked against the mapped ones.
func retentionOptions(m *Main) (resolver.RetentionOptions, error) {
	set, err := mapping.ShippedWith(m.Config.Mappings)
	if err != nil {
		return resolver.RetentionOptions{}, err
	}
	return m.Config.RetentionOptions(set.Sources())
}

// retentionPurger removes records for retention: entirely, as erasure
// does (resolver.PurgeRecords: persons, households and indexes re-derived,
// tombstones, overrides and review pairs gone), then compacts the store so
// that their bytes leave its files too.
func retentionPurger(m *Main) resolver.Purger { return enginePurger{m} }

type enginePurger struct{ m *Main }

func (p enginePurger) PurgeRecords(keys []resindex.RecordKey, still func(*resindex.Record) bool) (map[string]int, error) {
	rep, err := p.m.Engine.PurgeRecordsWhere(keys, still)
	n := 0
	for _, c := range rep.Records {
		n += c
	}
	if n == 0 {
		return rep.Records, err
	}
	// Whatever was purged leaves the files, even when the purge stopped
	// part way.
	if cerr := p.m.DB.Compact(); cerr != nil {
		return rep.Records, errors.Join(err, fmt.Errorf("retention: compact the store after purging %d records: %w", n, cerr))
	}
	return rep.Records, err
}

// auditRetention writes a purge's audit entry: counts by source, never
// the records' values.
func auditRetention(m *Main, by map[string]int, n int, err error) error {
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	return auditCommand(m, "retention", retentionQuery(false, by, n), nil, "retention period passed", outcome)
}

// retentionQuery says what a run did for the audit log.
func retentionQuery(dry bool, by map[string]int, total int) []string {
	q := []string{"purge"}
	if dry {
		q[0] = "dry-run"
	}
	for _, src := range slices.Sorted(maps.Keys(by)) {
		q = append(q, src+"="+strconv.Itoa(by[src]))
	}
	return append(q, "records="+strconv.Itoa(total))
}

// writeRetention prints the counts by source and the total.
func writeRetention(w io.Writer, by map[string]int, total int, what string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "source\trecords %s\n", what)
	for _, src := range slices.Sorted(maps.Keys(by)) {
		fmt.Fprintf(tw, "%s\t%d\n", src, by[src])
	}
	fmt.Fprintf(tw, "total\t%d\n", total)
	return tw.Flush()
}

// startRetention purges expired records on serve's schedule
// (retention.every; off: never) until the returned stop is called.
// Each run that removes anything is audited.
func startRetention(ctx context.Context, m *Main, log *slog.Logger) (func(), error) {
	every, err := m.Config.RetentionEvery()
	if err != nil || every == 0 {
		return func() {}, err
	}
	opts, err := retentionOptions(m)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		resolver.RetentionSchedule(ctx, m.DB, retentionPurger(m), opts, every, func(by map[string]int, n int, err error) {
			if n == 0 && err == nil {
				return
			}
			if aerr := auditRetention(m, by, n, err); aerr != nil {
				log.Error("retention: audit the purge", "err", aerr)
			}
		})
	}()
	return func() { cancel(); <-done }, nil
}
