package store

import (
	"errors"
	"fmt"
	"sync"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// group is several changes applied in one transaction, each with its own
// source position: committed together, so a commit's fixed cost (Badger's
// writer, the caller's lock) is paid once for all of them, while each
// change is still checked against its position and so applied exactly
// once.
type group struct {
	// Positions are the changes' positions, in order.
	Positions []Position
	// Begin is called as a transaction starts for changes [from, to):
	// whatever an earlier attempt staged beside the store (a transaction
	// that conflicted, a group split) is to be forgotten.
	Begin func(from, to int)
	// Change applies change i in the transaction, after the changes
	// before it in the group: it sees their writes.
	Change func(t resindex.Txn, i int) error
	// Committed is called, while l is held, once changes [from, to) have
	// committed; applied[j] says whether change from+j took effect (false:
	// its position was applied already).
	Committed func(from, to int, applied []bool)
}

// changeError is the error of one change of a group.
type changeError struct {
	Index int
	Err   error
}

func (e *changeError) Error() string { return fmt.Sprintf("change %d of a group: %v", e.Index, e.Err) }
func (e *changeError) Unwrap() error { return e.Err }

// ApplyGroup applies changes, one at each of ps, in order and in as few
// transactions as it can: one, unless they are too many for one, when
// they are split in halves (a single change too large is applied as a
// large change, as Apply applies it). For each transaction, begin(from,
// to) is called as it starts (again if it is retried: forget what an
// earlier attempt staged), change(t, i) applies change i after those
// before it, seeing their writes, and once it has committed, while l is
// held (see ApplyUnder), committed(from, to, applied) is told which of
// changes [from, to) took effect. A change at or before its stream's
// applied offset (one earlier in the same group included) is skipped, as
// Apply skips it.
//
// It returns how many changes, from the first, were handled (committed or
// skipped). When that is fewer than all, err is the error of the change
// after them: the changes before it are committed, and none after it is
// tried, as applying them one at a time and stopping at the first error
// would leave the store.
func (db *DB) ApplyGroup(ps []Position, l sync.Locker, begin func(from, to int), change func(t resindex.Txn, i int) error,
	committed func(from, to int, applied []bool)) (int, error) {
	g := &group{Positions: ps, Begin: begin, Change: change, Committed: committed}
	n, err := db.applyRange(g, 0, len(ps), l)
	var ce *changeError
	if errors.As(err, &ce) {
		err = ce.Err
	}
	return n, err
}

// applyRange applies changes [from, to) as above.
func (db *DB) applyRange(g *group, from, to int, l sync.Locker) (int, error) {
	if from >= to {
		return 0, nil
	}
	if to-from == 1 {
		return db.applyOne(g, from, l)
	}
	failed, err := db.updateGroup(g, from, to, l)
	var ce *changeError
	switch {
	case err == nil:
		return to - from, nil
	case isTooBig(err):
		mid := from + (to-from)/2
		n, err := db.applyRange(g, from, mid, l)
		if err != nil {
			return n, err
		}
		m, err := db.applyRange(g, mid, to, l)
		return n + m, err
	case errors.As(err, &ce) && failed >= 0:
		// Commit the changes before the one that failed, then report it.
		n, perr := db.applyRange(g, from, failed, l)
		if perr != nil {
			return n, perr
		}
		return n, err
	}
	return 0, err
}

// applyOne applies one change of a group through update, which applies
// it as a large change if it is too large for one transaction.
func (db *DB) applyOne(g *group, i int, l sync.Locker) (int, error) {
	applied := false
	err := db.update(func(t resindex.Txn) error {
		g.Begin(i, i+1)
		var err error
		applied, err = applyAt(t, g.Positions[i], func(t resindex.Txn) error { return g.Change(t, i) })
		return err
	}, l, func() { g.Committed(i, i+1, []bool{applied}) })
	if err != nil {
		return 0, &changeError{Index: i, Err: err}
	}
	return 1, nil
}

// updateGroup runs changes [from, to) in one transaction and commits it,
// retrying the whole of it when the commit conflicts. When a change
// fails, it returns that change's index with a *changeError and commits
// nothing; a transaction too large returns Badger's error.
func (db *DB) updateGroup(g *group, from, to int, l sync.Locker) (int, error) {
	if err := db.broken(); err != nil {
		return -1, err
	}
	for attempt := 0; ; attempt++ {
		applied := make([]bool, to-from)
		failed := -1
		err := db.updateOnce(func(t resindex.Txn) error {
			g.Begin(from, to)
			for i := from; i < to; i++ {
				ok, err := applyAt(t, g.Positions[i], func(t resindex.Txn) error { return g.Change(t, i) })
				if isTooBig(err) {
					return err
				}
				if err != nil {
					failed = i
					return &changeError{Index: i, Err: err}
				}
				applied[i-from] = ok
			}
			return nil
		}, l, func() { g.Committed(from, to, applied) })
		if !errors.Is(err, badger.ErrConflict) {
			return failed, err
		}
		if attempt >= db.opts.ConflictRetries {
			return -1, fmt.Errorf("store: a group of changes conflicted %d times: %w: %w", attempt+1, resindex.ErrUnavailable, err)
		}
	}
}

// applyAt runs fn unless pos is at or before its stream's applied offset,
// and records pos as applied, in t. It reports whether fn ran.
func applyAt(t resindex.Txn, pos Position, fn func(resindex.Txn) error) (bool, error) {
	v, err := t.Get(layout.Position(pos.Stream))
	switch {
	case err == nil:
		last, perr := layout.DecodeOffset(v)
		if perr != nil {
			return false, fmt.Errorf("store: position of %s is corrupt: %w", pos.Stream, perr)
		}
		if pos.Offset <= last {
			return false, nil
		}
	case !errors.Is(err, resindex.ErrNotFound):
		return false, err
	}
	if err := fn(t); err != nil {
		return false, err
	}
	return true, t.Set(layout.Position(pos.Stream), layout.EncodeOffset(pos.Offset))
}
