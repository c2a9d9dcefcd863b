package resolver_test

import (
	"cmp"
	"slices"
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
	eng := resolver.NewEngine(db, resolver.EngineOptions{Population: len(recs)})
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
