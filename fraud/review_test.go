package fraud

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/store"
)

func TestReviewCheck(t *testing.T) {
	good := Review{Finding: "FS0123456789ab", Outcome: "no_fraud", By: "ann", Role: "fraud", At: time.Now()}
	tests := []struct {
		name  string
		edit  func(*Review)
		field string // "" when valid
	}{
		{"valid", func(*Review) {}, ""},
		{"an spd finding", func(r *Review) { r.Finding = "FDabcdef012345" }, ""},
		{"no finding", func(r *Review) { r.Finding = "" }, "finding_id"},
		{"another prefix", func(r *Review) { r.Finding = "FX0123456789ab" }, "finding_id"},
		{"upper-case hex", func(r *Review) { r.Finding = "FS0123456789AB" }, "finding_id"},
		{"too long", func(r *Review) { r.Finding = "FS0123456789abc" }, "finding_id"},
		{"unknown outcome", func(r *Review) { r.Outcome = "guilty" }, "outcome"},
		{"no outcome", func(r *Review) { r.Outcome = "" }, "outcome"},
		{"a note too long", func(r *Review) { r.Note = strings.Repeat("x", MaxNoteLen+1) }, "note"},
		{"nobody", func(r *Review) { r.By = "" }, "by"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := good
			tc.edit(&r)
			err := r.Check()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("a valid review refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "field "+tc.field) || resindex.KindOf(err) != resindex.KindOf(resindex.NewError(resindex.ErrInvalid, "")) {
				t.Fatalf("got %v, want an invalid error naming field %s", err, tc.field)
			}
		})
	}
}

func TestReviewsKeptInTheStore(t *testing.T) {
	db, err := store.Open(store.Options{Dir: t.TempDir(), GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r := Review{Finding: "FD0123456789ab", Outcome: "referred", Note: "visit booked", By: "ann", Role: "fraud", At: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	if err := db.Update(func(t resindex.Txn) error { return SaveReview(t, r) }); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(t resindex.Txn) error { return SaveReview(t, Review{Finding: "nope"}) }); err == nil {
		t.Fatal("an invalid review was saved")
	}
	err = db.View(func(tx resindex.Txn) error {
		got, ok, err := GetReview(tx, r.Finding)
		if err != nil || !ok || got != r {
			t.Errorf("GetReview = %+v, %v, %v", got, ok, err)
		}
		if _, ok, err := GetReview(tx, "FS000000000000"); ok || err != nil {
			t.Errorf("a finding never reviewed: %v, %v", ok, err)
		}
		all, err := Reviews(tx)
		if err != nil || len(all) != 1 || all[r.Finding] != r {
			t.Errorf("Reviews = %+v, %v", all, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCacheRunsOnceAndRefreshesWhenStale(t *testing.T) {
	var runs atomic.Int32
	base := people{{record(resindex.SourceHousing, "TEN1-01", home, "2015-03-01", "2023-04-01", lead("TEN1", "2015-03-01"))}}.scan()
	scan := func(fn func(string, *resindex.Record, resindex.Property) error) error {
		runs.Add(1)
		return base(fn)
	}
	c := NewCache(scan, time.Hour)
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	c.now = func() time.Time { return now }
	rep, at, err := c.Report(context.Background(), Subletting)
	if err != nil || len(rep.Findings) != 1 || !at.Equal(now) {
		t.Fatalf("first report: %d findings at %v, %v", len(rep.Findings), at, err)
	}
	if _, _, err := c.Report(context.Background(), SPD); err != nil || runs.Load() != 1 {
		t.Fatalf("a fresh run was run again: %d runs, %v", runs.Load(), err)
	}
	now = now.Add(2 * time.Hour)
	if _, _, err := c.Report(context.Background(), SPD); err != nil {
		t.Fatal(err)
	}
	for c.Running() {
		time.Sleep(time.Millisecond)
	}
	if runs.Load() != 2 {
		t.Errorf("a stale run was not refreshed: %d runs", runs.Load())
	}
}

func TestCacheCloseEndsARun(t *testing.T) {
	started := make(chan struct{})
	scan := func(fn func(string, *resindex.Record, resindex.Property) error) error {
		r := record(resindex.SourceElectoralRoll, "ER1", home, "2020-01-01", asOf)
		for i := 0; ; i++ {
			if i == 1 {
				close(started)
			}
			if err := fn("P1", &r, resindex.Property{}); err != nil {
				return err
			}
		}
	}
	c := NewCache(scan, time.Hour)
	c.Refresh()
	<-started
	c.Close()
	if c.Running() {
		t.Fatal("a run outlived Close")
	}
	c.Refresh()
	if c.Running() {
		t.Fatal("a closed cache started a run")
	}
	if _, _, err := c.Report(context.Background(), SPD); err == nil {
		t.Fatal("a closed cache with no run gave a report")
	}
}

// TestCacheForget: after an erasure, the findings held and those of a run
// already in progress (which read the store before the erasure) are never
// served; a cache never read starts no run at all.
func TestCacheForget(t *testing.T) {
	var runs atomic.Int32
	gone := atomic.Bool{}
	release := make(chan struct{})
	base := people{{record(resindex.SourceHousing, "TEN1-01", home, "2015-03-01", "2023-04-01", lead("TEN1", "2015-03-01"))}}.scan()
	scan := func(fn func(string, *resindex.Record, resindex.Property) error) error {
		if runs.Add(1) == 2 {
			<-release // the run in progress while the person is erased
		}
		if gone.Load() {
			return nil
		}
		return base(fn)
	}
	c := NewCache(scan, time.Hour)
	defer c.Close()
	c.Forget() // never read: nothing runs
	if c.Running() || runs.Load() != 0 {
		t.Fatal("Forget on a cache never read started a run")
	}
	if rep, _, err := c.Report(context.Background(), Subletting); err != nil || len(rep.Findings) != 1 {
		t.Fatalf("first report: %d findings, %v", len(rep.Findings), err)
	}
	c.Refresh() // run 2 starts, and waits, having read nothing yet
	gone.Store(true)
	c.Forget()
	close(release)
	rep, _, err := c.Report(context.Background(), Subletting)
	if err != nil || len(rep.Findings) != 0 {
		t.Fatalf("after Forget: %d findings, %v; want none", len(rep.Findings), err)
	}
	if runs.Load() != 3 {
		t.Errorf("%d runs, want 3: the run begun before Forget is followed by a fresh one", runs.Load())
	}
}
