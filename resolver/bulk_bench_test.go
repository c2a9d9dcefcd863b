package resolver

import (
	"testing"

	"github.com/resindex/resindex/store"
)

// BenchmarkBulkLoad loads a 2,000-person borough into a new store on
// disk, the index through Fill (as ingest --bulk does) or through
// batches, linking included.
func BenchmarkBulkLoad(b *testing.B) {
	recs := sameBorough(b, 2000, 3)
	for _, fill := range []bool{true, false} {
		name := map[bool]string{true: "fill", false: "batches"}[fill]
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				db, err := store.Open(store.Options{Dir: b.TempDir(), GCInterval: -1})
				if err != nil {
					b.Fatal(err)
				}
				opts := BulkOptions{Stream: "b", NoEngine: true}
				if fill {
					opts.Fill = db.Fill
				}
				b.StartTimer()
				if _, _, err := BulkLoad(db, sameBatcher(db), recs, opts); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				db.Close()
				b.StartTimer()
			}
		})
	}
}

// BenchmarkBulkPlan derives and sorts the index entries of a
// 2,000-person borough's link.
func BenchmarkBulkPlan(b *testing.B) {
	recs := sameBorough(b, 2000, 3)
	res, err := Link(recs, LinkOptions{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		planBulk(res)
	}
}
