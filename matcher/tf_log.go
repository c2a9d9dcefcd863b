package matcher

import "math"

// tfLog is log2 of a term frequency floored at a model's minimum, as
// scoring's bound on a name's weight takes it (see termCap.topOf), kept
// with the frequency and minimum it was computed for: it is used only
// while both are unchanged, so it never makes a score other than
// computing it afresh would.
type tfLog struct{ f, min, log float64 }

func newTFLog(f, min float64) tfLog {
	if f <= 0 {
		return tfLog{}
	}
	return tfLog{f, min, math.Log2(max(f, min))}
}

// of returns the log2 for frequency f and minimum min, if it holds it.
func (l *tfLog) of(f, min float64) (float64, bool) {
	return l.log, l.f == f && l.min == min && f > 0
}
