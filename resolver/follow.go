package resolver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// ErrReadReplica is the answer of a read replica's engine to anything
// that would resolve or change the index: one writer decides, serially,
// and replicas copy its store (Follow).
var ErrReadReplica = fmt.Errorf("resolver: a read replica does not resolve; send changes to the writer: %w", resindex.ErrUnavailable)

// refuseOnReplica is the check of every change's entry point.
func (e *Engine) refuseOnReplica() error {
	if e.opts.ReadReplica {
		return ErrReadReplica
	}
	return nil
}

// Follow brings a read replica's engine up to date with a batch of the
// writer's key changes. commit writes them to the store, committing
// while the given lock is held and then calling published: the engine
// passes its state lock, so that no read sees the store without the
// in-memory indexes or the indexes without the store, and its in-memory
// indexes (blocks, members, counts, overrides, clocks, cached profiles)
// follow the keys in published, as a change of its own would publish.
func (e *Engine) Follow(changes []layout.KeyChange, commit func(l sync.Locker, published func()) error) error {
	e.write.Lock()
	defer e.write.Unlock()
	var ferr error
	err := commit(&e.state, func() {
		c := &change{reader: e.newOp()}
		ferr = c.follow(changes)
		e.publish(c)
	})
	if err == nil {
		err = ferr
	}
	if err != nil {
		return fmt.Errorf("resolver: follow %d replicated changes: %w", len(changes), err)
	}
	return nil
}

// follow stages the in-memory edits the key changes make, as a change
// stages its own. A key the engine keeps no copy of needs nothing: reads
// take it from the store.
func (c *change) follow(changes []layout.KeyChange) error {
	var errs []error
	for i := range changes {
		if err := c.followKey(&changes[i]); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func (c *change) followKey(kc *layout.KeyChange) error {
	key := kc.Key
	switch {
	case bytes.HasPrefix(key, []byte(layout.BlockPrefix)):
		h, entry, ok := layout.ParseBlock(key)
		if !ok {
			return fmt.Errorf("a blocking index key of %d bytes is corrupt", len(key))
		}
		c.editBlock(h, entry, !kc.Deleted)
	case bytes.HasPrefix(key, []byte(layout.MemberPrefix)):
		pid := ""
		if !kc.Deleted {
			pid = string(kc.Value)
		}
		c.cache.members[layout.RecordOf(key)] = pid
	case bytes.HasPrefix(key, []byte(layout.RecordPrefix)):
		// Its profile is read again when next needed.
		c.cache.written = append(c.cache.written, layout.RecordOf(key))
	case bytes.HasPrefix(key, []byte(layout.FreqPrefix)), bytes.Equal(key, layout.RecordsCount):
		return c.followCount(kc)
	case bytes.HasPrefix(key, []byte(layout.OverridePrefix)):
		return c.followOverride(kc)
	case bytes.Equal(key, layout.DataClock) && !kc.Deleted:
		clocks, err := layout.DecodeClocks(kc.Value)
		if err != nil {
			return fmt.Errorf("the data's clock is corrupt: %w", err)
		}
		c.cache.clocks = clocks
	}
	return nil
}

// followCount sets a count to the writer's, as a delta on the published
// one (a deleted count is 0).
func (c *change) followCount(kc *layout.KeyChange) error {
	var n uint64
	if !kc.Deleted {
		var err error
		if n, err = layout.DecodeCount(kc.Key, kc.Value); err != nil || n > math.MaxUint32 {
			return fmt.Errorf("a count (%d bytes) is corrupt", len(kc.Key))
		}
	}
	d := c.cache.counts
	if bytes.Equal(kc.Key, layout.RecordsCount) {
		d.records = int(n) - d.base.records
		return nil
	}
	kind, value, ok := layout.ParseFreq(kc.Key)
	if !ok {
		return fmt.Errorf("a count key of %d bytes is corrupt", len(kc.Key))
	}
	k := d.base.key(kind, value)
	d.delta[k] = int(n) - int(d.base.get(k))
	return nil
}

// followOverride sets or drops a steward's decision.
func (c *change) followOverride(kc *layout.KeyChange) error {
	a, b, ok := layout.ParsePair(kc.Key)
	if !ok {
		return fmt.Errorf("an override key of %d bytes is corrupt", len(kc.Key))
	}
	oe := overrideEdit{a: a, b: b, removed: kc.Deleted}
	if !kc.Deleted {
		if err := json.Unmarshal(kc.Value, &oe.o); err != nil {
			return fmt.Errorf("an override (%d bytes) is corrupt", len(kc.Key))
		}
	}
	c.cache.overrides = append(c.cache.overrides, oe)
	return nil
}
