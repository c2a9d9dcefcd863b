package resolver_test

import (
	"slices"
	"testing"

	"github.com/resindex/resindex/resolver"
)

// BenchmarkLink links a 10,000-person borough (about 21,000 records) end to
// end; docs/BENCHMARKS.md has the million-record figure from the binary.
func BenchmarkLink(b *testing.B) {
	recs, _ := MustBorough(b, 10000, 1)
	b.ResetTimer()
	for b.Loop() {
		if _, err := resolver.Link(slices.Clone(recs), resolver.LinkOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(recs)), "records")
}

func BenchmarkLatest(b *testing.B) {
	recs, _ := MustBorough(b, 10000, 1)
	b.ResetTimer()
	for b.Loop() {
		_ = resolver.Latest(slices.Clone(recs))
	}
}
