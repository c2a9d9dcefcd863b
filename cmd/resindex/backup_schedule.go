package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/resindex/resindex/internal/atomicfile"
	"github.com/resindex/resindex/internal/config"
	"github.com/resindex/resindex/store"
)

// Scheduled backups: serve writes the store's online backup (a
// consistent snapshot while changes go on; encrypted if the store is)
// into backup.dir every backup.every and keeps the newest backup.keep.
// The first comes every after the newest backup of the store already in
// backup.dir, but at least backupFirstDelay after the start (so that it
// does not slow the start), so a server restarted more often than every
// still takes its backups.

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
	files   backupFiles
	cfg     config.Backup
	log     *slog.Logger
	metrics *backupMetrics
	now     func() time.Time
}

// backupFirstDelay is how long after the start the first backup comes at
// the earliest (or backup.every, if shorter).
const backupFirstDelay = time.Minute

// startBackups takes a backup every backup.every until stop; off when
// backup.every is unset. A failed backup is logged and counted, and the
// next is tried at the next interval: it never stops the server. stop
// cancels a backup in progress (its temporary file is removed).
func startBackups(ctx context.Context, m *Main, reg prometheus.Registerer, log *slog.Logger) (stop func(), err error) {
	cfg := m.Config.Backup
	if cfg.Every <= 0 {
		return func() {}, nil
	}
	cfg.Keep = cmp.Or(cfg.Keep, config.DefaultBackupKeep)
	if err := cfg.ApartFrom(m.Config.Data); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("backup.dir: %w", err)
	}
	id, err := m.DB.ID()
	if err != nil {
		return nil, fmt.Errorf("scheduled backups: the store's identity: %w", err)
	}
	b := &backupScheduler{db: m.DB, files: newBackupFiles(cfg.Dir, id), cfg: cfg, log: log, metrics: newBackupMetrics(reg), now: time.Now}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	first := b.firstAt()
	go func() {
		defer close(done)
		b.run(ctx, first)
	}()
	log.Info("scheduled backups", "dir", cfg.Dir, "every", cfg.Every.String(), "keep", cfg.Keep, "first", first.UTC().Format(time.RFC3339))
	return func() { cancel(); <-done }, nil
}

// firstAt is when the first backup is due: every after the newest of
// the store's backups, but not before the start's delay.
func (b *backupScheduler) firstAt() time.Time {
	earliest := b.now().Add(min(backupFirstDelay, b.cfg.Every))
	newest, ok := b.files.newest()
	if !ok {
		return earliest
	}
	return later(newest.Add(b.cfg.Every), earliest)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// run takes a backup at next and every backup.every after each start,
// until ctx is done.
func (b *backupScheduler) run(ctx context.Context, next time.Time) {
	for {
		t := time.NewTimer(next.Sub(b.now()))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		next = b.now().Add(b.cfg.Every)
		b.once(ctx)
	}
}

// once takes one backup and prunes the old ones.
func (b *backupScheduler) once(ctx context.Context) {
	start := b.now()
	path := b.files.path(b.files.name(start))
	err := atomicfile.Write(path, func(w io.Writer) error { return b.db.Backup(ctx, w) })
	outcome := "success"
	if err != nil && ctx.Err() != nil {
		// The server is stopping: not a failure to alert on.
		b.log.Info("scheduled backup stopped: the server is stopping", "file", path)
		return
	}
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

// prune deletes the oldest of this store's backups beyond backup.keep:
// other stores' backups in backup.dir, and other files, stay.
func (b *backupScheduler) prune() {
	names, err := b.files.list()
	if err != nil {
		b.log.Error("scheduled backups: list the old ones", "dir", b.cfg.Dir, "err", err)
		return
	}
	for len(names) > b.cfg.Keep {
		path := b.files.path(names[0])
		if err := os.Remove(path); err != nil {
			b.log.Error("scheduled backups: remove an old one", "file", path, "err", err)
		} else {
			b.log.Info("scheduled backup removed (beyond backup.keep)", "file", path)
		}
		names = names[1:]
	}
}
