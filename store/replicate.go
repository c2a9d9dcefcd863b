package store

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// A read replica copies the writer's store physically, key by key, rather
// than resolving the changes again: the engine's decisions depend on the
// order changes came in, so only the writer's own keys give an equal
// index. Badger numbers every commit (its version), so "every key whose
// newest version is at or after N" is a change feed of the store itself,
// read with an iterator that skips every table older than N.

// KeyChange is a key's newest state, as replicated.
type KeyChange = layout.KeyChange

// ReplicaPos is where a replica is in its writer's store: the writer
// version to pull from next (0: a whole copy), valid only within the
// writer's generation (generation.go). During a whole copy, Copy says how
// far it got, so that a replica stopped part way resumes it.
type ReplicaPos struct {
	Next       uint64
	Generation string
	Copy       *CopyProgress
	// Compact is set from the first write of a whole copy into a store
	// that already held data until the replica's store has been compacted
	// after it: what the copy deleted must leave the files, even when the
	// copy was stopped and resumed, or the process died before compacting.
	Compact bool
	// Held, during a whole copy (Copy set), says the store held a whole
	// copy before this one began: a replica killed part way serves that
	// while it finishes, rather than waiting as for a first copy.
	Held bool
}

// Flags that end a position's value: Compact and Held.
const (
	compactDue = "compact"
	copyHeld   = "held"
)

// CopyProgress is a whole copy's progress: the writer's version it was
// read at (the position it ends at is UpTo+1, whatever later parts are
// read at, so what changed meanwhile is pulled next), the replica's own
// version before it began (StaleAtOrBefore) and the last key applied.
type CopyProgress struct {
	UpTo, Before uint64
	After        []byte
}

// encode is the position's value: the version, then the generation,
// then a copy's progress (a position written before generations has
// only the version).
func (p ReplicaPos) encode() []byte {
	b := strconv.AppendUint(nil, p.Next, 10)
	if p.Generation == "" {
		return b // a writer from before generations: no copy progress either
	}
	b = append(append(b, ' '), p.Generation...)
	if c := p.Copy; c != nil {
		b = fmt.Appendf(b, " %d %d %x", c.UpTo, c.Before, c.After)
	}
	if p.Held && p.Copy != nil {
		b = append(b, " "+copyHeld...)
	}
	if p.Compact {
		b = append(b, " "+compactDue...)
	}
	return b
}

func decodePosition(v []byte) (ReplicaPos, error) {
	f := strings.Fields(string(v))
	var compact, held bool
	// Past the generation; a copy's last key is hexadecimal, never a flag.
	for len(f) > 2 && (f[len(f)-1] == compactDue || f[len(f)-1] == copyHeld) {
		compact, held = compact || f[len(f)-1] == compactDue, held || f[len(f)-1] == copyHeld
		f = f[:len(f)-1]
	}
	p, err := decodeFields(f)
	if err != nil {
		return p, err
	}
	p.Compact, p.Held = compact, held && p.Copy != nil
	return p, nil
}

func decodeFields(f []string) (ReplicaPos, error) {
	if len(f) != 1 && len(f) != 2 && len(f) != 5 {
		return ReplicaPos{}, errors.New("the replica's position is corrupt")
	}
	var p ReplicaPos
	var err error
	if p.Next, err = strconv.ParseUint(f[0], 10, 64); err != nil || len(f) == 1 {
		return p, err
	}
	p.Generation = f[1]
	if len(f) == 2 {
		return p, nil
	}
	c := &CopyProgress{}
	_, err = fmt.Sscanf(strings.Join(f[2:], " "), "%d %d %x", &c.UpTo, &c.Before, &c.After)
	if err != nil || len(c.After) == 0 {
		return ReplicaPos{}, errors.New("the replica's copy progress is corrupt")
	}
	p.Copy = c
	return p, nil
}

// ApplyReplicated writes a writer's key changes into a replica's store,
// with the replica's own versions, and, if pos is not nil, the replica's
// position in the same write: one
// transaction when it fits, else a large change (still all or nothing).
// A crash before it commits leaves the old position, so the pull is made
// again and applied again, which changes nothing twice. The commit is
// made while l (if any) is held, and committed then run, as ApplyUnder.
func (db *DB) ApplyReplicated(changes []layout.KeyChange, pos *ReplicaPos, l sync.Locker, committed func()) error {
	for _, c := range changes {
		if !layout.Replicated(c.Key) || len(c.Key) == 0 {
			// Never the replica's own audit chain or position.
			return fmt.Errorf("store: a replicated change to a %q key, which each process keeps for itself", layout.PrefixOf(c.Key))
		}
	}
	err := db.update(func(t resindex.Txn) error {
		for _, c := range changes {
			var err error
			if c.Deleted {
				err = t.Delete(c.Key)
			} else {
				err = t.Set(c.Key, c.Value)
			}
			if err != nil {
				return err
			}
		}
		if pos == nil {
			return nil
		}
		return t.Set(layout.ReplicaSince, pos.encode())
	}, l, committed)
	if err != nil {
		return fmt.Errorf("store: apply %d replicated changes: %w", len(changes), err)
	}
	return nil
}

// ReplicaPosition is a replica's position: Next 0 for a store that has
// never pulled (a first, whole copy).
func (db *DB) ReplicaPosition() (ReplicaPos, error) {
	var pos ReplicaPos
	err := db.View(func(t resindex.Txn) error {
		v, err := t.Get(layout.ReplicaSince)
		if errors.Is(err, resindex.ErrNotFound) {
			return nil
		}
		if err == nil {
			pos, err = decodePosition(v)
		}
		return err
	})
	if err != nil {
		return ReplicaPos{}, fmt.Errorf("store: replica position: %w", err)
	}
	return pos, nil
}

// Version is the newest version committed to the store: a replica's
// full copy starts after it, so that whatever the copy did not write
// again is known to be gone from the writer (StaleAtOrBefore).
func (db *DB) Version() uint64 { return db.bdb.MaxVersion() }

// StaleAtOrBefore lists, as deletions, the replicated keys last written at
// or before version v: after a full copy started past v, the keys the
// writer no longer holds.
func (db *DB) StaleAtOrBefore(v uint64) ([]layout.KeyChange, error) {
	var out []layout.KeyChange
	err := db.View(func(t resindex.Txn) error {
		it := t.(*Txn).bt.NewIterator(badger.IteratorOptions{})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			if item.Version() <= v && layout.Replicated(item.Key()) {
				out = append(out, layout.KeyChange{Key: item.KeyCopy(nil), Deleted: true})
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: stale replicated keys: %w", err)
	}
	return out, nil
}

// ReplicatedKeys calls fn with every replicated key and its value, in key
// order: what two stores must agree on to be equal copies.
func (db *DB) ReplicatedKeys(fn func(key, val []byte) error) error {
	return db.View(func(t resindex.Txn) error {
		return t.Scan(nil, func(k, v []byte) error {
			if !layout.Replicated(k) {
				return nil
			}
			return fn(k, v)
		})
	})
}
