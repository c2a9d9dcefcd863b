// Package kept keeps a value that is costly to read (a count over the
// store) for metrics scrapes: read again at most once an interval, in
// the background, so that a scrape waits only for the very first
// reading, never for a later one stuck behind the store's work (a
// compaction, a change too large for one transaction).
package kept

import (
	"sync"
	"time"
)

// Value is a kept reading of Read, taken again once it is Every old.
type Value[T any] struct {
	Every time.Duration
	Read  func() (T, error)

	first sync.Mutex // held by the first reading: callers wait for it
	mu    sync.Mutex // guards the fields below; never held while reading
	at    time.Time  // when the kept reading was taken; zero: none yet
	v     T
	err   error // the last reading's failure, if it failed
	busy  bool  // a reading runs in the background
}

// Get returns the kept reading, or the last reading's error. Once the
// reading is Every old, the next Get starts one new reading in the
// background and still returns the kept one; later Gets see the new one
// when it is done.
func (k *Value[T]) Get(now time.Time) (T, error) {
	if v, ok, err := k.kept(now); ok {
		return v, err
	}
	k.first.Lock()
	defer k.first.Unlock()
	if v, ok, err := k.kept(now); ok { // another caller read it meanwhile
		return v, err
	}
	k.read(now)
	v, _, err := k.kept(now)
	return v, err
}

// kept returns the kept reading if there is one (ok), starting a new one
// in the background when it is due.
func (k *Value[T]) kept(now time.Time) (v T, ok bool, err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.at.IsZero() && k.err == nil {
		return v, false, nil
	}
	if !k.busy && (k.err != nil || now.Sub(k.at) >= k.Every) {
		k.busy = true
		go k.read(now)
	}
	return k.v, true, k.err
}

// read takes a reading and keeps it; a failure keeps the old value, is
// reported until a reading succeeds, and makes the next Get try again.
func (k *Value[T]) read(now time.Time) {
	v, err := k.Read()
	k.mu.Lock()
	defer k.mu.Unlock()
	k.busy = false
	k.err = err
	if err == nil {
		k.at, k.v = now, v
	}
}
