package main

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progress prints the stage and counts of long work on stderr, at most once
// a second, so an operator can see a million-record run moving.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	last  time.Time
	start time.Time
	quiet bool
}

func newProgress(w io.Writer, quiet bool) *progress {
	return &progress{w: w, start: time.Now(), quiet: quiet}
}

// update reports done of total (total 0 when unknown).
func (p *progress) update(stage string, done, total int) {
	if p == nil || p.quiet {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.last) < time.Second && done != total {
		return
	}
	p.last = now
	el := now.Sub(p.start).Round(100 * time.Millisecond)
	if total > 0 {
		fmt.Fprintf(p.w, "[%6s] %s: %d/%d (%.0f%%)\n", el, stage, done, total, 100*float64(done)/float64(total))
		return
	}
	fmt.Fprintf(p.w, "[%6s] %s: %d\n", el, stage, done)
}

// logf prints a line of its own.
func (p *progress) logf(format string, args ...any) {
	if p == nil || p.quiet {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	el := time.Since(p.start).Round(100 * time.Millisecond)
	fmt.Fprintf(p.w, "[%6s] %s\n", el, fmt.Sprintf(format, args...))
}
