package resolver

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// LiveRecords calls fn for every live record that belongs to a person,
// from one snapshot, with the person's ID and the property the record's
// current address places them at (a zero Property where it has none):
// the fraud checks read the whole index so. Records are read in passes
// over the store, one source per pass and a pass per core at once (no
// lookup per record); addresses without a UPRN are placed as households
// are (the UPRN index), each distinct address looked up once per pass.
// fn is called from one goroutine at a time, in no set order across
// sources; the record is reused between calls, so fn keeps what it needs.
func LiveRecords(s Store, fn func(pid string, r *resindex.Record, place resindex.Property) error) error {
	return s.View(func(t resindex.Txn) error {
		owners, err := recordOwners(t)
		if err != nil {
			return err
		}
		var mu sync.Mutex
		failed := false // once a reader fails, the others stop
		serial := func(pid string, r *resindex.Record, p resindex.Property) error {
			mu.Lock()
			defer mu.Unlock()
			if failed {
				return errStopScan
			}
			err := fn(pid, r, p)
			failed = err != nil
			return err
		}
		shares := shareSources(owners, runtime.GOMAXPROCS(0))
		errs := make([]error, len(shares))
		var wg sync.WaitGroup
		for i, share := range shares {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, src := range share {
					if errs[i] = scanSource(t, src, owners, serial); errs[i] != nil {
						mu.Lock()
						failed = true
						mu.Unlock()
						return
					}
				}
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil && !errors.Is(err, errStopScan) {
				return err
			}
		}
		return nil
	})
}

// scanSource reads one source's records (the owners of src, a run of
// owners in key order) and hands each live one to fn.
func scanSource(t resindex.Txn, src sourceRun, owners []owner, fn func(string, *resindex.Record, resindex.Property) error) error {
	places := map[string]resindex.Property{}
	next := src.from
	var r resindex.Record
	return t.Scan([]byte(layout.RecordPrefix+src.name+"\x00"), func(key, val []byte) error {
		id := string(key[len(layout.RecordPrefix):])
		// m/ and r/ share their suffixes' order: walk both together.
		for next < src.to && owners[next].id < id {
			next++
		}
		if next == src.to || owners[next].id != id {
			return nil // a tombstone, or a record no person holds
		}
		r = resindex.Record{}
		if err := layout.DecodeRecord(val, &r); err != nil {
			return fmt.Errorf("resolver: stored record %s is corrupt: %w", layout.ParseRecID(id), err)
		}
		if r.Deleted {
			return nil
		}
		p, err := placeOf(t, &r, places)
		if err != nil {
			return fmt.Errorf("resolver: placing record %s: %w", r.Key(), err)
		}
		return fn(owners[next].pid, &r, p)
	})
}

// owner is one m/ entry: a record's ID (source NUL id) and its person.
type owner struct{ id, pid string }

// recordOwners reads every record's person, in record key order.
func recordOwners(t resindex.Txn) ([]owner, error) {
	var out []owner
	err := t.Scan([]byte(layout.MemberPrefix), func(key, val []byte) error {
		out = append(out, owner{string(key[len(layout.MemberPrefix):]), string(val)})
		return nil
	})
	return out, err
}

// sourceRun is one source's owners: owners[from:to].
type sourceRun struct {
	name     string
	from, to int
}

// shareSources splits the sources among n readers, the largest first to
// the reader with least so far, so that they finish together.
func shareSources(owners []owner, n int) [][]sourceRun {
	var runs []sourceRun
	for i := 0; i < len(owners); {
		name, _, _ := strings.Cut(owners[i].id, "\x00")
		j := i + sortSearch(owners[i:], name+"\x01")
		runs = append(runs, sourceRun{name, i, j})
		i = j
	}
	slices.SortFunc(runs, func(a, b sourceRun) int { return (b.to - b.from) - (a.to - a.from) })
	n = max(1, min(n, len(runs)))
	shares, load := make([][]sourceRun, n), make([]int, n)
	for _, r := range runs {
		k := slices.Index(load, slices.Min(load))
		shares[k] = append(shares[k], r)
		load[k] += r.to - r.from
	}
	return shares
}

// sortSearch is the first owner whose ID is at or after key.
func sortSearch(owners []owner, key string) int {
	i, _ := slices.BinarySearchFunc(owners, key, func(o owner, k string) int { return strings.Compare(o.id, k) })
	return i
}

// placeOf is the property of a record's current address, through a cache
// of the addresses already placed.
func placeOf(t resindex.Txn, r *resindex.Record, cache map[string]resindex.Property) (resindex.Property, error) {
	a, ok := resindex.CurrentAddress(r)
	if !ok {
		return resindex.Property{}, nil
	}
	if a.UPRN != "" {
		return propertyOf(t, a)
	}
	k := a.Postcode + "\x00" + a.Town + "\x00" + strings.Join(a.Lines, "\x00")
	if p, ok := cache[k]; ok {
		return p, nil
	}
	p, err := propertyOf(t, a)
	if err == nil {
		cache[k] = p
	}
	return p, err
}
