package kafka

import (
	"strings"
	"testing"
	"time"
)

// TestLatencies: only applied messages with a produce time count; a
// status line sums up the messages since the last one.
func TestLatencies(t *testing.T) {
	t0 := time.Now()
	obs := []struct {
		o    Observation
		kept bool
	}{
		{Observation{Outcome: Applied, Produced: t0, Done: t0.Add(2 * time.Millisecond)}, true},
		{Observation{Outcome: Applied, Done: t0.Add(3 * time.Millisecond)}, false}, // no produce time
		{Observation{Outcome: Skipped, Produced: t0, Done: t0.Add(9 * time.Millisecond)}, false},
	}
	l := &Latencies{}
	for _, c := range obs {
		l.Observe(c.o)
	}
	if got := l.recent(); !strings.HasPrefix(got, "p50 2.00 ms") {
		t.Errorf("recent: %s", got)
	}
	if got := l.recent(); got != "n/a" {
		t.Errorf("recent again: %s", got)
	}
	if n, first, last, _ := l.summary(); n != 3 || !first.Equal(t0.Add(2*time.Millisecond)) || !last.Equal(t0.Add(9*time.Millisecond)) {
		t.Errorf("summary: %d %v %v", n, first, last)
	}
}
