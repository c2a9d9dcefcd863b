package resolver_test

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
)

var retentionNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// retentionClocks are the sources' newest versions in retentionStore:
// libraries stopped sending in January 2025.
var retentionClocks = map[string]time.Time{
	resindex.SourceCouncilTax: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC),
	resindex.SourceLibraries:  time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
}

// retentionStore is a small generated store: for each source, ten records
// last active 0, 100, … 900 days before the source's clock; besides, a
// council-tax record with no last activity written in 2020, one with no
// date at all, and a library record deleted long ago.
func retentionStore(t *testing.T) (*store.DB, *resolver.Engine) {
	t.Helper()
	db := MustStore(t)
	eng := MustEngine(t, db, resolver.EngineOptions{Population: 100, Now: func() time.Time { return retentionNow }})
	apply := applier(t, eng)
	n := 0
	rec := func(src, activity, version string) resindex.Record {
		n++
		return resindex.Record{Source: src, ID: fmt.Sprintf("R%03d", n), Version: version, LastActivity: activity,
			Name: resindex.Name{Given: fmt.Sprintf("Given%03d", n), Family: fmt.Sprintf("Family%03d", n)}, DOB: fmt.Sprintf("19%02d-01-01", 40+n)}
	}
	for _, src := range []string{resindex.SourceCouncilTax, resindex.SourceLibraries} {
		clock := retentionClocks[src]
		for i := range 10 {
			apply(rec(src, clock.AddDate(0, 0, -100*i).Format(time.DateOnly), clock.Format(time.RFC3339)))
		}
	}
	apply(rec(resindex.SourceCouncilTax, "", "2020-01-01T00:00:00Z"))
	apply(rec(resindex.SourceCouncilTax, "", "17"))
	gone := rec(resindex.SourceLibraries, "2015-01-01", "2016-01-01T00:00:00Z")
	apply(gone)
	apply(resindex.Record{Source: gone.Source, ID: gone.ID, Deleted: true})
	return db, eng
}

// Expired lists exactly the records past their source's period, each
// source reckoned on its own clock.
func TestExpiredBySource(t *testing.T) {
	db, _ := retentionStore(t)
	day := 24 * time.Hour
	for _, c := range []struct {
		name    string
		periods map[string]time.Duration
		want    map[string]int
	}{
		{"default two years", nil, map[string]int{resindex.SourceCouncilTax: 3, resindex.SourceLibraries: 2}},
		{"libraries a year", map[string]time.Duration{resindex.SourceLibraries: 365 * day}, map[string]int{resindex.SourceCouncilTax: 3, resindex.SourceLibraries: 6}},
		{"council tax 50 days", map[string]time.Duration{resindex.SourceCouncilTax: 50 * day}, map[string]int{resindex.SourceCouncilTax: 10, resindex.SourceLibraries: 2}},
		{"council tax ten years", map[string]time.Duration{resindex.SourceCouncilTax: 3650 * day}, map[string]int{resindex.SourceLibraries: 2}},
		{"both long", map[string]time.Duration{resindex.SourceCouncilTax: 3650 * day, resindex.SourceLibraries: 1000 * day}, map[string]int{}},
	} {
		keys, err := resolver.Expired(db, resolver.RetentionOptions{Periods: c.periods, Now: func() time.Time { return retentionNow }})
		if err != nil {
			t.Fatal(err)
		}
		if got := resolver.CountBySource(keys); !maps.Equal(got, c.want) {
			t.Errorf("%s: expired %v, want %v", c.name, got, c.want)
		}
	}
}

// purger purges through the engine's PurgeRecords, as serve does: the
// records removed entirely, tombstones too.
type purger struct {
	eng *resolver.Engine
	run int
}

func (p *purger) PurgeRecords(keys []resindex.RecordKey, still func(*resindex.Record) bool) (map[string]int, error) {
	p.run++
	rep, err := p.eng.PurgeRecordsWhere(keys, still)
	return rep.Records, err
}

// The schedule purges what has expired, and only that, and the next run
// finds nothing more.
func TestRetentionSchedule(t *testing.T) {
	db, eng := retentionStore(t)
	opts := resolver.RetentionOptions{Now: func() time.Time { return retentionNow }}
	before, _ := resolver.Expired(db, opts)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	var runs []int
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		resolver.RetentionSchedule(ctx, db, &purger{eng: eng}, opts, 5*time.Millisecond, func(by map[string]int, n int, err error) {
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if runs = append(runs, n); len(runs) == 2 {
				cancel()
			}
		})
	}()
	wg.Wait()
	if runs[0] != len(before) || runs[1] != 0 {
		t.Errorf("runs purged %v records; want %d then none", runs, len(before))
	}
	for _, k := range before {
		if pid, ok := eng.PersonOf(k); ok {
			t.Errorf("record %s purged but still of person %s", k, pid)
		}
	}
	if left := personByID(t, db); len(left) != 22-len(before) {
		t.Errorf("%d records left with persons, want %d", len(left), 22-len(before))
	}
}

// freshening is a purger that, before purging, has the source send a
// fresh version of the first record chosen, as a live feed may between
// the choice and the purge.
type freshening struct {
	purger
	fresh resindex.Record
}

func (p *freshening) PurgeRecords(keys []resindex.RecordKey, still func(*resindex.Record) bool) (map[string]int, error) {
	if _, err := p.eng.Apply(p.fresh, resindex.Position{Stream: "late", Offset: 1}); err != nil {
		return nil, err
	}
	return p.purger.PurgeRecords(keys, still)
}

// TestRetentionKeepsAFreshVersion: a record past its period whose source
// sends a fresh version before it is purged is kept (the source has
// moved on and would not send it again).
func TestRetentionKeepsAFreshVersion(t *testing.T) {
	db, eng := retentionStore(t)
	opts := resolver.RetentionOptions{Now: func() time.Time { return retentionNow }}
	before, err := resolver.Expired(db, opts)
	if err != nil || len(before) < 2 {
		t.Fatalf("expired %v, %v: the test needs two", before, err)
	}
	var fresh resindex.Record
	err = db.View(func(tx resindex.Txn) error {
		v, err := tx.Get(layout.Record(before[0]))
		if err == nil {
			err = layout.DecodeRecord(v, &fresh)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	fresh.Version, fresh.LastActivity = retentionNow.Format(time.RFC3339), retentionNow.Format(time.DateOnly)
	by, n, err := resolver.PurgeExpired(db, &freshening{purger: purger{eng: eng}, fresh: fresh}, opts)
	if err != nil || n != len(before)-1 {
		t.Fatalf("purged %d, %v; want all but the fresh one (%d)", n, err, len(before)-1)
	}
	if want := resolver.CountBySource(before); by[before[0].Source] != want[before[0].Source]-1 {
		t.Errorf("counted by source %v; want %v less the fresh one", by, want)
	}
	if _, ok := eng.PersonOf(before[0]); !ok {
		t.Errorf("the freshly sent record %s was purged", before[0])
	}
}
