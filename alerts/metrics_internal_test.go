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
// of the inbox; the next minute's scrape counts again; a corrupt alert
// is an error, not a wrong count.
func TestInboxCountedOnceAMinute(t *testing.T) {
	db, err := store.Open(store.Options{Dir: t.TempDir(), GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s := &viewCounter{DB: db}
	c := &inboxCollector{s: s, every: CountEvery}
	putAlert(t, db, "a1", resindex.AlertNew)
	putAlert(t, db, "a2", resindex.AlertClosed)
	t0 := time.Now()
	steps := []struct {
		at    time.Duration
		add   string // an alert raised before this scrape
		want  Counts
		views int64
	}{
		{0, "", Counts{New: 1, Closed: 1}, 1},
		{30 * time.Second, "a3", Counts{New: 1, Closed: 1}, 1},
		{CountEvery - time.Nanosecond, "", Counts{New: 1, Closed: 1}, 1},
		{CountEvery, "", Counts{New: 2, Closed: 1}, 2},
		{CountEvery + time.Second, "a4", Counts{New: 2, Closed: 1}, 2},
	}
	for i, st := range steps {
		if st.add != "" {
			putAlert(t, db, st.add, resindex.AlertNew)
		}
		got, err := c.count(t0.Add(st.at))
		if err != nil || got != st.want || s.views.Load() != st.views {
			t.Errorf("scrape %d at +%v: %+v, %v after %d reads; want %+v after %d", i, st.at, got, err, s.views.Load(), st.want, st.views)
		}
	}
	if err := db.Update(func(tx resindex.Txn) error { return tx.Set([]byte(layout.AlertPrefix+"bad"), []byte("{")) }); err != nil {
		t.Fatal(err)
	}
	if _, err := c.count(t0.Add(3 * CountEvery)); err == nil {
		t.Error("a corrupt alert was counted")
	}
}
