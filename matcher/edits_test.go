package matcher

import (
	"strings"
	"testing"

	"github.com/antzucaro/matchr"
)

// osa is the textbook full-matrix optimal string alignment distance.
// (matchr.OSA is not used as the reference: it misses a transposition of
// the first two letters, "ab" → "ba" = 2.)
func osa(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

func TestWithinEditsAgreesWithFullOSA(t *testing.T) {
	words := []string{"", "a", "ab", "ba", "imtcell", "mi0cell", "smith", "smyth", "smiht", "mitchell", "mithcell", "mitchrll",
		"richmond", "richmaond", "nathan", "nathsan", "nathab", "jones", "johnson", "abcdefgh", "hgfedcba"}
	for _, a := range words {
		for _, b := range words {
			d := osa(a, b)
			for k := 0; k <= 3; k++ {
				if got := withinEdits(a, b, k); got != (d <= k) {
					t.Errorf("withinEdits(%q,%q,%d) = %v, OSA = %d", a, b, k, got, d)
				}
			}
		}
	}
}

func FuzzWithinEdits(f *testing.F) {
	f.Add("mitchell", "mithcell", 2)
	f.Fuzz(func(t *testing.T, a, b string, k int) {
		if len(a) > 40 || len(b) > 40 || k < 0 || k > 4 {
			return
		}
		if got, want := withinEdits(a, b, k), osa(a, b) <= k; got != want && isASCII(a) && isASCII(b) {
			t.Fatalf("withinEdits(%q,%q,%d) = %v, OSA says %v", a, b, k, got, want)
		}
	})
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// TestCouldBeSimilarNeverRejectsASimilarPair checks the prefilter against
// the full test on every pair of a name list with typos.
func TestCouldBeSimilarNeverRejectsASimilarPair(t *testing.T) {
	names := []string{"margaret", "margeret", "mragaret", "maggie", "john", "jon", "joan", "jonathan", "jonathon",
		"mitchell", "mithcell", "mitchrll", "smith", "smyth", "smiht", "li", "lee", "ng", "okafor", "okafro", "abdullahi", "abdi"}
	for _, a := range names {
		for _, b := range names {
			full := matchr.JaroWinkler(a, b, false) >= fuzzyThreshold || withinEdits(a, b, 2)
			if full && !couldBeSimilar(a, b) {
				t.Errorf("prefilter rejects %q/%q", a, b)
			}
		}
	}
}

func FuzzCouldBeSimilar(f *testing.F) {
	f.Add("mitchell", "mithcell")
	f.Fuzz(func(t *testing.T, a, b string) {
		if len(a) == 0 || len(b) == 0 || len(a) > 30 || len(b) > 30 {
			return
		}
		full := matchr.JaroWinkler(a, b, false) >= fuzzyThreshold || withinEdits(a, b, 2)
		if full && !couldBeSimilar(a, b) {
			t.Fatalf("prefilter rejects %q/%q", a, b)
		}
	})
}

// TestWithinEditsLongValues: values over 62 bytes are never within an edit
// (a hash or a long email one letter apart is a different value), the
// same for k = 1 as for any k.
func TestWithinEditsLongValues(t *testing.T) {
	a := strings.Repeat("a", 70)
	b := a[:69] + "b"
	for k := 1; k <= 2; k++ {
		if withinEdits(a, b, k) {
			t.Errorf("withinEdits of two 70-byte values, k=%d: true, want false", k)
		}
	}
}
