package matcher

import (
	"math"
	"testing"
)

// TestTopOfUsesTheHeldLogOnlyWhenItFits: the bound on a name's weight is
// the same with the log2 a profile holds as computed afresh, and a held
// log2 of another frequency or minimum is not used.
func TestTopOfUsesTheHeldLogOnlyWhenItFits(t *testing.T) {
	tc := termCap{plain: [2]float64{1, 2}, tfLogM: [2]float64{-0.1, -0.2}, tfPlain: [2]float64{3, 4}, hh: 5, tfMin: 1e-6}
	fresh := func(f float64, household bool) float64 {
		h := 0
		if household {
			h = 1
		}
		tf := tc.tfPlain[h]
		if f > 0 {
			tf = tc.tfLogM[h] - math.Log2(max(f, tc.tfMin))
		}
		out := max(0, tc.plain[h], tf)
		if household {
			out = max(out, tc.hh)
		}
		return out
	}
	wrong := tfLog{f: 0.5, min: 1e-6, log: 99}
	for _, fa := range []float64{0, 1e-9, 1e-6, 0.001, 0.5} {
		for _, fb := range []float64{0, 1e-7, 0.001, 0.25} {
			for _, hh := range []bool{false, true} {
				want := fresh(max(fa, fb), hh)
				la, lb := newTFLog(fa, tc.tfMin), newTFLog(fb, tc.tfMin)
				stale := tfLog{f: fa, min: 1e-3, log: 99}
				for _, got := range []float64{
					tc.topOf(fa, fb, &la, &lb, hh),
					tc.topOf(fb, fa, &lb, &la, hh),
					tc.topOf(fa, fb, &stale, &wrong, hh),
					tc.topOf(fa, fb, &tfLog{}, &tfLog{}, hh),
				} {
					if got != want {
						t.Fatalf("fa %v fb %v household %v: %v, want %v", fa, fb, hh, got, want)
					}
				}
			}
		}
	}
}
