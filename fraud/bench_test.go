package fraud

import (
	"fmt"
	"testing"

	"github.com/resindex/resindex"
)

// BenchmarkChecks runs both checks over 30,000 persons in memory (10,000
// homes of three: a tenancy or a discounted account each, with
// register and library records), the part of a run after the store is
// read. go test -bench Checks ./fraud
func BenchmarkChecks(b *testing.B) {
	var ps people
	for h := range 10000 {
		uprn := fmt.Sprintf("1000%08d", h)
		for m := range 3 {
			id := fmt.Sprintf("%d-%d", h, m)
			recs := []resindex.Record{
				record(resindex.SourceElectoralRoll, "ER"+id, uprn, "2015-03-01", "2025-12-01"),
				record(resindex.SourceLibraries, "L"+id, uprn, "2015-03-01", "2026-02-01"),
			}
			if m == 0 && h%2 == 0 {
				recs = append(recs, record(resindex.SourceHousing, "T"+id, uprn, "2015-03-01", "2026-04-01", lead("T"+id, "2015-03-01")))
			}
			if m == 0 && h%2 == 1 {
				recs = append(recs, record(resindex.SourceCouncilTax, "C"+id, uprn, "2015-03-01", "2026-03-10", spdOn("C"+id, "2015-03-01")))
			}
			ps = append(ps, recs)
		}
	}
	scan := ps.scan()
	b.ResetTimer()
	for range b.N {
		if _, err := Run(scan, []Kind{Subletting, SPD}, Options{MinScore: DefaultMinScore}); err != nil {
			b.Fatal(err)
		}
	}
}
