package kept_test

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/resindex/resindex/internal/kept"
)

// counter is a Read that counts its readings, each returning the count,
// and waits at gate (when set) before answering.
type counter struct {
	n    atomic.Int64
	gate chan struct{}
	fail atomic.Bool
}

func (c *counter) read() (int64, error) {
	if c.gate != nil {
		<-c.gate
	}
	n := c.n.Add(1)
	if c.fail.Load() {
		return 0, errors.New("store: stopped")
	}
	return n, nil
}

// eventually waits for k to give want.
func eventually(t *testing.T, k *kept.Value[int64], now time.Time, want int64) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if v, err := k.Get(now); err == nil && v == want {
			return
		}
		time.Sleep(time.Millisecond)
	}
	v, err := k.Get(now)
	t.Fatalf("Get = %d, %v; want %d", v, err, want)
}

// TestFirstReadingShared: callers that come before there is any reading
// wait for one, and share it.
func TestFirstReadingShared(t *testing.T) {
	c := &counter{gate: make(chan struct{})}
	k := &kept.Value[int64]{Every: time.Minute, Read: c.read}
	t0 := time.Now()
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if v, err := k.Get(t0); v != 1 || err != nil {
				t.Errorf("Get = %d, %v; want the first reading", v, err)
			}
		})
	}
	time.Sleep(20 * time.Millisecond)
	close(c.gate)
	wg.Wait()
	if n := c.n.Load(); n != 1 {
		t.Errorf("%d readings, want 1", n)
	}
}

// TestLaterReadingsInBackground: within Every the kept reading is given;
// after it, callers still get the kept reading at once while a single
// new one is taken, however long it takes, and then the new one.
func TestLaterReadingsInBackground(t *testing.T) {
	c := &counter{}
	k := &kept.Value[int64]{Every: time.Minute, Read: c.read}
	t0 := time.Now()
	if v, _ := k.Get(t0); v != 1 {
		t.Fatalf("first Get = %d", v)
	}
	if v, _ := k.Get(t0.Add(time.Minute - time.Nanosecond)); v != 1 || c.n.Load() != 1 {
		t.Fatalf("within a minute: %d after %d readings", v, c.n.Load())
	}
	c.gate = make(chan struct{}) // the store is busy: the next reading waits
	late := t0.Add(time.Minute)
	for range 50 {
		done := make(chan int64, 1)
		go func() { v, _ := k.Get(late); done <- v }()
		select {
		case v := <-done:
			if v != 1 {
				t.Fatalf("while a reading runs: %d, want the kept 1", v)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Get waited for a reading in the background")
		}
	}
	close(c.gate)
	eventually(t, k, late, 2)
	if n := c.n.Load(); n != 2 {
		t.Errorf("%d readings, want 2 (one in the background)", n)
	}
}

// TestFailedReading: a failed reading is reported, not hidden behind the
// kept value, and the next caller tries again.
func TestFailedReading(t *testing.T) {
	c := &counter{}
	c.fail.Store(true)
	k := &kept.Value[int64]{Every: time.Minute, Read: c.read}
	t0 := time.Now()
	if _, err := k.Get(t0); err == nil {
		t.Fatal("a failed first reading gave no error")
	}
	c.fail.Store(false)
	eventually(t, k, t0, 2) // retried at once, not a minute later
	c.fail.Store(true)
	k.Get(t0.Add(time.Minute))
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := k.Get(t0.Add(time.Minute)); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a failed later reading was never reported")
		}
		time.Sleep(time.Millisecond)
	}
}
