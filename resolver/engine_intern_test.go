package resolver

import (
	"fmt"
	"hash/maphash"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/matcher"
)

func TestInternerNumbersStringsOnce(t *testing.T) {
	in := newInterner()
	words := []string{"", "a", "b\x00c", "smith|john|1980-01-02\x01electoral_roll\x00ER-1"}
	for range internChunk / 64 { // enough to fill more than one chunk
		words = append(words, fmt.Sprintf("entry-%d-%s", len(words), strings.Repeat("x", 80)))
	}
	ids := map[string]uint32{}
	for _, w := range words {
		ids[w] = in.intern(w)
	}
	if len(in.chunks) < 2 {
		t.Fatalf("chunks %d: the test should fill more than one", len(in.chunks))
	}
	for _, w := range words {
		if got := in.intern(w); got != ids[w] {
			t.Fatalf("intern(%q) again = %d, first %d", w, got, ids[w])
		}
		if got := in.str(ids[w]); got != w {
			t.Fatalf("str(%d) = %q, want %q", ids[w], got, w)
		}
		if got, ok := in.lookup(w); !ok || got != ids[w] {
			t.Fatalf("lookup(%q) = %d %v", w, got, ok)
		}
	}
	if _, ok := in.lookup("never"); ok {
		t.Fatal("lookup found a string never interned")
	}
	if in.size() != len(words) {
		t.Fatalf("size %d, want %d", in.size(), len(words))
	}
}

// Two strings with one hash: the second takes the next slot of the probe
// sequence and each is found as itself.
func TestInternerSharedHash(t *testing.T) {
	in := newInterner()
	a := in.intern("a")
	// Make "b" hash where "a" is, as a collision would.
	h := maphash.String(in.seed, "b")
	in.byHash[h] = a
	b := in.intern("b")
	if a == b || in.str(b) != "b" {
		t.Fatalf("b numbered %d (a %d) as %q", b, a, in.str(b))
	}
	if got, ok := in.lookup("b"); !ok || got != b {
		t.Fatalf("lookup(b) = %d %v, want %d", got, ok, b)
	}
	if got, _ := in.lookup("a"); got != a {
		t.Fatalf("lookup(a) = %d, want %d", got, a)
	}
	k := resindex.RecordKey{Source: "s", ID: "1"}
	in.byHash[maphash.String(in.seed, layout.RecID(k))] = a
	r := in.intern(layout.RecID(k))
	if got, ok := in.lookupRecord(k); !ok || got != r {
		t.Fatalf("lookupRecord = %d %v, want %d", got, ok, r)
	}
	if _, ok := in.lookupRecord(resindex.RecordKey{Source: "s\x001"}); ok {
		t.Fatal("lookupRecord matched a key split differently")
	}
}

func TestMemMembersAssign(t *testing.T) {
	mm := newMemMembers()
	k1, k2 := resindex.RecordKey{Source: "a", ID: "1"}, resindex.RecordKey{Source: "a", ID: "2"}
	mm.publish(map[resindex.RecordKey]string{k1: "P1", k2: "P1"})
	mm.publish(map[resindex.RecordKey]string{k2: "P2"})
	if got := mm.get(k1); got != "P1" {
		t.Fatalf("k1 → %q", got)
	}
	if got := mm.get(k2); got != "P2" {
		t.Fatalf("k2 → %q", got)
	}
	mm.publish(map[resindex.RecordKey]string{k1: ""})
	if got := mm.get(k1); got != "" {
		t.Fatalf("removed k1 → %q", got)
	}
	if got := mm.get(resindex.RecordKey{Source: "b", ID: "1"}); got != "" {
		t.Fatalf("unknown → %q", got)
	}
	mm.publish(map[resindex.RecordKey]string{k1: "P3"})
	if got := mm.get(k1); got != "P3" {
		t.Fatalf("k1 again → %q", got)
	}
	k3 := resindex.RecordKey{Source: "b", ID: "3"}
	mm.publish(map[resindex.RecordKey]string{k2: "P3", k3: "P3"})
	mm.publish(map[resindex.RecordKey]string{k2: "P2"}) // k2 leaves from the middle or an end
	mm.publish(map[resindex.RecordKey]string{k2: "P3"})
	mm.publish(map[resindex.RecordKey]string{k1: "P4"})
	for pid, want := range map[string][]string{"P1": nil, "P2": nil, "P3": {"a\x002", "b\x003"}, "P4": {"a\x001"}, "P9": nil} {
		var got []string
		mm.each(pid, func(rec string) { got = append(got, rec) })
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("records of %s = %q, want %q", pid, got, want)
		}
	}
}

