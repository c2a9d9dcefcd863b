package resolver

import (
	"errors"
	"fmt"
	"hash/maphash"
	"math"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/matcher"
)

func getUint(t resindex.Txn, key []byte) (uint64, error) {
	v, err := t.Get(key)
	if errors.Is(err, resindex.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return layout.DecodeCount(key, v)
}

func addUint(t resindex.Txn, key []byte, delta int64) error {
	n, err := getUint(t, key)
	if err != nil {
		return err
	}
	next := int64(n) + delta
	if next <= 0 {
		return t.Delete(key)
	}
	return t.Set(key, layout.EncodeCount(next))
}

// loadRecord returns the stored record for a key, if any.
func loadRecord(t resindex.Txn, k resindex.RecordKey) (resindex.Record, bool, error) {
	v, err := t.Get(layout.Record(k))
	if errors.Is(err, resindex.ErrNotFound) {
		return resindex.Record{}, false, nil
	}
	if err != nil {
		return resindex.Record{}, false, err
	}
	var r resindex.Record
	if err := layout.DecodeRecord(v, &r); err != nil {
		return resindex.Record{}, false, fmt.Errorf("resolver: stored record %s is corrupt: %w", k, err)
	}
	return r, true, nil
}

// person is what the store keeps of a person: its records and household
// under p/ (read on almost every change, so kept compact), its golden
// record under g/ (read when it is viewed).
type person struct {
	Records   []string // record IDs (source NUL id), sorted
	Golden    resindex.Golden
	Household string // property key of the current address
	// goldenSum is a hash of the stored golden record's JSON, kept with
	// the records so that a change can tell whether the golden record
	// changed without reading it.
	goldenSum string
	// withheld: no golden record is kept (withholdGolden); the one built
	// in memory still places the person in a household.
	withheld bool
}

// loadPerson reads a whole person (no records: no such person).
func loadPerson(t resindex.Txn, pid string) (person, error) {
	p, err := loadMembership(t, pid)
	if err != nil || p.Records == nil || p.withheld {
		return p, err // a withheld golden record is empty
	}
	v, err := t.Get(layout.Golden(pid))
	if err != nil {
		return p, fmt.Errorf("resolver: golden record of %s: %w", pid, err)
	}
	if p.Golden, err = layout.DecodeGolden(v); err != nil {
		return p, fmt.Errorf("resolver: person %s: %w", pid, err)
	}
	return p, nil
}

// loadMembership reads a person's records and household, not the golden
// record.
func loadMembership(t resindex.Txn, pid string) (person, error) {
	var p person
	v, err := t.Get(layout.Person(pid))
	if errors.Is(err, resindex.ErrNotFound) {
		return p, nil
	}
	if err != nil {
		return p, err
	}
	ids, err := layout.DecodeStrings(v)
	if err != nil || len(ids) < 2 {
		return p, fmt.Errorf("resolver: stored person %s is corrupt", pid)
	}
	p.Household, p.goldenSum, p.Records = ids[0], ids[1], ids[2:]
	p.withheld = isWithheld(p.goldenSum)
	return p, nil
}

// encodeMembership packs a person's household, golden record hash and
// records for p/.
func encodeMembership(p *person) []byte {
	return layout.EncodeStrings(append([]string{p.Household, p.goldenSum}, p.Records...))
}

// personRecords returns a person's record IDs (nil: no such person).
func personRecords(t resindex.Txn, pid string) ([]string, error) {
	p, err := loadMembership(t, pid)
	return p.Records, err
}

// memCounts is the engine's copy of the store's term-frequency counts:
// the engine is the only writer, so after loading them once it keeps them
// in memory, applying each change's deltas once its transaction commits.
// Counts are looked up for every value of every candidate of every change,
// so they are keyed by a 64-bit hash of kind and value rather than by the
// strings: at a million records that halves the cost of a look-up. Two
// values sharing a hash (odds about one in ten million at two million
// values) would share a count, which only nudges a term-frequency weight.
type memCounts struct {
	seed maphash.Seed
	// cells hold the counts; a cell, once made, stays (at zero if the
	// value is no longer held), so the profile cache can point at it.
	cells   map[uint64]*uint32
	records int
}

// get returns a count without making a cell.
func (mc *memCounts) get(k uint64) uint32 {
	if c := mc.cells[k]; c != nil {
		return *c
	}
	return 0
}

// cell returns a value's count cell, making it if need be.
func (mc *memCounts) cell(k uint64) *uint32 {
	c := mc.cells[k]
	if c == nil {
		c = new(uint32)
		mc.cells[k] = c
	}
	return c
}

func (mc *memCounts) key(kind byte, value string) uint64 {
	return maphash.String(mc.seed, value) ^ uint64(kind)*0x9E3779B97F4A7C15
}

// loadCounts reads every count from the store.
func loadCounts(s Store) (*memCounts, error) {
	mc := &memCounts{seed: maphash.MakeSeed(), cells: map[uint64]*uint32{}}
	err := s.View(func(t resindex.Txn) error {
		n, err := getUint(t, layout.RecordsCount)
		mc.records = int(n)
		if err != nil {
			return err
		}
		return t.Scan([]byte(layout.FreqPrefix), func(k, v []byte) error {
			c, err := layout.DecodeCount(k, v)
			kind, value, ok := layout.ParseFreq(k)
			if err != nil || !ok || c > math.MaxUint32 {
				return fmt.Errorf("resolver: a count (%d bytes) is corrupt", len(k))
			}
			*mc.cell(mc.key(kind, value)) = uint32(c)
			return nil
		})
	})
	return mc, err
}

// deltaCounts are one change's count changes, seen by that change at once
// and merged into memCounts when it commits.
type deltaCounts struct {
	base    *memCounts
	delta   map[uint64]int
	records int
}

func (d *deltaCounts) Count(kind byte, value string) uint32 {
	k := d.base.key(kind, value)
	return d.value(countRef{key: k, cell: d.base.cells[k]})
}

// value is a count as this change sees it.
func (d *deltaCounts) value(ref countRef) uint32 {
	n := 0
	if ref.cell != nil {
		n = int(*ref.cell)
	}
	if len(d.delta) > 0 {
		n += d.delta[ref.key]
	}
	return uint32(max(n, 0))
}

func (d *deltaCounts) Records() int { return d.base.records + d.records }

// update moves the counts from a record's old profile to its new one
// (either may be nil), in the delta and in the store, writing only the
// values whose count changes, from the in-memory count without reading the
// store.
func (d *deltaCounts) update(t resindex.Txn, before, after *matcher.Profile) error {
	change := map[matcher.KindValue]int{}
	if before != nil {
		for _, kv := range matcher.Values(before) {
			change[kv]--
		}
	}
	if after != nil {
		for _, kv := range matcher.Values(after) {
			change[kv]++
		}
	}
	for kv, n := range change {
		if n == 0 {
			continue
		}
		k := d.base.key(kv.Kind, kv.Value)
		d.delta[k] += n
		if err := setCount(t, layout.Freq(byte(kv.Kind), kv.Value), int(d.base.get(k))+d.delta[k]); err != nil {
			return err
		}
	}
	switch {
	case before == nil && after != nil:
		d.records++
	case before != nil && after == nil:
		d.records--
	default:
		return nil
	}
	return setCount(t, layout.RecordsCount, d.base.records+d.records)
}

func setCount(t resindex.Txn, key []byte, n int) error {
	if n <= 0 {
		return t.Delete(key)
	}
	return t.Set(key, layout.EncodeCount(int64(n)))
}

// commit merges the delta into memory.
func (d *deltaCounts) commit() {
	for k, n := range d.delta {
		c := d.base.cell(k)
		*c = uint32(max(int(*c)+n, 0))
	}
	d.base.records += d.records
}
