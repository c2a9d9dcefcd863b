package evaluate

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resindex/resindex"
)

// key returns the record key s/id used throughout the tests.
func key(id string) resindex.RecordKey { return resindex.RecordKey{Source: "s", ID: id} }

// clusters builds assignments from a space-separated list of person ids:
// record r<i> goes to the i-th person, e.g. "1 1 2" puts r0 and r1 together.
func clusters(persons string) []resindex.Assignment {
	var out []resindex.Assignment
	for i, p := range strings.Fields(persons) {
		out = append(out, resindex.Assignment{Key: key(fmt.Sprintf("r%d", i)), PersonID: p})
	}
	return out
}

// assign builds assignments from id=person pairs, e.g. "a1=p1 b1=p2".
func assign(t testing.TB, pairs string) []resindex.Assignment {
	t.Helper()
	var out []resindex.Assignment
	for _, f := range strings.Fields(pairs) {
		id, person, ok := strings.Cut(f, "=")
		if !ok {
			t.Fatalf("bad test assignment %q", f)
		}
		out = append(out, resindex.Assignment{Key: key(id), PersonID: person})
	}
	return out
}

// febrlDir returns the directory of the public Febrl datasets, read in place
// and never copied into the repository. Without it the test is skipped,
// unless CI is set, where it fails.
func febrlDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", "benchmarks", "febrl")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Febrl datasets: %v", err)
		}
		t.Skipf("Febrl datasets not present: %v", err)
	}
	return dir
}

// mustReadFEBRL reads one Febrl file from the benchmark directory.
func mustReadFEBRL(t testing.TB, name string, opts FEBRLOptions) ([]resindex.Record, []resindex.Assignment) {
	t.Helper()
	f, err := os.Open(filepath.Join(febrlDir(t), name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, truth, err := ReadFEBRL(f, opts)
	if err != nil {
		t.Fatalf("ReadFEBRL(%s): %v", name, err)
	}
	return recs, truth
}
