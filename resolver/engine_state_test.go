package resolver

import (
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/matcher"
	"github.com/resindex/resindex/store"
	"github.com/resindex/resindex/synth"
)

// TestEngineMemoryAgreesWithStore applies a seeded timeline (every version
// of every record, deletes included, sources interleaved at random) and at
// several points checks what the engine keeps in memory against what a
// fresh start reads from the store: the record → person map and each
// person's records, the blocking index, and the cached profiles.
func TestEngineMemoryAgreesWithStore(t *testing.T) {
	cfg := synth.DefaultConfig()
	cfg.Persons, cfg.Seed = 300, 41
	b, err := synth.Generate(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(store.Options{Dir: t.TempDir(), GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	e, err := NewEngine(db, EngineOptions{Population: 1000})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, src := range resindex.Sources {
		total += len(b.Records[src])
	}
	rng := rand.New(rand.NewPCG(41, 7))
	next := map[string]int{}
	for i := 1; i <= total; i++ {
		var open []string
		for _, src := range resindex.Sources {
			if next[src] < len(b.Records[src]) {
				open = append(open, src)
			}
		}
		src := open[rng.IntN(len(open))]
		r := b.Records[src][next[src]]
		next[src]++
		if _, err := e.Apply(r, resindex.Position{Stream: "t", Offset: int64(i)}); err != nil {
			t.Fatal(err)
		}
		if i%(total/5) == 0 || i == total {
			checkMemory(t, e, db, i)
		}
	}
}

func checkMemory(t *testing.T, e *Engine, db *store.DB, at int) {
	t.Helper()
	members, err := loadMembers(db)
	if err != nil {
		t.Fatal(err)
	}
	persons := map[string][]string{}
	err = db.View(func(tx resindex.Txn) error {
		return tx.Scan([]byte(layout.MemberPrefix), func(key, val []byte) error {
			k := layout.RecordOf(key)
			if got := e.members.get(k); got != string(val) {
				t.Errorf("after %d changes: %s is %q's in memory, %q's in the store", at, k, got, val)
			}
			persons[string(val)] = append(persons[string(val)], layout.RecID(k))
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(persons) < 100 {
		t.Fatalf("after %d changes: only %d persons: the timeline is too small to test", at, len(persons))
	}
	for pid, recs := range persons {
		m, err := loadMembershipOf(db, pid)
		if err != nil {
			t.Fatal(err)
		}
		var mem, fresh []string
		e.members.each(pid, func(rec string) { mem = append(mem, rec) })
		members.each(pid, func(rec string) { fresh = append(fresh, rec) })
		slices.Sort(mem)
		slices.Sort(fresh)
		slices.Sort(recs)
		if !slices.Equal(mem, m.Records) || !slices.Equal(fresh, m.Records) || !slices.Equal(recs, m.Records) {
			t.Errorf("after %d changes: %s has %q in memory, %q loaded afresh, %q by m/, %q by p/", at, pid, mem, fresh, recs, m.Records)
		}
	}
	blocks, err := loadBlocks(db)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.EqualFunc(blockStrings(e.blocks), blockStrings(blocks), slices.Equal) {
		t.Errorf("after %d changes: the blocking index in memory is not the store's", at)
	}
	checkProfiles(t, e, db, at)
}

func blockStrings(mb *memBlocks) map[uint64][]string {
	out := map[uint64][]string{}
	for h, ids := range mb.m {
		for _, id := range ids {
			out[h] = append(out[h], mb.in.str(id))
		}
	}
	return out
}

// checkProfiles: each cached (compacted) profile is the profile of the
// stored record.
func checkProfiles(t *testing.T, e *Engine, db *store.DB, at int) {
	t.Helper()
	n := 0
	err := db.View(func(tx resindex.Txn) error {
		return tx.Scan([]byte(layout.RecordPrefix), func(key, val []byte) error {
			var r resindex.Record
			if err := layout.DecodeRecord(val, &r); err != nil || r.Deleted {
				return err
			}
			en := e.parsed.get(r.Key())
			if en == nil {
				return nil
			}
			n++
			if want := matcher.NewProfile(&r); !reflect.DeepEqual(en.p, want) {
				t.Errorf("after %d changes: the cached profile of %s is not its record's", at, r.Key())
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatalf("after %d changes: no profile cached", at)
	}
}

func loadMembershipOf(db *store.DB, pid string) (person, error) {
	var p person
	err := db.View(func(tx resindex.Txn) error {
		var err error
		p, err = loadMembership(tx, pid)
		return err
	})
	return p, err
}
