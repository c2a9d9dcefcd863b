package resolver_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/evaluate"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
)

func MustStore(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.Open(store.Options{Dir: tb.TempDir(), GCInterval: -1})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func MustEngine(tb testing.TB, s resolver.Store, opts resolver.EngineOptions) *resolver.Engine {
	tb.Helper()
	eng, err := resolver.NewEngine(s, opts)
	if err != nil {
		tb.Fatal(err)
	}
	return eng
}

// applier applies records one after another, at increasing positions,
// failing the test on an error.
func applier(t *testing.T, eng *resolver.Engine) func(resindex.Record) {
	pos := int64(0)
	return func(r resindex.Record) {
		t.Helper()
		pos++
		if _, err := eng.Apply(r, resindex.Position{Stream: "t", Offset: pos}); err != nil {
			t.Fatal(err)
		}
	}
}

// personByID maps record IDs to their persons (test records have IDs
// unique across sources).
func personByID(tb testing.TB, s resolver.Store) map[string]string {
	out := map[string]string{}
	for _, as := range exportAll(tb, s) {
		out[as.Key.ID] = as.PersonID
	}
	return out
}

func exportAll(tb testing.TB, s resolver.Store) []resindex.Assignment {
	tb.Helper()
	var out []resindex.Assignment
	if err := resolver.Export(s, func(a resindex.Assignment) error { out = append(out, a); return nil }); err != nil {
		tb.Fatal(err)
	}
	return out
}

// TestEngineAgreesWithLink replays a small borough's live records one at a
// time and compares the persons with the batch linker's.
func TestEngineAgreesWithLink(t *testing.T) {
	recs, truth := MustBorough(t, 600, 7)
	db := MustStore(t)
	eng := MustEngine(t, db, resolver.EngineOptions{Population: len(recs)})
	order := slices.Clone(recs)
	slices.SortFunc(order, func(a, b resindex.Record) int { return cmp.Compare(a.Version, b.Version) })
	for i, r := range order {
		if _, err := eng.Apply(r, resindex.Position{Stream: "test", Offset: int64(i + 1)}); err != nil {
			t.Fatal(err)
		}
	}
	inc := evaluate.Compare(truth, exportAll(t, db))
	batch := evaluate.Compare(truth, assignments(MustLink(t, slices.Clone(recs), resolver.LinkOptions{})))
	t.Logf("incremental F1 %.4f (P %.4f R %.4f), batch F1 %.4f", inc.F1, inc.Precision, inc.Recall, batch.F1)
	if inc.Records != len(recs) {
		t.Errorf("incremental index holds %d records, want %d", inc.Records, len(recs))
	}
	if d := batch.F1 - inc.F1; d > 0.005 || d < -0.005 {
		t.Errorf("incremental F1 %.4f differs from batch %.4f by more than 0.005", inc.F1, batch.F1)
	}
}

// TestEngineMergeAndSplit: a record that bridges two people merges them
// (the older ID survives, the other redirects); deleting it splits them
// again, the part holding most of the old records keeping the ID.
func TestEngineMergeAndSplit(t *testing.T) {
	db := MustStore(t)
	eng := MustEngine(t, db, resolver.EngineOptions{})
	a := resindex.Record{Source: "a_council_tax", ID: "1", Version: "1", Name: resindex.Name{Given: "J", Family: "Smith"},
		Identifiers: map[string]string{"nino": "AB123456C"}, Addresses: []resindex.Address{{Lines: []string{"4 Mill Lane"}, Postcode: "N7 8QT"}}}
	b := resindex.Record{Source: "b_libraries", ID: "2", Version: "1", Name: resindex.Name{Given: "Jonathan", Family: "Smyth"},
		Emails: []string{"jon.smyth@example.org"}}
	c := resindex.Record{Source: "c_contact", ID: "3", Version: "1", Name: resindex.Name{Given: "Jon", Family: "Smith"},
		Identifiers: map[string]string{"nino": "AB 12 34 56 C"}, Emails: []string{"jon.smyth@example.org"}}
	apply := applier(t, eng)
	persons := func() map[string]string { return personByID(t, db) }
	apply(a)
	apply(b)
	before := persons()
	if before["1"] == before["2"] {
		t.Fatalf("a and b linked without the bridge: %v", before)
	}
	apply(c)
	merged := persons()
	if merged["1"] != merged["2"] || merged["2"] != merged["3"] {
		t.Fatalf("bridge did not merge: %v", merged)
	}
	if merged["1"] != before["1"] {
		t.Errorf("merged person is %s, want the older ID %s", merged["1"], before["1"])
	}
	c.Version, c.Deleted = "2", true
	apply(c)
	split := persons()
	if split["1"] == split["2"] || len(split) != 2 {
		t.Fatalf("deleting the bridge did not split: %v", split)
	}
	if split["1"] != before["1"] {
		t.Errorf("after the split a has %s, want %s", split["1"], before["1"])
	}
	var kinds []string
	db.Outbox(0, 0, func(_ uint64, p []byte) error { kinds = append(kinds, string(p)); return nil })
	if !slices.ContainsFunc(kinds, func(s string) bool { return strings.Contains(s, `"person.merged"`) && strings.Contains(s, before["2"]) }) {
		t.Errorf("no merge in the change feed: %v", kinds)
	}
	wantSplit := fmt.Sprintf(`{"type":"person.split","person":%q,"from":%q,"records":1}`, split["2"], split["1"])
	if kinds[len(kinds)-1] != wantSplit && kinds[len(kinds)-2] != wantSplit {
		t.Errorf("split not in the change feed as %s: %v", wantSplit, kinds)
	}
	// Replaying a change already applied (the fourth: the bridge's delete)
	// is a no-op.
	if ok, err := eng.Apply(c, resindex.Position{Stream: "t", Offset: 4}); ok || err != nil {
		t.Errorf("replay took effect: %v %v", ok, err)
	}
}

// TestEngineOverrides: a manual unlink splits a person whatever the
// scores, a manual link joins two, and both hold through later changes.
func TestEngineOverrides(t *testing.T) {
	db := MustStore(t)
	// A tiny store: the prior is reckoned for a tiny population.
	eng := MustEngine(t, db, resolver.EngineOptions{Population: 10})
	twin1 := resindex.Record{Source: "ct", ID: "1", Version: "1", Name: resindex.Name{Given: "Ann", Family: "Lee"}, DOB: "1990-01-02",
		Addresses: []resindex.Address{{Lines: []string{"4 Mill Lane"}, Postcode: "N7 8QT"}}}
	twin2 := twin1
	twin2.Source, twin2.ID = "er", "2"
	other := resindex.Record{Source: "lib", ID: "3", Version: "1", Name: resindex.Name{Given: "Zed", Family: "Quill"}}
	pos := int64(0)
	next := func() resindex.Position { pos++; return resindex.Position{Stream: "t", Offset: pos} }
	for _, r := range []resindex.Record{twin1, twin2, other} {
		if _, err := eng.Apply(r, next()); err != nil {
			t.Fatal(err)
		}
	}
	persons := func() map[string]string { return personByID(t, db) }
	if p := persons(); p["1"] != p["2"] {
		t.Fatalf("identical records not linked: %v", p)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(eng.SetOverride(twin1.Key(), twin2.Key(), resolver.Override{Kind: resolver.OverrideUnlink, Reason: "twins, per the school"}, next()))
	if p := persons(); p["1"] == p["2"] {
		t.Fatalf("unlink not honoured: %v", p)
	}
	must(eng.SetOverride(twin1.Key(), other.Key(), resolver.Override{Kind: resolver.OverrideLink, Reason: "same person, checked in person"}, next()))
	if p := persons(); p["1"] != p["3"] || p["1"] == p["2"] {
		t.Fatalf("link not honoured: %v", p)
	}
	twin2.Version = "2"
	twin2.Emails = []string{"ann@example.org"}
	if _, err := eng.Apply(twin2, next()); err != nil {
		t.Fatal(err)
	}
	if p := persons(); p["1"] != p["3"] || p["1"] == p["2"] {
		t.Fatalf("overrides lost after a later change: %v", p)
	}
	if err := eng.SetOverride(twin1.Key(), other.Key(), resolver.Override{Kind: resolver.OverrideLink}, next()); err == nil {
		t.Error("an override without a reason was accepted")
	}
}

// TestEngineAnyInterleaving replays a borough's whole timeline (every
// version, deletions included) with the sources interleaved at random,
// each source in its own order as a connector would deliver it, and
// checks the result stays within 0.005 F1 of the batch linker's.
func TestEngineAnyInterleaving(t *testing.T) {
	b, all, truth := MustTimeline(t, 400, 23)
	batch := evaluate.Compare(truth, assignments(MustLink(t, resolver.Latest(all), resolver.LinkOptions{})))
	for seed := range uint64(3) {
		db := MustStore(t)
		eng := MustEngine(t, db, resolver.EngineOptions{Population: len(truth)})
		rng := rand.New(rand.NewPCG(seed, 99))
		next := map[string]int{}
		for i := 0; ; i++ {
			src := pickSource(rng, b.Records, next)
			if src == "" {
				break
			}
			r := b.Records[src][next[src]]
			next[src]++
			if _, err := eng.Apply(r, resindex.Position{Stream: "t", Offset: int64(i + 1)}); err != nil {
				t.Fatal(err)
			}
		}
		inc := evaluate.Compare(truth, exportAll(t, db))
		t.Logf("interleaving %d: incremental F1 %.4f, batch %.4f", seed, inc.F1, batch.F1)
		if d := batch.F1 - inc.F1; d > 0.005 || d < -0.005 || inc.MissingFromPrediction+inc.MissingFromTruth > 0 {
			t.Errorf("interleaving %d: F1 %.4f vs batch %.4f, %d/%d records missing", seed, inc.F1, batch.F1, inc.MissingFromPrediction, inc.MissingFromTruth)
		}
	}
}

// pickSource chooses at random a source with changes left.
func pickSource(rng *rand.Rand, recs map[string][]resindex.Record, next map[string]int) string {
	var open []string
	for _, src := range resindex.Sources {
		if next[src] < len(recs[src]) {
			open = append(open, src)
		}
	}
	if len(open) == 0 {
		return ""
	}
	return open[rng.IntN(len(open))]
}

// TestEngineLargeChange: a change too large for one store transaction —
// here a record that bridges two persons of hundreds of records each, in a
// store whose transactions hold a few kilobytes — still applies whole, and
// so does deleting it again.
func TestEngineLargeChange(t *testing.T) {
	db, err := store.Open(store.Options{Dir: t.TempDir(), GCInterval: -1, MemTableSize: 64 << 10})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	eng := MustEngine(t, db, resolver.EngineOptions{})
	apply := applier(t, eng)
	rec := func(id string, emails ...string) resindex.Record {
		return resindex.Record{Source: "s", ID: id, Version: "1", Emails: emails,
			Name: resindex.Name{Given: "Oluwaseun", Family: "Adeyemi-Okonkwo"}, DOB: "1971-03-09"}
	}
	for i := range 200 {
		apply(rec(fmt.Sprintf("a%03d", i), "a@example.org"))
		apply(rec(fmt.Sprintf("b%03d", i), "b@example.org"))
	}
	if got := len(distinct(personByID(t, db))); got != 2 {
		t.Fatalf("%d persons before the bridge, want 2", got)
	}
	// Searches run throughout: a read never deadlocks with a large change
	// (the store's lock is taken before the engine's, by both).
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for range 2 {
		readers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := eng.Search(resindex.Query{Given: "Oluwaseun", Family: "Adeyemi-Okonkwo"}, 5); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	defer func() { close(stop); readers.Wait() }()
	bridge := rec("bridge", "a@example.org", "b@example.org")
	within(t, "a large change beside searches", func() error {
		_, err := eng.Apply(bridge, resindex.Position{Stream: "bridge", Offset: 1})
		return err
	})
	if db.LargeChanges() == 0 {
		t.Fatal("the merge fitted one transaction: the test no longer exercises a large change")
	}
	if got := len(distinct(personByID(t, db))); got != 1 {
		t.Errorf("%d persons after the bridge, want 1", got)
	}
	bridge.Version, bridge.Deleted = "2", true
	apply(bridge)
	if got := len(distinct(personByID(t, db))); got != 2 {
		t.Errorf("%d persons after deleting the bridge, want 2", got)
	}
}

func distinct(m map[string]string) map[string]bool {
	out := map[string]bool{}
	for _, v := range m {
		out[v] = true
	}
	return out
}

// TestEngineTombstones: once a record is deleted, an older version that
// arrives later (a replayed extract, a redelivered event) does not bring
// it back; a newer one does.
func TestEngineTombstones(t *testing.T) {
	db := MustStore(t)
	eng := MustEngine(t, db, resolver.EngineOptions{})
	r := resindex.Record{Source: "s", ID: "1", Version: "2024-01-01", Name: resindex.Name{Given: "Ann", Family: "Lee"}}
	pos := int64(0)
	apply := func(r resindex.Record) bool {
		t.Helper()
		pos++
		ok, err := eng.Apply(r, resindex.Position{Stream: "t", Offset: pos})
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	apply(r)
	del := r
	del.Version, del.Deleted = "2024-02-01", true
	if !apply(del) || len(personByID(t, db)) != 0 {
		t.Fatalf("delete: persons %v", personByID(t, db))
	}
	if apply(r) || len(personByID(t, db)) != 0 {
		t.Errorf("an older version brought a deleted record back: %v", personByID(t, db))
	}
	if apply(del) {
		t.Error("the same delete took effect twice")
	}
	again := r
	again.Version = "2024-03-01"
	if !apply(again) || len(personByID(t, db)) != 1 {
		t.Errorf("a newer version after the delete: persons %v", personByID(t, db))
	}
	// A delete of a record never seen keeps out its older versions too.
	ghost := resindex.Record{Source: "s", ID: "2", Version: "2024-05-01", Deleted: true}
	apply(ghost)
	ghost.Version, ghost.Deleted, ghost.Name = "2024-04-01", false, resindex.Name{Family: "Ghost"}
	if apply(ghost) {
		t.Error("an insert older than a delete took effect")
	}
}

// TestEngineDeleteWithoutVersion: a delete that knows no version (a Kafka
// tombstone, a record missing from a full extract) deletes whatever
// version stands, and a later version brings the record back.
func TestEngineDeleteWithoutVersion(t *testing.T) {
	db := MustStore(t)
	eng := MustEngine(t, db, resolver.EngineOptions{})
	apply := applier(t, eng)
	r := resindex.Record{Source: "s", ID: "1", Version: "2024-01-01", Name: resindex.Name{Given: "Ann", Family: "Lee"}}
	apply(r)
	apply(resindex.Record{Source: "s", ID: "1", Deleted: true})
	if n := len(personByID(t, db)); n != 0 {
		t.Fatalf("a versionless delete left %d persons", n)
	}
	ok, err := eng.Apply(resindex.Record{Source: "s", ID: "1", Deleted: true}, resindex.Position{Stream: "u", Offset: 1})
	if err != nil || ok {
		t.Fatalf("deleting a deleted record again: took effect %v, %v", ok, err)
	}
	if ok, _ := eng.Apply(resindex.Record{Source: "s", ID: "never", Deleted: true}, resindex.Position{Stream: "u", Offset: 2}); ok {
		t.Error("deleting a record never seen took effect")
	}
	r.Version = "2024-01-02"
	apply(r)
	if n := len(personByID(t, db)); n != 1 {
		t.Fatalf("a newer version after the delete: %d persons", n)
	}
}
