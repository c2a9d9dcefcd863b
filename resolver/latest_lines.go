package resolver

import (
	"cmp"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/internal/ndjson"
)

// LatestLines keeps, from the lines of some files, where the line that
// can be the latest version of each record lies, judged by header alone;
// Records then reads the files again and decodes just those lines.
// Reading a three-year timeline this way decodes each record once instead
// of once per version, and holds neither the lines nor the blocks they
// were read into between the two readings: a million-record timeline is
// two gigabytes. AddAll is safe for concurrent use: the keys are spread
// over shards, each with its lock.
type LatestLines struct {
	shards [latestShards]latestShard
}

const latestShards = 64

// latestShard holds its candidates in a slice, found through a map of
// their places: five million lines offered for a million records are
// mostly later versions of a record already held, which then cost one
// look-up and no second hashing to store.
type latestShard struct {
	mu    sync.Mutex
	index map[resindex.RecordKey]int32
	best  []candidate
}

// lineAt is where a line lies: the file's place in the list read, and
// the line's number in it.
type lineAt struct {
	file int
	no   int
}

// candidate is the best version seen of one record, and where its line
// lies; ties holds more lines when they claim the same version (the
// content breaks the tie, see newer).
type candidate struct {
	version string
	deleted bool
	at      lineAt
	ties    []lineAt
}

// AddAll offers the lines read from one file, the file-th of those that
// Records will read.
func (ll *LatestLines) AddAll(lines []ndjson.HeaderLine, file int) {
	for i := range lines {
		h := &lines[i].Header
		k := h.Key()
		sh := &ll.shards[shardOf(k)]
		sh.mu.Lock()
		sh.add(k, h, lineAt{file, lines[i].No})
		sh.mu.Unlock()
	}
}

func (sh *latestShard) add(k resindex.RecordKey, h *ndjson.RecordHeader, at lineAt) {
	if sh.index == nil {
		sh.index = map[resindex.RecordKey]int32{}
	}
	i, ok := sh.index[k]
	if !ok {
		sh.index[k] = int32(len(sh.best))
		sh.best = append(sh.best, candidate{version: h.Version, deleted: h.Deleted, at: at})
		return
	}
	c := &sh.best[i]
	switch {
	case newerVersion(h.Version, c.version, h.Deleted, c.deleted):
		*c = candidate{version: h.Version, deleted: h.Deleted, at: at}
	case h.Version == c.version && h.Deleted == c.deleted:
		c.ties = append(c.ties, at)
	}
}

// shardOf spreads keys over the shards (FNV-1a over the id, whose last
// characters vary most, and the source's length).
func shardOf(k resindex.RecordKey) int {
	h := uint32(2166136261) ^ uint32(len(k.Source))
	for i := 0; i < len(k.ID); i++ {
		h = (h ^ uint32(k.ID[i])) * 16777619
	}
	return int(h % latestShards)
}

// Records reads the files again (the same files, in the order their lines
// were offered) and decodes the winning lines on several workers, and
// returns the live records sorted by key. A winning line that fails to
// decode is handed to bad with the file it came from; the keys of records
// none of whose winning lines decoded are returned, so the caller can
// fall back to their older versions (see Fallback).
func (ll *LatestLines) Records(files []string, workers int, bad func(file string, le *ndjson.LineError)) ([]resindex.Record, map[resindex.RecordKey]bool, error) {
	keys, cands := ll.live(workers)
	d := winners{keys: keys, cands: cands, out: make([]resindex.Record, len(cands)), keep: make([]bool, len(cands))}
	for f, lines := range linesByFile(cands, len(files)) {
		if err := d.decodeFile(files[f], lines, workers, bad); err != nil {
			return nil, nil, err
		}
	}
	live := d.out[:0]
	failed := map[resindex.RecordKey]bool{}
	for i := range d.out {
		switch {
		case !d.keep[i]:
			failed[keys[i]] = true
		case !d.out[i].Deleted:
			live = append(live, d.out[i])
		}
	}
	return live, failed, nil
}

// winners decodes the candidates' lines into out.
type winners struct {
	keys  []resindex.RecordKey
	cands []candidate
	out   []resindex.Record
	keep  []bool // out holds a decoded line
	mu    sync.Mutex
}

