package resolver

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// DefaultRetention is how long a record is kept without activity when
// its source has no period of its own: the activity window's two years.
const DefaultRetention = 2 * 365 * 24 * time.Hour

// RetentionOptions say how long each source's records are kept after
// their last activity.
type RetentionOptions struct {
	// Periods are per-source periods; a source not listed keeps its
	// records for Default.
	Periods map[string]time.Duration
	// Default: DefaultRetention when 0.
	Default time.Duration
	// Now is the clock, injected for tests; default time.Now.
	Now func() time.Time
}

func (o *RetentionOptions) defaults() {
	if o.Default <= 0 {
		o.Default = DefaultRetention
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// period is a source's retention period.
func (o *RetentionOptions) period(source string) time.Duration {
	if p, ok := o.Periods[source]; ok && p > 0 {
		return p
	}
	return o.Default
}

// Expired lists the stored records past their source's retention period,
// in key order: those whose last activity (else, when they have none,
// their version's time) is older than their source's clock less the
// period. A source's clock is the newest version it has applied when that
// is earlier than now, as the activity window reckons it (change.active):
// a source that stopped sending does not see its whole history expire.
// A record that carries no date at all, and deletions, are never listed.
func Expired(s Store, o RetentionOptions) ([]resindex.RecordKey, error) {
	o.defaults()
	clocks, err := loadClocks(s)
	if err != nil {
		return nil, fmt.Errorf("resolver: retention: load the data's clock: %w", err)
	}
	now := o.Now()
	var out []resindex.RecordKey
	err = s.View(func(t resindex.Txn) error {
		return t.Scan([]byte(layout.RecordPrefix), func(key, val []byte) error {
			var r resindex.Record
			if err := layout.DecodeRecord(val, &r); err != nil {
				return fmt.Errorf("resolver: retention: stored record %s is corrupt: %w", layout.ParseRecID(string(key[len(layout.RecordPrefix):])), err)
			}
			if !r.Deleted && expired(&r, sourceNow(clocks, r.Source, now).Add(-o.period(r.Source))) {
				out = append(out, r.Key())
			}
			return nil
		})
	})
	return out, err
}

// stillExpired checks a record again as it is purged: a source may have
// sent a fresh version since Expired listed it, and the source has
// moved on, so nothing would send it again.
func stillExpired(s Store, o RetentionOptions) (func(*resindex.Record) bool, error) {
	o.defaults()
	clocks, err := loadClocks(s)
	if err != nil {
		return nil, fmt.Errorf("resolver: retention: load the data's clock: %w", err)
	}
	now := o.Now()
	return func(r *resindex.Record) bool {
		return !r.Deleted && expired(r, sourceNow(clocks, r.Source, now).Add(-o.period(r.Source)))
	}, nil
}

// sourceNow is a source's clock: its newest applied version when that is
// before now.
func sourceNow(clocks map[string]time.Time, source string, now time.Time) time.Time {
	if v := clocks[source]; !v.IsZero() && v.Before(now) {
		return v
	}
	return now
}

// expired reports whether a record's last sign of life is before cutoff:
// its last activity (a partial date from its latest day), else its
// version's time.
func expired(r *resindex.Record, cutoff time.Time) bool {
	if d, err := resindex.ParsePartialDate(r.LastActivity); err == nil && !d.IsZero() {
		return d.Latest().Before(cutoff)
	}
	if v, err := time.Parse(time.RFC3339, r.Version); err == nil {
		return v.Before(cutoff)
	}
	return false // nothing says how old it is
}

// CountBySource counts record keys by source.
func CountBySource(keys []resindex.RecordKey) map[string]int {
	out := map[string]int{}
	for _, k := range keys {
		out[k.Source]++
	}
	return out
}

// Purger removes records entirely and re-derives what rested on them
// (the engine's PurgeRecordsWhere), returning how many it removed by
// source: those of the keys for which still holds of the version stored
// when each is purged (what it removed before a failure, too).
type Purger interface {
	PurgeRecords(keys []resindex.RecordKey, still func(*resindex.Record) bool) (map[string]int, error)
}

// PurgeExpired removes the records past their retention periods and
// returns those it removed, counted by source, and in all (after a
// failure, what was removed before it).
func PurgeExpired(s Store, p Purger, o RetentionOptions) (map[string]int, int, error) {
	keys, err := Expired(s, o)
	if err != nil || len(keys) == 0 {
		return nil, 0, err
	}
	still, err := stillExpired(s, o)
	if err != nil {
		return nil, 0, err
	}
	by, err := p.PurgeRecords(keys, still)
	n := 0
	for _, c := range by {
		n += c
	}
	if err != nil {
		return by, n, fmt.Errorf("resolver: retention: purge %d records: %w", len(keys), err)
	}
	return by, n, nil
}

// RetentionSchedule purges expired records every interval until ctx
// ends, the first time one interval after it starts. A failed run is
// logged and tried again at the next; after each run done (if set) is
// called with the counts by source and the total removed, or the error.
func RetentionSchedule(ctx context.Context, s Store, p Purger, o RetentionOptions, every time.Duration, done func(map[string]int, int, error)) {
	tick := time.NewTicker(cmp.Or(every, 24*time.Hour))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		bySource, n, err := PurgeExpired(s, p, o)
		if err != nil {
			slog.Error("retention: purge failed; trying again at the next run", "err", err)
		} else if n > 0 {
			sources := slices.Sorted(maps.Keys(bySource))
			slog.Info("retention: purged records past their periods", "records", n, "sources", sources)
		}
		if done != nil {
			done(bySource, n, err)
		}
	}
}
