package alerts

import (
	"encoding/json"
	"sync/atomic"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/store"
)

// viewCounter is a Store that counts its reads.
type viewCounter struct {
	*store.DB
	views atomic.Int64
}

func (v *viewCounter) View(fn func(resindex.Txn) error) error {
	v.views.Add(1)
	return v.DB.View(fn)
}

// putAlert stores an alert with a status, as the inbox holds it.
func putAlert(t *testing.T, db *store.DB, id, status string) {
	t.Helper()
	b, err := json.Marshal(resindex.Alert{ID: id, Status: status})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx resindex.Txn) error { return tx.Set([]byte(layout.AlertPrefix+id), b) }); err != nil {
		t.Fatal(err)
	}
}

// TestInboxCountedOnceAMinute: scrapes within a minute share one count
// of the inbox; the first after it gets the kept count and starts a new
// one (internal/kept); a corrupt alert is an error, not a wrong count.
func TestInboxCountedOnceAMinute(t *testing.T) {
	db, err := store.Open(store.Options{Dir: t.TempDir(), GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := &viewCounter{DB: db}
	c := newInboxCollector(s, nil)
	putAlert(t, db, "a1", resindex.AlertNew)
	putAlert(t, db, "a2", resindex.AlertClosed)
	t0 := time.Now()
	check := func(at time.Duration, want Counts, views int64) {
		t.Helper()
		got, err := c.counts.Get(t0.Add(at))
		if err != nil || got != want || s.views.Load() != views {
			t.Errorf("scrape at +%v: %+v, %v after %d reads; want %+v after %d", at, got, err, s.views.Load(), want, views)
		}
	}
	check(0, Counts{New: 1, Closed: 1}, 1)
	putAlert(t, db, "a3", resindex.AlertNew)
	check(30*time.Second, Counts{New: 1, Closed: 1}, 1)
	check(CountEvery-time.Nanosecond, Counts{New: 1, Closed: 1}, 1)
	if got, _ := c.counts.Get(t0.Add(CountEvery)); got != (Counts{New: 1, Closed: 1}) {
		t.Errorf("the scrape that starts a new count: %+v, want the kept count", got)
	}
	waitFor(t, func() bool {
		n, err := c.counts.Get(t0.Add(CountEvery))
		return err == nil && n == Counts{New: 2, Closed: 1}
	})
	if v := s.views.Load(); v != 2 {
		t.Errorf("%d reads of the inbox, want 2", v)
	}
	if err := db.Update(func(tx resindex.Txn) error { return tx.Set([]byte(layout.AlertPrefix+"bad"), []byte("{")) }); err != nil {
		t.Fatal(err)
	}
	c.counts.Get(t0.Add(3 * CountEvery))
	waitFor(t, func() bool { _, err := c.counts.Get(t0.Add(3 * CountEvery)); return err != nil })
}

// waitFor waits up to 5 s for ok.
func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !ok(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("gave up waiting")
		}
	}
}
