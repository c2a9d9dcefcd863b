package resolver

import (
	"fmt"
	"sync"
	"time"

	"github.com/resindex/resindex"
)

// groupStore is a store that applies several changes in one transaction,
// each with its position (store.DB.ApplyGroup).
type groupStore interface {
	ApplyGroup(ps []resindex.Position, l sync.Locker, begin func(from, to int), change func(t resindex.Txn, i int) error,
		committed func(from, to int, applied []bool)) (int, error)
}

// A GroupWatcher is a CommitWatcher that can watch several changes before
// they commit together: Keep, after a change's Watch, keeps what it did
// for that change; Forget drops what it kept, for a transaction tried
// again; Committed then accounts for every change kept since the last.
type GroupWatcher interface {
	CommitWatcher
	Keep()
	Forget()
}

// ApplyGroup applies changes in order: recs[i] (an upsert, or a delete
// when Deleted) at position ps[i], as Apply applies them one at a time,
// but in as few store transactions as it can, sharing their commits:
// each change is checked against its own position and has its own feed
// entries, watcher call and decision, and they commit together (a group
// too large for one transaction is split), so a crash leaves each applied
// exactly once. The in-memory indexes are published once, as the group
// commits. A change's reads see the changes before it in the group (the
// next group starts only once this one has committed: a transaction does
// not see another's writes before they commit).
//
// It returns, for each change handled, from the first, whether it took
// effect; when that is fewer than all, err is the next change's error, as
// Apply would return it, and the changes before it have committed: as if
// they were applied one at a time, stopping at the first error.
func (e *Engine) ApplyGroup(recs []resindex.Record, ps []resindex.Position) ([]bool, error) {
	if len(recs) != len(ps) {
		return nil, fmt.Errorf("resolver: apply a group: %d records at %d positions", len(recs), len(ps))
	}
	gs, ok := e.store.(groupStore)
	_, commitOnly := e.opts.Watcher.(CommitWatcher)
	if _, group := e.opts.Watcher.(GroupWatcher); commitOnly && !group {
		ok = false
	}
	if !ok || len(recs) < 2 || e.opts.bulkLoad {
		return e.applyEach(recs, ps)
	}
	var bad error
	for i := range recs {
		if err := recs[i].Key().Check(); err != nil {
			recs, ps, bad = recs[:i], ps[:i], fmt.Errorf("resolver: apply: %w", err)
			break
		}
	}
	out, err := e.applyGroup(gs, recs, ps)
	if err == nil {
		err = bad
	}
	return out, err
}

// applyEach applies changes one at a time, stopping at the first error.
func (e *Engine) applyEach(recs []resindex.Record, ps []resindex.Position) ([]bool, error) {
	out := make([]bool, 0, len(recs))
	for i := range recs {
		ok, err := e.Apply(recs[i], ps[i])
		if err != nil {
			return out, err
		}
		out = append(out, ok)
	}
	return out, nil
}

// applyGroup applies a group of changes whose keys are valid.
func (e *Engine) applyGroup(gs groupStore, recs []resindex.Record, ps []resindex.Position) ([]bool, error) {
	if err := e.refuseOnReplica(); err != nil {
		return nil, err
	}
	start := time.Now()
	e.write.Lock()
	defer e.write.Unlock()
	g := &group{e: e, recs: recs, changed: make([]bool, len(recs))}
	out := make([]bool, 0, len(recs))
	n, err := gs.ApplyGroup(ps, &e.state, g.begin, g.change, func(from, to int, applied []bool) {
		e.publishGroup(g)
		for j, a := range applied {
			out = append(out, a && g.changed[from+j])
		}
	})
	if e.opts.ObserveApply != nil {
		d := time.Since(start)
		for range n {
			e.opts.ObserveApply(d)
		}
	}
	if err != nil {
		return out[:n], fmt.Errorf("resolver: apply %s: %w", recs[n].Key(), err)
	}
	return out, nil
}

// group is a group of changes in one transaction. The in-memory indexes
// the changes edit (counts, blocks, memberships, overrides, clocks) are
// staged once for the group, each change editing what the ones before it
// left, so each sees the earlier ones' edits as it would had they
// committed; what belongs to one change (its annotated profiles, the
// records it wrote, its feed entries) is its own.
type group struct {
	e       *Engine
	recs    []resindex.Record
	changed []bool // change i took effect (a newer version)
	// from the start of the transaction in hand:
	counts    *deltaCounts
	blocks    map[uint64][]string
	members   map[resindex.RecordKey]string
	overrides []overrideEdit
	clocks    map[string]time.Time
	// staged are the profile entries of the records the group's changes
	// wrote, the newest (nil: removed), for the changes after them; the
	// shared cache has the committed ones.
	staged   map[resindex.RecordKey]*profileEntry
	settings bool // the settings are written
	changes  []*change
}

// begin starts a transaction for changes [from, to): whatever an earlier
// attempt staged is dropped.
func (g *group) begin(from, to int) {
	e := g.e
	g.counts = &deltaCounts{base: e.counts, delta: map[uint64]int{}}
	g.blocks = map[uint64][]string{}
	g.members = map[resindex.RecordKey]string{}
	g.overrides = nil
	g.clocks = map[string]time.Time{}
	g.staged = map[resindex.RecordKey]*profileEntry{}
	g.settings = e.settingsStored
	g.changes = g.changes[:0]
	clear(g.changed[from:to])
	if w, ok := e.opts.Watcher.(GroupWatcher); ok {
		w.Forget()
	}
}

// change applies change i in the group's transaction: as Apply and
// transactWatched do for one.
func (g *group) change(t resindex.Txn, i int) error {
	e := g.e
	c := g.newChange()
	if !g.settings {
		if err := e.saveSettings(t); err != nil {
			return err
		}
		g.settings = true
	}
	rec := g.recs[i]
	ft := &feedTxn{Txn: t}
	if err := c.advanceClock(ft, rec.Source, rec.Version); err != nil {
		return err
	}
	changed, err := c.apply(ft, rec)
	if err != nil {
		return err
	}
	g.changed[i] = changed
	c.cache.feed = ft.changes
	if w := e.opts.Watcher; w != nil {
		c.cache.watched = w
		if err := w.Watch(t, ft.changes); err != nil {
			return err
		}
		if gw, ok := w.(GroupWatcher); ok {
			gw.Keep()
		}
	}
	g.overrides = c.cache.overrides
	for _, k := range c.cache.written {
		g.staged[k] = c.cache.fresh[k] // nil for a removal
	}
	g.changes = append(g.changes, c)
	return nil
}

// newChange starts one change of the group, over the group's staged
// edits.
func (g *group) newChange() *change {
	c := &change{reader: g.e.newOp()}
	c.cache.counts = g.counts
	c.cache.blocks = g.blocks
	c.cache.members = g.members
	c.cache.overrides = g.overrides
	c.cache.clocks = g.clocks
	c.cache.staged = g.staged
	return c
}

// publishGroup makes a committed group's staged edits the engine's, as
// publish does for one change: the shared ones once, each change's own
// in order.
func (e *Engine) publishGroup(g *group) {
	if len(g.changes) == 0 {
		return // every position was applied already
	}
	e.publishStaged(&applyCache{counts: g.counts, blocks: g.blocks, members: g.members, overrides: g.overrides, clocks: g.clocks})
	for _, c := range g.changes {
		e.publishOwn(c.cache)
	}
	if cw, ok := e.opts.Watcher.(CommitWatcher); ok {
		cw.Committed()
	}
}
