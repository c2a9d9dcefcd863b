package resolver_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/resindex/resindex/internal/ndjson"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/synth"
)

// TestLinkPinnedBorough pins what `resindex link` makes of a seeded
// borough, end to end: its canonical timeline written to files with a
// few malformed lines added, read as link reads it (ReadLive), the model
// fitted to the records (Fit seed 1, as link does when no model is
// pinned) and linked with the records released. The digests of the
// sorted (record, person) assignments, the fitted model, the scored pairs
// and the reported bad lines are stored in testdata; speed work on
// reading, fitting, blocking or scoring must leave every one as it was.
// Regenerate only for an intended change of behaviour:
// go test ./resolver -run TestLinkPinnedBorough -update
func TestLinkPinnedBorough(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and links a borough of 3,000 persons")
	}
	dir := t.TempDir()
	cfg := synth.DefaultConfig()
	cfg.Persons, cfg.Seed, cfg.NoEvents = 3000, 18, true
	if _, _, err := synth.GenerateTo(cfg, dir, nil); err != nil {
		t.Fatal(err)
	}
	files := pinnedInput(t, filepath.Join(dir, "canonical"))
	var bad []string
	recs, versions, err := resolver.ReadLive(files, 2, func(file string, le *ndjson.LineError) {
		bad = append(bad, filepath.Base(file)+": "+le.Error())
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	res := MustLink(t, recs, resolver.LinkOptions{Workers: 2, Fit: &resolver.FitOptions{Seed: 1}, ReleaseRecords: true})
	got := pinnedDigests(t, res, versions, bad)
	golden := filepath.Join("testdata", "link_pinned.txt")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./resolver -run TestLinkPinnedBorough -update)", err)
	}
	if got != string(want) {
		t.Errorf("link of the pinned borough changed:\n%s\nwant:\n%s", got, want)
	}
}

// pinnedInput lists the borough's canonical files, after adding to one of
// them lines that must be reported and skipped, among them a malformed
// newest version of a record whose older version must then be kept.
func pinnedInput(t *testing.T, canonical string) []string {
	files, err := filepath.Glob(filepath.Join(canonical, "*.ndjson"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no canonical files (%v)", err)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(data), "\n")
	h, ok := ndjson.ScanHeader([]byte(first))
	if !ok {
		t.Fatalf("first line of %s has no header", files[0])
	}
	extra := []string{
		`{"source":"` + h.Source + `","id":"` + h.ID + `","version":"2099-01-01T00:00:00Z","dob":19800101}`,
		`{"source":"x","id":"1","version":"2024-01-01T00:00:00Z","nmae":{}}`,
		`{"source":"x","id":"2","version":"2024-01-01T00:00:00Z"`,
		`not json`,
		`{"source":"x","id":"3"} {}`,
	}
	f, err := os.OpenFile(files[0], os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(strings.Join(extra, "\n") + "\n"); err != nil {
		t.Fatal(err)
	}
	return files
}

// pinnedDigests renders the counts and the digests compared with the
// stored ones.
func pinnedDigests(t *testing.T, res *resolver.LinkResult, versions int, bad []string) string {
	var as strings.Builder
	for i, k := range res.Keys { // Keys are in key order
		fmt.Fprintf(&as, "%s,%s,%s\n", k.Source, k.ID, res.PersonIDs[i])
	}
	model, err := res.Scorer.Model().MarshalIndent()
	if err != nil {
		t.Fatal(err)
	}
	var edges strings.Builder
	for _, e := range res.Edges {
		fmt.Fprintf(&edges, "%s %s %s\n", res.Keys[e.A], res.Keys[e.B], strconv.FormatFloat(e.Weight, 'g', -1, 64))
	}
	slices.Sort(bad) // reported from several workers, in no fixed order
	var b strings.Builder
	fmt.Fprintf(&b, "versions %d records %d persons %d candidates %d edges %d\n",
		versions, len(res.Keys), res.Stats.Persons, res.Stats.Candidates, len(res.Edges))
	fmt.Fprintf(&b, "assignments %s\n", digest(as.String()))
	fmt.Fprintf(&b, "model %s\n", digest(string(model)))
	fmt.Fprintf(&b, "edges %s\n", digest(edges.String()))
	fmt.Fprintf(&b, "bad lines:\n%s\n", strings.Join(bad, "\n"))
	return b.String()
}

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
