package store

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// groupKey is where change i of a test group writes.
func groupKey(i int) []byte {
	return layout.Record(resindex.RecordKey{Source: "s", ID: fmt.Sprint(i)})
}

// TestApplyGroup: a group applies as its changes would one at a time —
// a position repeated in the group or applied before is skipped, a
// failing change leaves the changes before it committed and nothing of
// itself or those after, and a group too large for one transaction is
// split (a change too large alone applied as a large change).
func TestApplyGroup(t *testing.T) {
	p := func(stream string, off int64) Position { return Position{Stream: stream, Offset: off} }
	cases := []struct {
		name    string
		mem     int64 // Badger memtable size (0: default)
		ps      []Position
		value   int // bytes each change writes
		big     int // a change that writes 5,000 keys (-1: none)
		fail    int // a change that fails (-1: none)
		handled int
		applied []bool
		split   bool
	}{
		{name: "positions repeated and applied before", ps: []Position{p("a", 1), p("a", 2), p("a", 2), p("a", 1), p("b", 1), p("a", 3)},
			value: 10, big: -1, fail: -1, handled: 6, applied: []bool{true, true, false, false, true, true}},
		// The changes before the failing one are run again, alone.
		{name: "a change fails in the middle", ps: []Position{p("a", 1), p("a", 2), p("a", 3), p("a", 4)},
			value: 10, big: -1, fail: 2, handled: 2, applied: []bool{true, true}, split: true},
		{name: "the first change fails", ps: []Position{p("a", 1), p("a", 2)}, value: 10, big: -1, fail: 0, handled: 0},
		{name: "too large for one transaction: split", mem: 1 << 20, ps: positions(40), value: 20 << 10, big: -1, fail: -1,
			handled: 40, applied: slices.Repeat([]bool{true}, 40), split: true},
		{name: "one change too large alone", mem: 1 << 20, ps: positions(6), value: 10, big: 3, fail: -1,
			handled: 6, applied: slices.Repeat([]bool{true}, 6), split: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db, err := Open(Options{Dir: t.TempDir(), GCInterval: -1, MemTableSize: tc.mem})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			var mu sync.Mutex
			var begins [][2]int
			var committed []bool
			refused := errors.New("refused")
			n, err := db.ApplyGroup(tc.ps, &mu, func(from, to int) { begins = append(begins, [2]int{from, to}) },
				func(t resindex.Txn, i int) error {
					if i == tc.big {
						for j := range 5000 {
							if err := t.Set(groupKey(1_000_000+j), make([]byte, 64)); err != nil {
								return err
							}
						}
					}
					if err := t.Set(groupKey(i), make([]byte, tc.value)); err != nil {
						return err
					}
					if i == tc.fail {
						return refused
					}
					return nil
				}, func(from, to int, applied []bool) {
					if len(committed) != from {
						t.Errorf("committed [%d, %d) after %d changes", from, to, len(committed))
					}
					committed = append(committed, applied...)
				})
			if n != tc.handled || (tc.fail >= 0) != errors.Is(err, refused) || tc.fail < 0 && err != nil {
				t.Fatalf("handled %d, %v; want %d", n, err, tc.handled)
			}
			if !slices.Equal(committed, tc.applied) {
				t.Errorf("committed %v, want %v", committed, tc.applied)
			}
			if got := split(begins); got != tc.split {
				t.Errorf("split %v, want %v (begun %v)", got, tc.split, begins)
			}
			for i := range tc.ps {
				_, err := get(db, groupKey(i))
				if want := i < len(tc.applied) && tc.applied[i]; want != (err == nil) {
					t.Errorf("change %d: written %v, want %v", i, err == nil, want)
				}
			}
			if tc.big >= 0 && db.LargeChanges() != 1 {
				t.Errorf("%d large changes, want 1", db.LargeChanges())
			}
		})
	}
}

func positions(n int) []Position {
	out := make([]Position, n)
	for i := range out {
		out[i] = Position{Stream: "a", Offset: int64(i + 1)}
	}
	return out
}

func split(begins [][2]int) bool {
	for _, b := range begins {
		if b[0] != begins[0][0] || b[1] != begins[0][1] {
			return true
		}
	}
	return false
}

func get(db *DB, k []byte) ([]byte, error) {
	var v []byte
	err := db.View(func(t resindex.Txn) error {
		var err error
		v, err = t.Get(k)
		return err
	})
	return v, err
}

// BenchmarkApplyGroup commits small changes (a key and a position each)
// one transaction a change and in groups; ns/change is per change.
func BenchmarkApplyGroup(b *testing.B) {
	for _, size := range []int{1, 4, 16, 64} {
		b.Run(fmt.Sprintf("size=%d", size), func(b *testing.B) {
			db, err := Open(Options{Dir: b.TempDir(), GCInterval: -1})
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			var mu sync.Mutex
			ps := make([]Position, size)
			val := make([]byte, 200)
			off, n := int64(0), 0
			for b.Loop() {
				for i := range ps {
					off++
					ps[i] = Position{Stream: "a", Offset: off}
				}
				_, err := db.ApplyGroup(ps, &mu, func(int, int) {}, func(t resindex.Txn, i int) error {
					return t.Set(groupKey(int(ps[i].Offset)), val)
				}, func(int, int, []bool) {})
				if err != nil {
					b.Fatal(err)
				}
				n += size
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/change")
		})
	}
}
