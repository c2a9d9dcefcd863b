package latency

import (
	"testing"
	"time"
)

func TestSummary(t *testing.T) {
	ms := func(ns ...int) []time.Duration {
		out := make([]time.Duration, len(ns))
		for i, n := range ns {
			out[i] = time.Duration(n) * time.Millisecond
		}
		return out
	}
	cases := []struct {
		name string
		d    []time.Duration
		want string
	}{
		{"none", nil, "n/a"},
		{"one", ms(3), "p50 3.00 ms, p99 3.00 ms, max 3.00 ms"},
		{"unsorted", ms(9, 1, 5), "p50 5.00 ms, p99 5.00 ms, max 9.00 ms"},
	}
	for _, c := range cases {
		if got := Summary(c.d); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
