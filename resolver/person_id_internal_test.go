package resolver

import (
	"fmt"
	"testing"
)

func TestPersonIDIsSprintf(t *testing.T) {
	for _, n := range []int{1, 9, 10, 999, 1234567, 9999999, 10000000, 123456789012} {
		if got, want := personID(n), fmt.Sprintf("P%07d", n); got != want {
			t.Errorf("%d: %q, want %q", n, got, want)
		}
	}
}

func BenchmarkPersonIDs(b *testing.B) {
	labels := make([]int32, 100000)
	for i := range labels {
		labels[i] = int32(i - i%3)
	}
	for b.Loop() {
		personIDs(labels)
	}
}
