package store

import (
	"testing"
	"time"
)

// TestSizeDuringLargeChange: Size answers while a large change or a
// compaction holds the store exclusively, so a metrics scrape does not
// hang behind one.
func TestSizeDuringLargeChange(t *testing.T) {
	db := openSmall(t, t.TempDir())
	defer db.Close()
	want, _ := db.Size()
	db.large.Lock() // a large change being applied, or a compaction's copy
	defer db.large.Unlock()
	got := make(chan int64, 1)
	go func() { lsm, _ := db.Size(); got <- lsm }()
	select {
	case lsm := <-got:
		if lsm != want {
			t.Errorf("lsm %d during the change, %d before it", lsm, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Size waited for the large change")
	}
}
