package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/resindex/resindex/internal/atomicfile"
	"github.com/resindex/resindex/internal/config"
	"github.com/resindex/resindex/store"
)

// Scheduled backups: serve writes the store's online backup (Badger's
// stream backup, a consistent snapshot while changes go on) into
// backup.dir every backup.every and keeps the newest backup.keep.

// backupName is the file of a backup taken at t: names sort by time.
func backupName(t time.Time) string {
	return "resindex-" + t.UTC().Format("20060102T150405Z") + ".backup"
}

// backupPattern matches backupName's files and no other: pruning never
// touches a file it did not write.
var backupPattern = regexp.MustCompile(`^resindex-\d{8}T\d{6}Z\.backup$`)

// backupMetrics count scheduled backups on the server's registry.
type backupMetrics struct {
	runs        *prometheus.CounterVec
	lastSuccess prometheus.Gauge
}

func newBackupMetrics(reg prometheus.Registerer) *backupMetrics {
	if reg == nil {
		return nil
	}
	f := promauto.With(reg)
	return &backupMetrics{
		runs: f.NewCounterVec(prometheus.CounterOpts{Name: "resindex_backups_total",
			Help: "Scheduled backups of the store, by outcome (success, failure)."}, []string{"outcome"}),
		lastSuccess: f.NewGauge(prometheus.GaugeOpts{Name: "resindex_backup_last_success_timestamp_seconds",
			Help: "When the last scheduled backup was written (Unix time)."}),
	}
}

// backupScheduler takes the scheduled backups of one store.
type backupScheduler struct {
	db      *store.DB
	cfg     config.Backup
	log     *slog.Logger
	metrics *backupMetrics
	now     func() time.Time
}

// startBackups takes a backup every backup.every until stop; off when
// backup.every is unset. A failed backup is logged and counted, and the
// next tick tries again: it never stops the server.
func startBackups(ctx context.Context, m *Main, reg prometheus.Registerer, log *slog.Logger) (stop func(), err error) {
	cfg := m.Config.Backup
	if cfg.Every <= 0 {
		return func() {}, nil
	}
	cfg.Keep = cmp.Or(cfg.Keep, config.DefaultBackupKeep)
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("backup.dir: %w", err)
	}
	b := &backupScheduler{db: m.DB, cfg: cfg, log: log, metrics: newBackupMetrics(reg), now: time.Now}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(cfg.Every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				b.once()
			}
		}
	}()
	log.Info("scheduled backups", "dir", cfg.Dir, "every", cfg.Every.String(), "keep", cfg.Keep)
	return func() { cancel(); <-done }, nil
}

// once takes one backup and prunes the old ones.
func (b *backupScheduler) once() {
	start := b.now()
	path := filepath.Join(b.cfg.Dir, backupName(start))
	err := atomicfile.Write(path, func(w io.Writer) error { return b.db.Backup(w) })
	outcome := "success"
	if err != nil {
		outcome = "failure"
		b.log.Error("scheduled backup failed; the next is tried at the next tick", "file", path, "err", err)
	} else {
		b.log.Info("scheduled backup written", "file", path, "seconds", time.Since(start).Seconds())
		if b.metrics != nil {
			b.metrics.lastSuccess.Set(float64(b.now().Unix()))
		}
		b.prune()
	}
	if b.metrics != nil {
		b.metrics.runs.WithLabelValues(outcome).Inc()
	}
}

// prune deletes the oldest of backup.dir's backups beyond backup.keep.
func (b *backupScheduler) prune() {
	entries, err := os.ReadDir(b.cfg.Dir)
	if err != nil {
		b.log.Error("scheduled backups: list the old ones", "dir", b.cfg.Dir, "err", err)
		return
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && backupPattern.MatchString(e.Name()) {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	for len(names) > b.cfg.Keep {
		path := filepath.Join(b.cfg.Dir, names[0])
		if err := os.Remove(path); err != nil {
			b.log.Error("scheduled backups: remove an old one", "file", path, "err", err)
		} else {
			b.log.Info("scheduled backup removed (beyond backup.keep)", "file", path)
		}
		names = names[1:]
	}
}
