package synth

import (
	"math/rand/v2"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// errKind is a kind of deviation between a source record and the true
// person. The names are what truth/errors.csv lists.
type errKind uint8

const (
	errTypo errKind = iota
	errNickname
	errInitialOnly
	errGivenMiddleSwap
	errMarriedName
	errDoubleBarrel
	errDOBSwap
	errDOBDigit
	errDOBMissing
	errStaleAddress
	errAddressFormat
	errPostcodeMissing
	errInvalidIdentifier
	numErrKinds
)

// ErrorKinds lists the deviation kinds, in the order errors.csv lists them
// within a row.
var ErrorKinds = []string{
	"typo", "nickname", "initial_only", "given_middle_swap", "married_name", "double_barrel_variant",
	"dob_day_month_swap", "dob_one_digit", "dob_missing", "stale_address", "address_format",
	"postcode_missing", "invalid_identifier",
}

// errMask is a set of errKinds.
type errMask uint16

func (m errMask) has(k errKind) bool { return m&(1<<k) != 0 }

func (m *errMask) set(k errKind) { *m |= 1 << k }

// kinds returns the names of the kinds in m, in ErrorKinds order.
func (m errMask) kinds() []string {
	var out []string
	for k := errKind(0); k < numErrKinds; k++ {
		if m.has(k) {
			out = append(out, ErrorKinds[k])
		}
	}
	return out
}

// errRates is a source's chance of each deviation per record. Stale
// addresses are not drawn: they come from the source learning moves late.
type errRates [numErrKinds]float64

// pickErrors draws the deviations injected into a new record. A kind is
// drawn only when it can apply to this person and record, so the rates are
// rates among records that could show it.
func pickErrors(r *rand.Rand, rates *errRates, scale float64, p *person, h hold) errMask {
	var m errMask
	can := applicable(p, h)
	for k := errKind(0); k < numErrKinds; k++ {
		if can.has(k) && chance(r, rates[k]*scale) {
			m.set(k)
		}
	}
	// One thing happens to a given name at a time; a missing date of
	// birth cannot also be mistyped.
	if m.has(errNickname) {
		m &^= 1 << errInitialOnly
	}
	if m.has(errDOBMissing) {
		m &^= 1<<errDOBSwap | 1<<errDOBDigit
	}
	if m.has(errDOBSwap) {
		m &^= 1 << errDOBDigit
	}
	return m
}

// applicable returns the kinds that can show on a record of p holding h.
func applicable(p *person, h hold) errMask {
	m := errMask(1<<errTypo | 1<<errAddressFormat | 1<<errPostcodeMissing | 1<<errInitialOnly | 1<<errDoubleBarrel)
	if len(nicknames[p.given]) > 0 {
		m.set(errNickname)
	}
	if p.middle != "" {
		m.set(errGivenMiddleSwap)
	}
	if p.maiden != "" {
		m.set(errMarriedName)
	}
	if h&holdDOB != 0 {
		m |= 1<<errDOBMissing | 1<<errDOBDigit
		if _, mo, d := p.dob.civil(); d <= 12 && d != mo {
			m.set(errDOBSwap)
		}
	}
	if h&(holdNHS|holdNINO|holdUPN|holdUPRN) != 0 {
		m.set(errInvalidIdentifier)
	}
	return m
}

// typo makes one keyboard slip in s: a letter inserted, dropped,
// substituted by a neighbour on the keyboard, or two letters transposed.
// The first letter is kept, as people rarely mistype it.
func typo(r *rand.Rand, s string) string {
	rs := []rune(s)
	if len(rs) < 3 {
		return s + string(neighbour(r, rs[len(rs)-1]))
	}
	for range 8 {
		i := 1 + r.IntN(len(rs)-1)
		var out []rune
		switch r.IntN(4) {
		case 0:
			out = slicesInsert(rs, i, neighbour(r, rs[i]))
		case 1:
			out = append(append([]rune{}, rs[:i]...), rs[i+1:]...)
		case 2:
			out = append([]rune{}, rs...)
			out[i] = matchCase(neighbour(r, rs[i]), rs[i])
		default:
			if i == len(rs)-1 || rs[i] == rs[i+1] {
				continue
			}
			out = append([]rune{}, rs...)
			out[i], out[i+1] = out[i+1], out[i]
		}
		// Systems trim what is typed: a slip leaves no space at the ends.
		if t := string(out); t != s && !strings.ContainsAny(t[:1], " -'") && strings.TrimSpace(t) == t && !strings.Contains(t, "  ") {
			return t
		}
	}
	return s + "e"
}

func slicesInsert(rs []rune, i int, c rune) []rune {
	out := make([]rune, 0, len(rs)+1)
	out = append(out, rs[:i]...)
	out = append(out, matchCase(c, rs[i]))
	return append(out, rs[i:]...)
}

// keyboard rows give each letter its plausible slips.
var keyboardRows = []string{"qwertyuiop", "asdfghjkl", "zxcvbnm"}

func neighbour(r *rand.Rand, c rune) rune {
	lc := unicode.ToLower(c)
	for _, row := range keyboardRows {
		if i := strings.IndexRune(row, lc); i >= 0 {
			var opts []byte
			if i > 0 {
				opts = append(opts, row[i-1])
			}
			if i < len(row)-1 {
				opts = append(opts, row[i+1])
			}
			return rune(pick(r, opts))
		}
	}
	return rune('a' + r.IntN(26))
}

func matchCase(c, like rune) rune {
	if unicode.IsUpper(like) {
		return unicode.ToUpper(c)
	}
	return unicode.ToLower(c)
}

// barrelVariant writes a double-barrelled family name the way sources
// mangle it: one part only, the parts reversed, or space and hyphen
// swapped. It returns s unchanged when s has one part.
func barrelVariant(r *rand.Rand, s string) string {
	sep := "-"
	parts := strings.SplitN(s, "-", 2)
	if len(parts) < 2 {
		sep, parts = " ", strings.SplitN(s, " ", 2)
	}
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
		return s
	}
	switch r.IntN(5) {
	case 0:
		return parts[0]
	case 1:
		return parts[1]
	case 2:
		return parts[1] + sep + parts[0]
	case 3:
		return parts[0] + pickStr(sep == "-", " ", "-") + parts[1]
	}
	return parts[0] + parts[1]
}

