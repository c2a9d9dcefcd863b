package resolver_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/resindex/resindex/layout"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
)

// groupTimeline is a small borough's every version, the sources
// interleaved at random (seeded), as changes at positions 1, 2, ….
func groupTimeline(tb testing.TB, persons int, seed uint64) []incoming {
	tb.Helper()
	b, _, _ := MustTimeline(tb, persons, seed)
	rng := rand.New(rand.NewPCG(seed, 7))
	next := map[string]int{}
	var out []incoming
	for {
		src := pickSource(rng, b.Records, next)
		if src == "" {
			return out
		}
		r := b.Records[src][next[src]]
		next[src]++
		out = append(out, incoming{Rec: r, Pos: resindex.Position{Stream: "t", Offset: int64(len(out) + 1)}})
	}
}

// incoming is a change at its position.
type incoming struct {
	Rec resindex.Record
	Pos resindex.Position
}

// applyGroup applies changes as one group.
func applyGroup(eng *resolver.Engine, in []incoming) ([]bool, error) {
	recs := make([]resindex.Record, len(in))
	ps := make([]resindex.Position, len(in))
	for i, c := range in {
		recs[i], ps[i] = c.Rec, c.Pos
	}
	return eng.ApplyGroup(recs, ps)
}

// fixedNow is the engines' clock in these tests, so that two stores built
// from the same changes hold the same bytes.
func fixedNow() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }

