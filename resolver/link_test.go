package resolver_test

import (
	"bytes"
	"flag"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/evaluate"
	"github.com/resindex/resindex/internal/ndjson"
	"github.com/resindex/resindex/resolver"
)

var update = flag.Bool("update", false, "rewrite golden files")

// MustReadRecords reads a canonical NDJSON fixture.
func MustReadRecords(tb testing.TB, path string) []resindex.Record {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []resindex.Record
	rr := ndjson.NewRecordReader(f)
	for {
		r, _, err := rr.Next()
		if err != nil {
			if err.Error() == "EOF" {
				return out
			}
			tb.Fatalf("%s: %v", path, err)
		}
		out = append(out, r)
	}
}

// MustReadAssignments reads a source,id,person_id CSV.
func MustReadAssignments(tb testing.TB, path string) []resindex.Assignment {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	as, err := evaluate.ReadAssignments(f)
	if err != nil {
		tb.Fatal(err)
	}
	return as
}

func assignments(res *resolver.LinkResult) []resindex.Assignment {
	out := make([]resindex.Assignment, len(res.Keys))
	for i, k := range res.Keys {
		out[i] = resindex.Assignment{Key: k, PersonID: res.PersonIDs[i]}
	}
	return out
}

func MustLink(tb testing.TB, recs []resindex.Record, opts resolver.LinkOptions) *resolver.LinkResult {
	tb.Helper()
	res, err := resolver.Link(recs, opts)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// TestLinkHardCases: twins, a father and son of one name at one address,
// two people with different NHS numbers, a nickname, a married name and a
// keying error in a date of birth. The fixture is linked among a synthetic
// borough, as it would be in a council: priors and term frequencies only
// mean something in a real-sized population.
func TestLinkHardCases(t *testing.T) {
	recs := MustReadRecords(t, "../testdata/link/small.ndjson")
	truth := MustReadAssignments(t, "../testdata/link/small.truth.csv")
	background, _ := MustBorough(t, 5000, 11)
	res := MustLink(t, append(slices.Clone(recs), background...), resolver.LinkOptions{})
	m := evaluate.Compare(truth, assignments(res))
	if m.Precision < 1 {
		t.Errorf("false merges: %+v", evaluate.WorstMerges(truth, assignments(res), 3))
	}
	if m.Recall < 1 {
		t.Errorf("false splits: %+v", evaluate.WorstSplits(truth, assignments(res), 3))
	}
}

// TestLinkGolden pins the output on the small fixture.
func TestLinkGolden(t *testing.T) {
	recs := MustReadRecords(t, "../testdata/link/small.ndjson")
	res := MustLink(t, recs, resolver.LinkOptions{})
	var buf bytes.Buffer
	if err := evaluate.WriteAssignments(&buf, assignments(res)); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("..", "testdata", "link", "small.golden.csv")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./resolver -run TestLinkGolden -update)", err)
	}
	if !bytes.Equal(want, buf.Bytes()) {
		t.Errorf("link output differs from %s:\n%s\nwant:\n%s", golden, buf.String(), want)
	}
}

// TestLinkIndependentOfOrder is a property test: shuffled input gives the
// same clusters, with the same IDs, every time.
func TestLinkIndependentOfOrder(t *testing.T) {
	recs := orderFixture(t)
	// Small blocks force windowing, where order could most easily leak in.
	opts := resolver.LinkOptions{MaxBlock: 20, Window: 5}
	first := MustLink(t, slices.Clone(recs), opts)
	if first.Stats.OversizedBlocks == 0 || first.Stats.RejectedMerges == 0 {
		t.Fatalf("fixture exercises too little: %d oversized blocks, %d refused merges", first.Stats.OversizedBlocks, first.Stats.RejectedMerges)
	}
	want := assignments(first)
	for seed := range uint64(4) {
		shuffled := slices.Clone(recs)
		rng := rand.New(rand.NewPCG(seed, 1))
		rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		opts.Workers = 1 + int(seed%3)
		if got := assignments(MustLink(t, shuffled, opts)); !slices.Equal(got, want) {
			t.Fatalf("seed %d: clusters depend on input order", seed)
		}
	}
}

// orderFixture is the hard-case fixture inside a small synthetic borough,
// big enough for oversized blocks, windowing and refused merges to occur.
func orderFixture(t *testing.T) []resindex.Record {
	recs := MustReadRecords(t, "../testdata/link/small.ndjson")
	background, _ := MustBorough(t, 1500, 21)
	return append(recs, background...)
}

func TestLinkRefusesDuplicateKeys(t *testing.T) {
	r := resindex.Record{Source: "a", ID: "1"}
	if _, err := resolver.Link([]resindex.Record{r, r}, resolver.LinkOptions{}); err == nil {
		t.Fatal("duplicate keys accepted")
	}
}

func TestLatestKeepsNewestAndDropsDeleted(t *testing.T) {
	in := []resindex.Record{
		{Source: "a", ID: "1", Version: "2024-01-01T00:00:00Z", Name: resindex.Name{Family: "Old"}},
		{Source: "a", ID: "1", Version: "2025-01-01T00:00:00Z", Name: resindex.Name{Family: "New"}},
		{Source: "a", ID: "2", Version: "2024-01-01T00:00:00Z"},
		{Source: "a", ID: "2", Version: "2025-01-01T00:00:00Z", Deleted: true},
		{Source: "a", ID: "3", Version: "2025-01-01T00:00:00Z", Deleted: true},
		{Source: "a", ID: "3", Version: "2024-01-01T00:00:00Z"},
	}
	out := resolver.Latest(in)
	if len(out) != 1 || out[0].ID != "1" || out[0].Name.Family != "New" {
		t.Fatalf("latest = %+v", out)
	}
}

// TestLatestTieIsOrderIndependent: two different records claiming the same
// key and version resolve the same way whichever comes first.
func TestLatestTieIsOrderIndependent(t *testing.T) {
	a := resindex.Record{Source: "a", ID: "1", Version: "v1", Addresses: []resindex.Address{{Postcode: "NW1 4AB"}}}
	b := resindex.Record{Source: "a", ID: "1", Version: "v1", Addresses: []resindex.Address{{Postcode: "E1 6AN"}}}
	x := resolver.Latest([]resindex.Record{a, b})
	y := resolver.Latest([]resindex.Record{b, a})
	if x[0].Addresses[0].Postcode != y[0].Addresses[0].Postcode {
		t.Fatalf("tie resolved by input order: %v vs %v", x[0].Addresses, y[0].Addresses)
	}
}