func pickStr(c bool, a, b string) string {
	if c {
		return a
	}
	return b
}

// initialOf returns the first letter of s, upper-cased.
func initialOf(s string) string {
	c, _ := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(c))
}

// dobOneDigit changes one digit of a date so that it is still a date:
// a keying slip in the day, the month or the year.
func dobOneDigit(r *rand.Rand, d day) day {
	y, m, dd := d.civil()
	for range 16 {
		ny, nm, nd := y, m, dd
		switch r.IntN(3) {
		case 0:
			nd = flipDigit(r, dd, 10)
		case 1:
			nm = flipDigit(r, m, 10)
		default:
			ny = y - y%10 + flipDigit(r, y%10, 10)
		}
		if nm >= 1 && nm <= 12 && nd >= 1 && nd <= daysIn(ny, nm) && (ny != y || nm != m || nd != dd) {
			return date(ny, monthOf(nm), nd)
		}
	}
	return date(y, monthOf(m), dd%28+1)
}

// flipDigit changes one decimal digit of n (the units, or the tens).
func flipDigit(r *rand.Rand, n, base int) int {
	if r.IntN(2) == 0 || n < base {
		u := n % base
		return n - u + (u+1+r.IntN(base-1))%base
	}
	t := n / base % base
	return n - t*base + ((t+1+r.IntN(2))%3)*base
}

func daysIn(y, m int) int {
	if m == 12 {
		return 31
	}
	return int(date(y, monthOf(m+1), 1) - date(y, monthOf(m), 1))
}

func monthOf(m int) time.Month { return time.Month(m) }