func TestMemBlocksPublish(t *testing.T) {
	mb := newMemBlocks()
	mb.publish(map[uint64][]string{1: {"a", "c", "e"}, 2: {"b"}})
	mb.publish(map[uint64][]string{1: {"a", "b", "e"}, 2: {}})
	got := blockView{ids: mb.m[1], in: mb.in}
	var all []string
	for i := range got.len() {
		all = append(all, got.at(i))
	}
	if !slices.Equal(all, []string{"a", "b", "e"}) {
		t.Fatalf("block 1 = %q", all)
	}
	if _, ok := mb.m[2]; ok {
		t.Fatal("an emptied block stayed")
	}
	for _, c := range []struct {
		entry string
		i     int
		found bool
	}{{"a", 0, true}, {"b", 1, true}, {"c", 2, false}, {"z", 3, false}, {"", 0, false}} {
		if i, found := got.search(c.entry); i != c.i || found != c.found {
			t.Errorf("search(%q) = %d %v, want %d %v", c.entry, i, found, c.i, c.found)
		}
	}
}

// BenchmarkMemBlocksPublish: a change's edit of one large block, as
// publish merges it back.
func BenchmarkMemBlocksPublish(b *testing.B) {
	mb := newMemBlocks()
	entries := make([]string, 5000)
	for i := range entries {
		entries[i] = fmt.Sprintf("smith|john %05d|1980-01-02\x01council_tax\x00CT-%d", i, i)
	}
	mb.publish(map[uint64][]string{1: entries})
	e := &change{reader: &reader{Engine: &Engine{blocks: mb}, cache: &applyCache{}}}
	b.ResetTimer()
	for i := range b.N {
		e.cache.blocks = map[uint64][]string{}
		e.editBlock(1, entries[2500], i%2 == 1)
		mb.publish(e.cache.blocks)
	}
}

// BenchmarkMembersGet: the record → person look-up every change and read
// makes for each record it meets.
func BenchmarkMembersGet(b *testing.B) {
	mm := newMemMembers()
	keys := make([]resindex.RecordKey, 100_000)
	staged := map[resindex.RecordKey]string{}
	for i := range keys {
		keys[i] = resindex.RecordKey{Source: "council_tax", ID: fmt.Sprintf("CT-%d", i)}
		staged[keys[i]] = fmt.Sprintf("P%010d", i/2)
	}
	mm.publish(staged)
	b.ResetTimer()
	for i := range b.N {
		if mm.get(keys[i%len(keys)]) == "" {
			b.Fatal("lost")
		}
	}
}

// A compacted profile is the same profile: every value, nil and empty
// lists told apart, and the profile it was made from untouched.
func TestCompactProfileKeepsValues(t *testing.T) {
	recs := []resindex.Record{
		{Source: "council_tax", ID: "CT-1", Version: "2026-01-01T00:00:00Z", Name: resindex.Name{Given: "Mary Ann", Family: "Smith-Jones"}, DOB: "1980-02-03",
			Identifiers: map[string]string{"nhs": "9434765919", "badge": "B1"}, Emails: []string{"m@example.org"}, Phones: []string{"07700 900123"},
			Addresses: []resindex.Address{{Lines: []string{"Flat 2", "10 High Street"}, Town: "Anytown", Postcode: "AB1 2CD", UPRN: "100021063920", Current: true}, {Lines: []string{"3 Low Road"}, Postcode: "AB1 9ZZ"}}},
		{Source: "libraries", ID: "L-9", Name: resindex.Name{Family: "X"}},
		{Source: "s", ID: "1"},
	}
	for _, r := range recs {
		p := matcher.NewProfile(&r)
		orig := matcher.NewProfile(&r)
		en := newEntry(p)
		if !reflect.DeepEqual(en.p, orig) {
			t.Errorf("%s: compacted %+v, want %+v", r.Key(), en.p, orig)
		}
		if !reflect.DeepEqual(p, orig) {
			t.Errorf("%s: the profile compacted from changed", r.Key())
		}
		if len(en.p.Given) > 0 {
			g := append(en.p.Given, "extra") // must not overwrite the next list
			if !reflect.DeepEqual(en.p, orig) || len(g) != len(orig.Given)+1 {
				t.Errorf("%s: an append to a compacted list wrote into another", r.Key())
			}
		}
	}
}

func BenchmarkCompactProfile(b *testing.B) {
	r := resindex.Record{Source: "council_tax", ID: "CT-1", Name: resindex.Name{Given: "Mary Ann", Family: "Smith-Jones"}, DOB: "1980-02-03",
		Addresses: []resindex.Address{{Lines: []string{"Flat 2", "10 High Street"}, Town: "Anytown", Postcode: "AB1 2CD", UPRN: "100021063920", Current: true}}}
	p := matcher.NewProfile(&r)
	b.ReportAllocs()
	for range b.N {
		newEntry(p)
	}
}
