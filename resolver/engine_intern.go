package resolver

import (
	"hash/maphash"
	"unsafe"

	"github.com/resindex/resindex"
)

// interner numbers distinct strings (blocking entries, record IDs, person
// IDs) and keeps their bytes in large chunks, so that the engine's
// in-memory indexes can hold 32-bit numbers instead of strings: a million
// records' blocking index as strings was millions of small objects that
// the garbage collector walked on every cycle, costing most of a core.
// Nothing in an interner holds a pointer except the chunk list, so the
// collector does not look inside it.
//
// A number, once given, always names the same string: strings are never
// removed (a string no longer used keeps its few bytes until the engine
// restarts; new strings come only with new records and changed names).
// An interner is written only while a change publishes, with the
// engine's state held exclusively, and read at any other time.
type interner struct {
	seed   maphash.Seed
	chunks [][]byte
	// locs place each string: chunk<<40 | offset<<20 | length.
	locs []uint64
	// byHash finds a string's number from its hash; two strings with one
	// hash take the next free slot of a probe sequence (probe).
	byHash map[uint64]uint32
}

const (
	internChunk  = 1 << 20 // bytes a chunk holds
	internMaxLen = 1<<20 - 1
)

func newInterner() *interner {
	return &interner{seed: maphash.MakeSeed(), byHash: map[uint64]uint32{}}
}

// probe is the next slot to try after h.
func probe(h uint64) uint64 { return h*0x9E3779B97F4A7C15 + 1 }

// str returns the string numbered id. It shares the chunk's bytes, which
// are never written again once a string is in them, so it stays valid.
func (in *interner) str(id uint32) string {
	loc := in.locs[id]
	c, off, n := loc>>40, (loc>>20)&(1<<20-1), loc&(1<<20-1)
	if n == 0 {
		return ""
	}
	return unsafe.String(&in.chunks[c][off], int(n))
}

// sameString reports whether a and b are the same bytes in memory.
func sameString(a, b string) bool {
	return len(a) == len(b) && unsafe.StringData(a) == unsafe.StringData(b)
}

// lookup returns the number of s, if it has one.
func (in *interner) lookup(s string) (uint32, bool) {
	for h := maphash.String(in.seed, s); ; h = probe(h) {
		id, ok := in.byHash[h]
		if !ok {
			return 0, false
		}
		if in.str(id) == s {
			return id, true
		}
	}
}

// lookupRecord is lookup(layout.RecID(k)) without building the string:
// it is asked for every record a change or a read meets.
func (in *interner) lookupRecord(k resindex.RecordKey) (uint32, bool) {
	var mh maphash.Hash
	mh.SetSeed(in.seed)
	mh.WriteString(k.Source)
	mh.WriteByte(0)
	mh.WriteString(k.ID)
	for h := mh.Sum64(); ; h = probe(h) {
		id, ok := in.byHash[h]
		if !ok {
			return 0, false
		}
		if s := in.str(id); len(s) == len(k.Source)+1+len(k.ID) && s[len(k.Source)] == 0 &&
			s[:len(k.Source)] == k.Source && s[len(k.Source)+1:] == k.ID {
			return id, true
		}
	}
}

// intern returns the number of s, giving it one if it has none.
func (in *interner) intern(s string) uint32 {
	h := maphash.String(in.seed, s)
	for ; ; h = probe(h) {
		id, ok := in.byHash[h]
		if !ok {
			break
		}
		if in.str(id) == s {
			return id
		}
	}
	id := uint32(len(in.locs))
	in.locs = append(in.locs, in.place(s))
	in.byHash[h] = id
	return id
}

// place copies s into a chunk and returns its location. Every string
// interned is part of a store key, which Badger holds to 65,000 bytes, so
// none reaches the length field's limit; one that did would be cut there
// and then never found again, not misplaced.
func (in *interner) place(s string) uint64 {
	s = s[:min(len(s), internMaxLen)]
	last := len(in.chunks) - 1
	if last < 0 || len(in.chunks[last])+len(s) > internChunk {
		in.chunks = append(in.chunks, make([]byte, 0, internChunk))
		last++
	}
	off := len(in.chunks[last])
	in.chunks[last] = append(in.chunks[last], s...)
	return uint64(last)<<40 | uint64(off)<<20 | uint64(len(s))
}

// size is the number of strings numbered.
func (in *interner) size() int { return len(in.locs) }
