package progress

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// Progress reports on one writer (stderr). A nil *Progress, or a quiet
// one, prints nothing, so callers need no checks of their own.
type Progress struct {
	mu    sync.Mutex
	w     io.Writer
	last  time.Time
	start time.Time
	quiet bool
}

// New returns a Progress that prints on w, or nothing when quiet.
func New(w io.Writer, quiet bool) *Progress {
	return &Progress{w: w, start: time.Now(), quiet: quiet}
}

// Update reports done of total (total 0 when unknown). Lines come at most
// once a second, but the last (done == total) always prints.
func (p *Progress) Update(stage string, done, total int) {
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

// Logf prints a line of its own, stamped with the time since New.
func (p *Progress) Logf(format string, args ...any) {
	if p == nil || p.quiet {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	el := time.Since(p.start).Round(100 * time.Millisecond)
	fmt.Fprintf(p.w, "[%6s] %s\n", el, fmt.Sprintf(format, args...))
}
