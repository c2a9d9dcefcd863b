package resolver

import (
	"cmp"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/internal/ndjson"
)

// LatestLines keeps, from a stream of NDJSON lines, only the lines that can
// be the latest version of their record, judged by header alone; Records
// then decodes just those. Reading a three-year timeline this way decodes
// each record once instead of once per version. Add is safe for
// concurrent use: the keys are spread over shards, each with its lock.
type LatestLines struct {
	shards [latestShards]latestShard
}

const latestShards = 64

type latestShard struct {
	mu   sync.Mutex
	best map[resindex.RecordKey]*candidate
}

// candidate is the best version seen of one record; several lines when
// they claim the same version (the content breaks the tie, see newer).
type candidate struct {
	version string
	deleted bool
	lines   []ndjson.HeaderLine
}

// Add offers one line.
func (ll *LatestLines) Add(hl ndjson.HeaderLine) {
	k := hl.Header.Key()
	sh := &ll.shards[shardOf(k)]
	sh.mu.Lock()
	sh.add(k, hl)
	sh.mu.Unlock()
}

// AddAll offers lines read from one file.
func (ll *LatestLines) AddAll(lines []ndjson.HeaderLine, file string) {
	for i := range lines {
		lines[i].File = file
		ll.Add(lines[i])
	}
}

func (sh *latestShard) add(k resindex.RecordKey, hl ndjson.HeaderLine) {
	if sh.best == nil {
		sh.best = map[resindex.RecordKey]*candidate{}
	}
	h := hl.Header
	c, ok := sh.best[k]
	switch {
	case !ok:
		sh.best[k] = &candidate{version: h.Version, deleted: h.Deleted, lines: []ndjson.HeaderLine{hl}}
	case newerVersion(h.Version, c.version, h.Deleted, c.deleted):
		c.version, c.deleted, c.lines = h.Version, h.Deleted, append(c.lines[:0], hl)
	case h.Version == c.version && h.Deleted == c.deleted:
		c.lines = append(c.lines, hl)
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

// Records decodes the winning lines on several workers and returns the live
// records sorted by key. A winning line that fails to decode is handed to
// bad with the file it came from; the keys of records none of whose winning
// lines decoded are returned, so the caller can fall back to their older
// versions (see Fallback).
func (ll *LatestLines) Records(workers int, bad func(file string, le *ndjson.LineError)) ([]resindex.Record, map[resindex.RecordKey]bool) {
	cands := ll.live(workers)
	keys := make([]resindex.RecordKey, len(cands))
	for i, c := range cands {
		keys[i] = c.lines[0].Header.Key()
	}
	out := make([]resindex.Record, len(cands))
	keep := make([]bool, len(cands))
	var mu sync.Mutex
	order := inputOrder(cands)
	parallel(len(order), workers, func(int) {}, func(lo, hi int) {
		for _, i := range order[lo:hi] {
			out[i], keep[i] = decodeBest(cands[i], func(file string, le *ndjson.LineError) {
				mu.Lock()
				bad(file, le)
				mu.Unlock()
			})
			cands[i].lines = nil // its block may now be freed
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
	return live, failed
}

// live empties the shards into the candidates not deleted, sorted by key:
// sorting before decoding keeps the records in key order at the cost of
// sorting small entries instead of whole records. Each source's entries
// are sorted on a worker of their own.
func (ll *LatestLines) live(workers int) []*candidate {
	bySource := map[string][]keyedCandidate{}
	for i := range ll.shards {
		for k, c := range ll.shards[i].best {
			if !c.deleted {
				bySource[k.Source] = append(bySource[k.Source], keyedCandidate{k.ID, c})
			}
		}
		ll.shards[i].best = nil
	}
	sources := slices.Sorted(maps.Keys(bySource))
	parallelChunks(len(sources), 1, workers, func(int) {}, func(lo, hi int) {
		for _, src := range sources[lo:hi] {
			slices.SortFunc(bySource[src], func(a, b keyedCandidate) int { return strings.Compare(a.id, b.id) })
		}
	})
	var cands []*candidate
	for _, src := range sources {
		for _, kc := range bySource[src] {
			cands = append(cands, kc.c)
		}
	}
	return cands
}

// inputOrder lists the candidates file by file, each file in line order.
// Lines share the blocks they were read into; decoding in that order lets
// each block go as soon as its lines are decoded, instead of the whole
// input staying in memory beside the records until the last is decoded.
func inputOrder(cands []*candidate) []int32 {
	files := map[string]int{}
	type at struct {
		file, line int
		i          int32
	}
	ats := make([]at, len(cands))
	for i, c := range cands {
		hl := &c.lines[0]
		f, ok := files[hl.File]
		if !ok {
			f = len(files)
			files[hl.File] = f
		}
		ats[i] = at{f, hl.No, int32(i)}
	}
	slices.SortFunc(ats, func(x, y at) int { return cmp.Or(cmp.Compare(x.file, y.file), cmp.Compare(x.line, y.line)) })
	order := make([]int32, len(ats))
	for k, a := range ats {
		order[k] = a.i
	}
	return order
}

// keyedCandidate is a candidate with its record's id beside it, so that
// sorting reads the id without following pointers.
type keyedCandidate struct {
	id string
	c  *candidate
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
func decodeBest(c *candidate, bad func(string, *ndjson.LineError)) (resindex.Record, bool) {
	var best resindex.Record
	found := false
	for _, hl := range c.lines {
		r, err := ndjson.DecodeRecord(hl.Line)
		if err != nil {
			bad(hl.File, &ndjson.LineError{Line: hl.No, Err: err})
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