// dumpStore is every key and value of a store but its identity (the
// store's own ID and generation, made at random when it is created).
func dumpStore(tb testing.TB, s resolver.Store) map[string]string {
	tb.Helper()
	out := map[string]string{}
	err := s.View(func(t resindex.Txn) error {
		return t.Scan(nil, func(k, v []byte) error {
			out[string(k)] = string(v)
			return nil
		})
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// sameStore fails the test unless two stores hold the same keys and
// values, apart from those a fresh store is given at random (named in
// fresh).
func sameStore(tb testing.TB, want, got map[string]string, fresh map[string]bool) {
	tb.Helper()
	var diff []string
	for k, v := range want {
		if fresh[k] {
			continue
		}
		if g, ok := got[k]; !ok || g != v {
			diff = append(diff, fmt.Sprintf("a key under %q differs or is missing", layout.PrefixOf([]byte(k))))
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok && !fresh[k] {
			diff = append(diff, fmt.Sprintf("a key under %q is extra", layout.PrefixOf([]byte(k))))
		}
	}
	slices.Sort(diff)
	diff = slices.Compact(diff)
	if len(diff) > 0 {
		tb.Fatalf("the stores differ: %v", diff)
	}
}

// freshKeys are the keys an empty store is made with.
func freshKeys(tb testing.TB) map[string]bool {
	out := map[string]bool{}
	for k := range dumpStore(tb, MustStore(tb)) {
		out[k] = true
	}
	return out
}

// oneAtATime applies changes one at a time into a new store and returns
// its contents and each change's result.
func oneAtATime(tb testing.TB, in []incoming, opts store.Options) (map[string]string, []bool) {
	tb.Helper()
	db := openStore(tb, opts)
	eng := MustEngine(tb, db, resolver.EngineOptions{Population: 1000, Now: fixedNow})
	var res []bool
	for _, c := range in {
		ok, err := eng.Apply(c.Rec, c.Pos)
		if err != nil {
			tb.Fatal(err)
		}
		res = append(res, ok)
	}
	return dumpStore(tb, db), res
}

func openStore(tb testing.TB, opts store.Options) *store.DB {
	tb.Helper()
	opts.Dir, opts.GCInterval = tb.TempDir(), -1
	db, err := store.Open(opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// failingStore fails change fail of every group, after the change has
// written what it writes, as a change whose data the engine refuses
// would: the writes must not commit, and the changes before it must.
type failingStore struct {
	*store.DB
	mu     sync.Mutex
	fail   resindex.Position
	begins [][2]int
}

var errRefused = errors.New("refused by the test")

func (s *failingStore) ApplyGroup(ps []resindex.Position, l sync.Locker, begin func(from, to int), change func(t resindex.Txn, i int) error,
	committed func(from, to int, applied []bool)) (int, error) {
	return s.DB.ApplyGroup(ps, l, func(from, to int) {
		s.mu.Lock()
		s.begins = append(s.begins, [2]int{from, to})
		s.mu.Unlock()
		begin(from, to)
	}, func(t resindex.Txn, i int) error {
		if err := change(t, i); err != nil {
			return err
		}
		if ps[i] == s.fail {
			return errRefused
		}
		return nil
	}, committed)
}

// TestApplyGroupAsOneAtATime: groups of changes leave the store exactly
// as applying the same changes one at a time does, byte for byte, and
// report the same results — with a position repeated within a group and
// positions already applied, a change failing in the middle of a group
// (the changes before it commit, it and those after do not), and groups
// too large for one transaction (split).
func TestApplyGroupAsOneAtATime(t *testing.T) {
	in := groupTimeline(t, 150, 5)
	fresh := freshKeys(t)
	// Redeliveries: a change again at once (the same position twice in a
	// group), and an old stretch again later.
	in = slices.Insert(in, 40, in[39])
	in = slices.Insert(in, 300, in[100:120]...)
	small := store.Options{MemTableSize: 256 << 10}
	cases := []struct {
		name string
		size int
		opts store.Options
		fail int // index in in of a change that fails (-1: none)
	}{
		{"groups of 2", 2, store.Options{}, -1},
		{"groups of 16", 16, store.Options{}, -1},
		{"groups of 64", 64, store.Options{}, -1},
		{"a change fails in a group", 16, store.Options{}, 205},
		{"groups too large for a transaction", 64, small, -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantIn := in
			if tc.fail >= 0 {
				wantIn = in[:tc.fail]
			}
			want, wantRes := oneAtATime(t, wantIn, tc.opts)
			fs := &failingStore{DB: openStore(t, tc.opts)}
			if tc.fail >= 0 {
				fs.fail = in[tc.fail].Pos
			}
			eng := MustEngine(t, fs, resolver.EngineOptions{Population: 1000, Now: fixedNow})
			var res []bool
			for i := 0; i < len(in); i += tc.size {
				part := in[i:min(i+tc.size, len(in))]
				got, err := applyGroup(eng, part)
				res = append(res, got...)
				if tc.fail >= 0 && i <= tc.fail && tc.fail < i+len(part) {
					if !errors.Is(err, errRefused) || len(got) != tc.fail-i {
						t.Fatalf("a group with a failing change: %d handled, error %v; want %d and the change's error", len(got), err, tc.fail-i)
					}
					break
				}
				if err != nil {
					t.Fatal(err)
				}
			}
			if !slices.Equal(res, wantRes) {
				t.Errorf("results differ from one at a time: %d of %d", countDiff(res, wantRes), len(wantRes))
			}
			sameStore(t, want, dumpStore(t, fs), fresh)
			if tc.opts.MemTableSize > 0 && !split(fs.begins) {
				t.Error("no group was split: the test no longer exercises a group too large for a transaction")
			}
		})
	}
}

// split reports whether a group was begun over a part of itself.
func split(begins [][2]int) bool {
	for i := 1; i < len(begins); i++ {
		if begins[i][0] == begins[i-1][0] && begins[i][1] < begins[i-1][1] {
			return true
		}
	}
	return false
}

func countDiff(a, b []bool) int {
	n := max(len(a), len(b)) - min(len(a), len(b))
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}

// TestApplyGroupMatchesReads: after each group, the engine's in-memory
// indexes agree with one-at-a-time application: the same persons, and the
// same search results.
func TestApplyGroupMatchesReads(t *testing.T) {
	in := groupTimeline(t, 100, 9)
	one := MustEngine(t, MustStore(t), resolver.EngineOptions{Population: 1000, Now: fixedNow})
	grp := MustEngine(t, MustStore(t), resolver.EngineOptions{Population: 1000, Now: fixedNow})
	for i := 0; i < len(in); i += 32 {
		part := in[i:min(i+32, len(in))]
		for _, c := range part {
			if _, err := one.Apply(c.Rec, c.Pos); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := applyGroup(grp, part); err != nil {
			t.Fatal(err)
		}
		q := resindex.Query{Given: part[0].Rec.Name.Given, Family: part[0].Rec.Name.Family}
		a, err := one.Search(q, 10)
		if err != nil {
			t.Fatal(err)
		}
		b, err := grp.Search(q, 10)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(a) != fmt.Sprint(b) {
			t.Fatalf("after %d changes a search differs:\n one at a time %v\n in groups %v", i+len(part), a, b)
		}
	}
	if a, b := one.Stats(), grp.Stats(); a.Changes != b.Changes || a.Decided != b.Decided {
		t.Errorf("stats differ: one at a time %+v, in groups %+v", a, b)
	}
}

// BenchmarkEngineApplyGroup is BenchmarkEngineApply in groups of 8, 32
// and 128 changes: one transaction a group; ns/change is per change.
func BenchmarkEngineApplyGroup(b *testing.B) {
	recs, _ := MustBorough(b, 2000, 1)
	ps := make([]resindex.Position, len(recs))
	for i := range recs {
		ps[i] = resindex.Position{Stream: "bench", Offset: int64(i + 1)}
	}
	for _, size := range []int{1, 8, 32, 128} {
		b.Run(fmt.Sprintf("size=%d", size), func(b *testing.B) {
			n := 0
			for b.Loop() {
				b.StopTimer()
				db := MustStore(b)
				eng := MustEngine(b, db, resolver.EngineOptions{Population: len(recs)})
				b.StartTimer()
				for i := 0; i < len(recs); i += size {
					j := min(i+size, len(recs))
					if _, err := eng.ApplyGroup(recs[i:j], ps[i:j]); err != nil {
						b.Fatal(err)
					}
				}
				n += len(recs)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/change")
		})
	}
}

// crashingStore kills its own process at a chosen moment of a group: in
// the middle of a change (after it wrote what it writes, before the
// group commits), or once the group has committed, before the engine
// publishes it.
type crashingStore struct {
	*store.DB
	at    resindex.Position
	after bool // once committed, not mid-change
}

func (s *crashingStore) ApplyGroup(ps []resindex.Position, l sync.Locker, begin func(from, to int), change func(t resindex.Txn, i int) error,
	committed func(from, to int, applied []bool)) (int, error) {
	return s.DB.ApplyGroup(ps, l, begin, func(t resindex.Txn, i int) error {
		err := change(t, i)
		if ps[i] == s.at && !s.after {
			killSelf()
		}
		return err
	}, func(from, to int, applied []bool) {
		if s.after && slices.Contains(ps[from:to], s.at) {
			killSelf()
		}
		committed(from, to, applied)
	})
}

func killSelf() {
	p, _ := os.FindProcess(os.Getpid())
	p.Kill()
	select {} // the kill is on its way
}

// crashEnv names the store a child test process applies groups to, and
// where it is killed.
const crashEnv = "RESINDEX_GROUP_CRASH"

// TestApplyGroupCrash kills a process applying groups of changes (a
// child run of this test) in the middle of a group, and once a group has
// committed but before the engine published it; the store then holds
// exactly what applying the changes before that group (or through it)
// one at a time holds, and applying every group again from the start
// (as a rerun of ingest does) ends exactly as one at a time does.
func TestApplyGroupCrash(t *testing.T) {
	in := groupTimeline(t, 120, 11)
	const size = 16
	if env := os.Getenv(crashEnv); env != "" {
		var dir string
		var at int
		var after bool
		if _, err := fmt.Sscanf(env, "%s %d %t", &dir, &at, &after); err != nil {
			t.Fatal(err)
		}
		db, err := store.Open(store.Options{Dir: dir, GCInterval: -1})
		if err != nil {
			t.Fatal(err)
		}
		eng := MustEngine(t, &crashingStore{DB: db, at: in[at].Pos, after: after}, resolver.EngineOptions{Population: 1000, Now: fixedNow})
		applyInGroups(t, eng, in, size)
		t.Fatal("not killed")
	}
	fresh := freshKeys(t)
	all, _ := oneAtATime(t, in, store.Options{})
	for _, tc := range []struct {
		name  string
		at    int
		after bool
	}{
		{"killed mid-group", 5*size + 7, false},
		{"killed once a group committed", 9*size + 3, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(os.Args[0], "-test.run=^TestApplyGroupCrash$", "-test.count=1")
			cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s %d %t", crashEnv, dir, tc.at, tc.after))
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != -1 {
				t.Fatalf("the child was not killed: %v\n%s", err, out)
			}
			through := tc.at - tc.at%size // the groups before the one killed
			if tc.after {
				through += size
			}
			want, _ := oneAtATime(t, in[:through], store.Options{})
			db, err := store.Open(store.Options{Dir: dir, GCInterval: -1})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			sameStore(t, want, dumpStore(t, db), fresh)
			eng := MustEngine(t, db, resolver.EngineOptions{Population: 1000, Now: fixedNow})
			applyInGroups(t, eng, in, size)
			sameStore(t, all, dumpStore(t, db), fresh)
		})
	}
}

// applyInGroups applies changes in groups of size, failing on an error.
func applyInGroups(tb testing.TB, eng *resolver.Engine, in []incoming, size int) {
	tb.Helper()
	for i := 0; i < len(in); i += size {
		if _, err := applyGroup(eng, in[i:min(i+size, len(in))]); err != nil {
			tb.Fatal(err)
		}
	}
}
