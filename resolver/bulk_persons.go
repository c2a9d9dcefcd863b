package resolver

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// writeBulkPersons writes the persons of a bulk load through the engine, a few
// hundred per transaction, exactly as changes would write them: golden
// records, households and the change feed. Group i commits with position
// i+1 of the load's stream, so that a load resumed after a crash skips the
// groups already written.
//
// newest are the sources' clocks (newestVersions): households as of the
// load's own time. Two things are answered from memory rather than from
// the transaction: the records (enc, just written by bulkIndex, so a read
// would only give them back) and the UPRN index (which the persons stage never writes). A scan
// in a Badger transaction sorts every write the transaction holds so far,
// so placing each person in a household by scanning the UPRN index cost
// the square of a group's writes.
func writeBulkPersons(e *Engine, persons [][]resindex.RecordKey, enc [][]byte, byKey map[resindex.RecordKey]int, newest map[string]string, uprn uprnIndex, opts BulkOptions, progress func(string, int, int)) error {
	for i := 0; i < len(persons); i += bulkPersonsPerChange {
		if opts.Stop != nil && opts.Stop() {
			return ErrLoadStopped
		}
		group := persons[i:min(i+bulkPersonsPerChange, len(persons))]
		pos := resindex.Position{Stream: opts.Stream, Offset: int64(i/bulkPersonsPerChange + 1)}
		_, err := e.transact(pos, func(o *change, t resindex.Txn) error {
			bt := &bulkTxn{Txn: t, uprn: uprn}
			for src, v := range newest {
				if err := o.advanceClock(bt, src, v); err != nil {
					return err
				}
			}
			for _, members := range group {
				for _, k := range members {
					var r resindex.Record
					if err := layout.DecodeRecord(enc[byKey[k]], &r); err != nil {
						return fmt.Errorf("resolver: bulk load record %s: %w", k, err)
					}
					o.cache.records[k] = r
				}
				pid, err := newPersonID(bt)
				if err != nil {
					return err
				}
				if err := o.writePerson(bt, pid, members, nil, ""); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("resolver: bulk load persons: %w", err)
		}
		progress("writing persons", min(i+bulkPersonsPerChange, len(persons)), len(persons))
	}
	return nil
}

// uprnIndex is the UPRN index entries (layout.UPRN keys) of a bulk load's
// records, sorted: what the store holds under layout.UPRNPrefix once the
// load's index is written, since nothing else writes there during it.
type uprnIndex []string

// scan calls fn for each entry with the prefix from the first at or after
// from, in key order, as a store transaction's scan does; an error from
// fn ends the scan and is returned as it is.
func (x uprnIndex) scan(prefix, from []byte, fn func(key []byte) error) error {
	start := string(prefix)
	if bytes.Compare(from, prefix) > 0 {
		start = string(from)
	}
	i, _ := slices.BinarySearch(x, start)
	for ; i < len(x) && strings.HasPrefix(x[i], string(prefix)); i++ {
		if err := fn([]byte(x[i])); err != nil {
			return err
		}
	}
	return nil
}

// bulkTxn is a persons transaction of a bulk load whose scans of the UPRN
// index are answered from memory (uprnIndex); every other read and every
// write goes to the transaction.
type bulkTxn struct {
	resindex.Txn
	uprn uprnIndex
}

// inUPRN reports whether a scan's prefix lies wholly inside the UPRN index.
func inUPRN(prefix []byte) bool {
	return bytes.HasPrefix(prefix, []byte(layout.UPRNPrefix))
}

func (t *bulkTxn) Scan(prefix []byte, fn func(key, val []byte) error) error {
	if !inUPRN(prefix) {
		return t.Txn.Scan(prefix, fn)
	}
	return t.uprn.scan(prefix, prefix, func(k []byte) error { return fn(k, nil) })
}

func (t *bulkTxn) ScanKeys(prefix []byte, fn func(key []byte) error) error {
	if !inUPRN(prefix) {
		return t.Txn.ScanKeys(prefix, fn)
	}
	return t.uprn.scan(prefix, prefix, fn)
}

func (t *bulkTxn) ScanKeysFrom(prefix, from []byte, fn func(key []byte) error) error {
	if !inUPRN(prefix) {
		return t.Txn.ScanKeysFrom(prefix, from, fn)
	}
	return t.uprn.scan(prefix, from, fn)
}
