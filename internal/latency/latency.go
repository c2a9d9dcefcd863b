package latency

import (
	"fmt"
	"slices"
	"time"
)

// Summary gives the median, 99th percentile and maximum of d, in
// milliseconds, or "n/a" for none. It sorts d in place.
func Summary(d []time.Duration) string {
	if len(d) == 0 {
		return "n/a"
	}
	slices.Sort(d)
	q := func(p float64) float64 { return float64(d[int(p*float64(len(d)-1))]) / 1e6 }
	return fmt.Sprintf("p50 %.2f ms, p99 %.2f ms, max %.2f ms", q(0.5), q(0.99), q(1))
}
