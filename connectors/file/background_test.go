package file

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/internal/ndjson"
)

// gate, when next is set, says on entered which record it is given and
// holds it until the test sends on next; it fails the record fail.
type gate struct {
	entered chan string
	next    chan struct{}
	fail    string
}

func (g *gate) Apply(rec resindex.Record, pos resindex.Position) (bool, error) {
	if g.next != nil {
		g.entered <- rec.ID
		<-g.next
	}
	if rec.ID == g.fail {
		return false, errors.New("store full")
	}
	return true, nil
}

func lines(ids ...string) []ndjson.HeaderLine {
	var out []ndjson.HeaderLine
	for i, id := range ids {
		out = append(out, ndjson.HeaderLine{File: "f", No: i + 1, Line: []byte(`{"source":"s","id":"` + id + `","version":"2024-01-01T00:00:00Z"}`)})
	}
	return out
}

// TestBackground: a replay runs to its end, or stops after the change in
// hand, and only a failure to apply is an error.
func TestBackground(t *testing.T) {
	tests := []struct {
		name    string
		changes []ndjson.HeaderLine
		fail    string
		applied int64
		err     string
	}{
		{name: "finished before Stop", changes: lines("a", "b"), applied: 2},
		{name: "empty timeline starts and stops"},
		{name: "an Apply error is Stop's", changes: lines("a", "x", "b"), fail: "x", applied: 1, err: "store full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := StartReplay(context.Background(), &gate{fail: tt.fail}, "st", tt.changes, io.Discard)
			<-b.Started()
			for len(b.done) == 0 { // let the replay end before Stop
				time.Sleep(time.Millisecond)
			}
			err := b.Stop()
			if (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Stop = %v, want %q", err, tt.err)
			}
			if got := b.Applied(); got != tt.applied {
				t.Errorf("applied %d, want %d", got, tt.applied)
			}
		})
	}
	t.Run("stopped midway", func(t *testing.T) {
		g := &gate{entered: make(chan string), next: make(chan struct{})}
		ctx, cancel := context.WithCancel(context.Background())
		b := StartReplay(ctx, g, "st", lines("a", "b", "c", "d"), io.Discard)
		for _, id := range []string{"a", "b"} {
			if got := <-g.entered; got != id {
				t.Fatalf("applying %s, want %s", got, id)
			}
			g.next <- struct{}{}
		}
		<-b.Started()
		<-g.entered // c is in hand
		cancel()
		g.next <- struct{}{} // c finishes; d is never started
		if err := b.Stop(); err != nil {
			t.Fatalf("Stop = %v", err)
		}
		if got := b.Applied(); got != 3 {
			t.Errorf("applied %d, want 3 (a, b and the change in hand)", got)
		}
	})
}
