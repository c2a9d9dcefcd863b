package resolver

import (
	"sync"

	"github.com/resindex/resindex"
)

// LatestLines keeps, from a stream of NDJSON lines, only the lines that can
// be the latest version of their record, judged by header alone; Records
// then decodes just those. Reading a three-year timeline this way decodes
// each record once instead of once per version.
type LatestLines struct {
	best map[resindex.RecordKey]*candidate
}

// candidate is the best version seen of one record; several lines when
// they claim the same version (the content breaks the tie, see newer).
type candidate struct {
	version string
	deleted bool
	lines   []resindex.HeaderLine
}

// Add offers one line.
func (ll *LatestLines) Add(hl resindex.HeaderLine) {
	if ll.best == nil {
		ll.best = map[resindex.RecordKey]*candidate{}
	}
	h := hl.Header
	c, ok := ll.best[h.Key()]
	switch {
	case !ok:
		ll.best[h.Key()] = &candidate{version: h.Version, deleted: h.Deleted, lines: []resindex.HeaderLine{hl}}
	case newerVersion(h.Version, c.version, h.Deleted, c.deleted):
		c.version, c.deleted, c.lines = h.Version, h.Deleted, append(c.lines[:0], hl)
	case h.Version == c.version && h.Deleted == c.deleted:
		c.lines = append(c.lines, hl)
	}
}

// Records decodes the winning lines on several workers and returns the live
// records sorted by key. A winning line that fails to decode is handed to
// bad with the file it came from; the keys of records none of whose winning
// lines decoded are returned, so the caller can fall back to their older
// versions (see Fallback).
func (ll *LatestLines) Records(workers int, bad func(file string, le *resindex.LineError)) ([]resindex.Record, map[resindex.RecordKey]bool) {
	cands := make([]*candidate, 0, len(ll.best))
	for _, c := range ll.best {
		if !c.deleted {
			cands = append(cands, c)
		}
	}
	ll.best = nil
	keys := make([]resindex.RecordKey, len(cands))
	for i, c := range cands {
		keys[i] = c.lines[0].Header.Key()
	}
	out := make([]resindex.Record, len(cands))
	keep := make([]bool, len(cands))
	var mu sync.Mutex
	parallel(len(cands), workers, func(int) {}, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			out[i], keep[i] = decodeBest(cands[i], func(file string, le *resindex.LineError) {
				mu.Lock()
				bad(file, le)
				mu.Unlock()
			})
			cands[i] = nil
		}
	})
	live := out[:0]
	failed := map[resindex.RecordKey]bool{}
	for i := range out {
		switch {
		case !keep[i]:
			failed[keys[i]] = true
		case !out[i].Deleted:
			live = append(live, out[i])
		}
	}
	SortRecords(live)
	return live, failed
}

// Fallback adds to live records the newest decodable version of each
// failed key, from a second, full reading of the input (read calls add for
// every record it decodes). Malformed newest versions are rare, so the
// second reading is too.
func Fallback(live []resindex.Record, failed map[resindex.RecordKey]bool, read func(add func(resindex.Record)) error) ([]resindex.Record, error) {
	if len(failed) == 0 {
		return live, nil
	}
	var older LatestSet
	err := read(func(r resindex.Record) {
		if failed[r.Key()] {
			older.Add(r)
		}
	})
	if err != nil {
		return nil, err
	}
	live = append(live, older.Records()...)
	SortRecords(live)
	return live, nil
}

// decodeBest decodes a candidate's lines and keeps the one that wins.
func decodeBest(c *candidate, bad func(string, *resindex.LineError)) (resindex.Record, bool) {
	var best resindex.Record
	found := false
	for _, hl := range c.lines {
		r, err := resindex.DecodeRecord(hl.Line)
		if err != nil {
			bad(hl.File, &resindex.LineError{Line: hl.No, Err: err})
			continue
		}
		if !found || newer(&r, &best) {
			best, found = r, true
		}
	}
	return best, found
}

// newerVersion: a later version wins; at the same moment a delete does.
func newerVersion(v, than string, deleted, thanDeleted bool) bool {
	c := resindex.CompareVersions(v, than)
	return c > 0 || c == 0 && deleted && !thanDeleted
}
