package synth

import (
	"strings"
	"testing"
	"time"
)

// editDistance is the optimal string alignment distance (Damerau).
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}

func TestTypoIsOneEdit(t *testing.T) {
	r := newRand(3, 1)
	for _, s := range []string{"Smith", "Oluwaseun", "O'Brien", "Ali", "Li", "Mary Ann", "Kowalska"} {
		for i := 0; i < 200; i++ {
			got := typo(r, s)
			if got == s || editDistance(s, got) != 1 {
				t.Fatalf("typo(%q) = %q: want one edit", s, got)
			}
			if len(s) >= 3 && got[0] != s[0] {
				t.Fatalf("typo(%q) = %q changed the first letter", s, got)
			}
		}
	}
}

func FuzzTypo(f *testing.F) {
	for _, s := range []string{"Smith", "Zoë", "ab", "X"} {
		f.Add(s, uint64(1))
	}
	f.Fuzz(func(t *testing.T, s string, seed uint64) {
		if s == "" || !isName(s) {
			t.Skip()
		}
		if got := typo(newRand(seed, 1), s); got == s {
			t.Fatalf("typo(%q) left it unchanged", s)
		}
	})
}

// isName reports whether s looks like a name: letters, and inner spaces,
// hyphens and apostrophes.
func isName(s string) bool {
	return strings.IndexFunc(s, func(c rune) bool {
		return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == 'ë')
	}) < 0
}

func TestBarrelVariant(t *testing.T) {
	r := newRand(4, 1)
	for _, s := range []string{"Smith-Jones", "Ayomide Osei"} {
		seen := map[string]bool{}
		for i := 0; i < 200; i++ {
			v := barrelVariant(r, s)
			if v == s {
				t.Fatalf("barrelVariant(%q) unchanged", s)
			}
			seen[v] = true
		}
		if len(seen) < 4 {
			t.Errorf("barrelVariant(%q) gave only %v", s, seen)
		}
	}
	if v := barrelVariant(r, "Smith"); v != "Smith" {
		t.Errorf("barrelVariant(Smith) = %q, want it unchanged", v)
	}
}

func TestDOBOneDigit(t *testing.T) {
	r := newRand(5, 1)
	for _, s := range []string{"1980-01-31", "2000-02-29", "1999-12-09", "1955-10-10"} {
		d, _ := time.Parse(time.DateOnly, s)
		for i := 0; i < 300; i++ {
			got := dobOneDigit(r, dayOf(d)).iso()
			diff := 0
			for j := range got {
				if got[j] != s[j] {
					diff++
				}
			}
			if diff == 0 || diff > 2 {
				t.Fatalf("dobOneDigit(%s) = %s: want a date one keying slip away", s, got)
			}
		}
	}
}

func TestPickErrorsOnlyWhereApplicable(t *testing.T) {
	r := newRand(6, 1)
	all := errRates{}
	for k := range all {
		all[k] = 1
	}
	p := &person{given: "Zed", dob: date(1990, time.May, 20)} // no nickname, no middle, no maiden name; day > 12
	for i := 0; i < 100; i++ {
		m := pickErrors(r, &all, 1, p, holdDOB)
		for _, k := range []errKind{errNickname, errGivenMiddleSwap, errMarriedName, errDOBSwap, errInvalidIdentifier, errStaleAddress} {
			if m.has(k) {
				t.Fatalf("%s drawn where it cannot apply", ErrorKinds[k])
			}
		}
		if m.has(errDOBMissing) && (m.has(errDOBDigit) || m.has(errDOBSwap)) {
			t.Fatal("a missing date of birth also mistyped")
		}
	}
}

func TestErrorKindNames(t *testing.T) {
	if len(ErrorKinds) != int(numErrKinds) {
		t.Fatalf("%d names for %d kinds", len(ErrorKinds), numErrKinds)
	}
	var m errMask
	m.set(errTypo)
	m.set(errInvalidIdentifier)
	if got := strings.Join(m.kinds(), ";"); got != "typo;invalid_identifier" {
		t.Errorf("kinds = %s", got)
	}
}
