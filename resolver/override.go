package resolver

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// Override kinds.
const (
	OverrideLink   = "link"   // the two records are the same person
	OverrideUnlink = "unlink" // the two records are not the same person
)

// Override is a data steward's decision about two records, stored and
// always honoured by clustering.
type Override struct {
	Kind   string `json:"kind"`
	Reason string `json:"reason"`
}

// SetOverride records a link or unlink between two stored records, with
// its reason, and re-clusters the persons they belong to in the same
// transaction.
func (e *Engine) SetOverride(a, b resindex.RecordKey, o Override, pos resindex.Position) error {
	if o.Kind != OverrideLink && o.Kind != OverrideUnlink {
		return fmt.Errorf("resolver: override kind %q: want link or unlink", o.Kind)
	}
	if strings.TrimSpace(o.Reason) == "" {
		return errors.New("resolver: an override needs a reason")
	}
	if a == b {
		return errors.New("resolver: an override needs two different records")
	}
	_, err := e.transact(pos, func(c *change, t resindex.Txn) error { return c.override(t, a, b, o) })
	return err
}

func (e *change) override(t resindex.Txn, a, b resindex.RecordKey, o Override) error {
	affected := map[resindex.RecordKey]bool{}
	for _, k := range []resindex.RecordKey{a, b} {
		if r, found, err := loadRecord(t, k); err != nil {
			return err
		} else if !found || r.Deleted {
			return fmt.Errorf("record %s: %w", k, resindex.ErrNotFound)
		}
		pid := e.personOf(k)
		affected[k] = true
		if err := e.addPersonRecords(t, pid, affected); err != nil {
			return err
		}
	}
	data, err := json.Marshal(o)
	if err != nil {
		return err
	}
	if err := t.Set(layout.Override(a, b), data); err != nil {
		return err
	}
	if err := t.Delete(layout.Review(a, b)); err != nil { // decided: off the queue
		return err
	}
	e.cache.overrides = append(e.cache.overrides, overrideEdit{a: a, b: b, o: o})
	return e.recluster(t, affected)
}

// memOverrides is the engine's copy of the stewards' overrides, which
// clustering consults for every pair it scores; there are few of them and
// the engine is their only writer.
type memOverrides struct {
	pair map[[2]resindex.RecordKey]Override
	// of lists each record's override partners, so that a manual link is
	// found between records no blocking rule brings together.
	of map[resindex.RecordKey][]resindex.RecordKey
}

func overridePair(a, b resindex.RecordKey) [2]resindex.RecordKey {
	if layout.RecID(b) < layout.RecID(a) {
		a, b = b, a
	}
	return [2]resindex.RecordKey{a, b}
}

func (mo *memOverrides) get(a, b resindex.RecordKey) (Override, bool) {
	o, ok := mo.pair[overridePair(a, b)]
	return o, ok
}

func (mo *memOverrides) set(a, b resindex.RecordKey, o Override) {
	k := overridePair(a, b)
	if _, ok := mo.pair[k]; !ok {
		mo.of[a] = append(mo.of[a], b)
		mo.of[b] = append(mo.of[b], a)
	}
	mo.pair[k] = o
}

// remove drops a pair's override (a record purged).
func (mo *memOverrides) remove(a, b resindex.RecordKey) {
	delete(mo.pair, overridePair(a, b))
	mo.of[a] = slices.DeleteFunc(mo.of[a], func(k resindex.RecordKey) bool { return k == b })
	mo.of[b] = slices.DeleteFunc(mo.of[b], func(k resindex.RecordKey) bool { return k == a })
}

// overrideEdit is an override a change made (or, removed, dropped),
// published as it commits.
type overrideEdit struct {
	a, b    resindex.RecordKey
	o       Override
	removed bool
}

// overrideOf is the stewards' decision about a pair as this operation
// sees it: its own first.
func (e *reader) overrideOf(a, b resindex.RecordKey) (Override, bool) {
	for i := len(e.cache.overrides) - 1; i >= 0; i-- {
		if oe := e.cache.overrides[i]; overridePair(oe.a, oe.b) == overridePair(a, b) {
			return oe.o, !oe.removed
		}
	}
	return e.overrides.get(a, b)
}

// overridePartners are the records a steward decided about with k.
func (e *reader) overridePartners(k resindex.RecordKey) []resindex.RecordKey {
	out := e.overrides.of[k]
	for _, oe := range e.cache.overrides {
		switch k {
		case oe.a:
			out = append(slices.Clip(out), oe.b)
		case oe.b:
			out = append(slices.Clip(out), oe.a)
		}
	}
	return out
}

// loadOverrides reads every override from the store.
func loadOverrides(s Store) (*memOverrides, error) {
	mo := &memOverrides{pair: map[[2]resindex.RecordKey]Override{}, of: map[resindex.RecordKey][]resindex.RecordKey{}}
	err := s.View(func(t resindex.Txn) error {
		return t.Scan([]byte(layout.OverridePrefix), func(key, val []byte) error {
			a, b, ok := layout.ParsePair(key)
			var o Override
			if err := json.Unmarshal(val, &o); err != nil || !ok {
				return fmt.Errorf("resolver: an override (%d bytes) is corrupt", len(key))
			}
			mo.set(a, b, o)
			return nil
		})
	})
	return mo, err
}

// manualLink is the weight of an edge a steward linked by hand.
var manualLink = math.Inf(1)
