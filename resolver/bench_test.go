package resolver_test

import (
	"slices"
	"testing"

	"github.com/resindex/resindex"
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

// BenchmarkLinkFitted links the same borough as plain `link` does,
// fitting the model first: the difference from BenchmarkLink is the cost
// of fitting (random pairs for u — 300,000 here — and sampled sessions).
func BenchmarkLinkFitted(b *testing.B) {
	recs, _ := MustBorough(b, 10000, 1)
	b.ResetTimer()
	for b.Loop() {
		if _, err := resolver.Link(slices.Clone(recs), resolver.LinkOptions{Fit: &resolver.FitOptions{Seed: 1}}); err != nil {
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

// BenchmarkEngineApply applies a 2,000-person borough's live records one
// change at a time into a real Badger store; ns/op is per change.
func BenchmarkEngineApply(b *testing.B) {
	recs, _ := MustBorough(b, 2000, 1)
	b.ResetTimer()
	n := 0
	for b.Loop() {
		b.StopTimer()
		db := MustStore(b)
		eng := MustEngine(b, db, resolver.EngineOptions{Population: len(recs)})
		b.StartTimer()
		for i, r := range recs {
			if _, err := eng.Apply(r, resindex.Position{Stream: "bench", Offset: int64(i + 1)}); err != nil {
				b.Fatal(err)
			}
		}
		n += len(recs)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/change")
}