// wanted is a line to decode and the candidate it is for.
type wanted struct {
	no   int
	cand int32
}

// linesByFile lists, for each file, the candidates' lines in it in line
// order, so that each file is read once, front to back.
func linesByFile(cands []candidate, files int) [][]wanted {
	by := make([][]wanted, files)
	for i := range cands {
		c := &cands[i]
		by[c.at.file] = append(by[c.at.file], wanted{c.at.no, int32(i)})
		for _, at := range c.ties {
			by[at.file] = append(by[at.file], wanted{at.no, int32(i)})
		}
	}
	for f := range by {
		slices.SortFunc(by[f], func(a, b wanted) int { return cmp.Compare(a.no, b.no) })
	}
	return by
}

// decodeFile decodes the wanted lines of one file.
func (d *winners) decodeFile(name string, lines []wanted, workers int, bad func(string, *ndjson.LineError)) error {
	if len(lines) == 0 {
		return nil
	}
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("input: %w", err)
	}
	defer f.Close()
	nos := make([]int, len(lines))
	for i, w := range lines {
		nos[i] = w.no
	}
	var changed atomic.Bool
	var seen atomic.Int64
	_, err = ndjson.DecodeLines(f, workers, nos, func(k int, r resindex.Record, err error) {
		seen.Add(1)
		i := lines[k].cand
		switch {
		case err != nil:
			d.mu.Lock()
			bad(name, &ndjson.LineError{Line: lines[k].no, Err: err})
			d.mu.Unlock()
		case r.Key() != d.keys[i] || r.Version != d.cands[i].version || r.Deleted != d.cands[i].deleted:
			// Not the line the first reading chose: the file was rewritten.
			changed.Store(true)
		case d.cands[i].ties == nil:
			d.out[i], d.keep[i] = r, true
		default:
			d.mu.Lock()
			if !d.keep[i] || newer(&r, &d.out[i]) {
				d.out[i], d.keep[i] = r, true
			}
			d.mu.Unlock()
		}
	})
	if err != nil {
		return fmt.Errorf("input %s: %w", name, err)
	}
	// A file cut short between the readings decodes fewer lines than
	// were chosen; without this the records past its end would be lost.
	if changed.Load() || seen.Load() != int64(len(nos)) {
		return fmt.Errorf("input %s: changed while it was read", name)
	}
	return nil
}

// live empties the shards into the candidates not deleted and their keys,
// sorted by key: sorting before decoding keeps the records in key order
// at the cost of sorting small entries instead of whole records. Each
// source's entries are sorted on a worker of their own.
func (ll *LatestLines) live(workers int) ([]resindex.RecordKey, []candidate) {
	bySource := map[string][]keyedCandidate{}
	for i := range ll.shards {
		sh := &ll.shards[i]
		for k, at := range sh.index {
			if c := sh.best[at]; !c.deleted {
				bySource[k.Source] = append(bySource[k.Source], keyedCandidate{k.ID, c})
			}
		}
		sh.index, sh.best = nil, nil
	}
	sources := slices.Sorted(maps.Keys(bySource))
	parallelChunks(len(sources), 1, workers, func(int) {}, func(lo, hi int) {
		for _, src := range sources[lo:hi] {
			slices.SortFunc(bySource[src], func(a, b keyedCandidate) int { return strings.Compare(a.id, b.id) })
		}
	})
	var keys []resindex.RecordKey
	var cands []candidate
	for _, src := range sources {
		for _, kc := range bySource[src] {
			keys = append(keys, resindex.RecordKey{Source: src, ID: kc.id})
			cands = append(cands, kc.c)
		}
		bySource[src] = nil
	}
	return keys, cands
}

// keyedCandidate is a candidate with its record's id beside it, so that
// sorting reads the id without following pointers.
type keyedCandidate struct {
	id string
	c  candidate
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

// newerVersion: a later version wins; at the same moment a delete does.
func newerVersion(v, than string, deleted, thanDeleted bool) bool {
	c := resindex.CompareVersions(v, than)
	return c > 0 || c == 0 && deleted && !thanDeleted
}
