package synth

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// The generator issues identifiers that pass the checks in REFERENCE.md and,
// for the invalid_identifier deviation, corrupts them so that they fail. The
// validators here exist to make sure of both; the matcher has its own.

// newNHS returns a valid NHS number. England issues numbers in the 400–499
// and 600–799 million ranges, so the first digit is 4, 6 or 7.
func newNHS(r *rand.Rand) string {
	for {
		var d [10]byte
		d[0] = pick(r, []byte{'4', '6', '7'})
		for i := 1; i < 9; i++ {
			d[i] = byte('0' + r.IntN(10))
		}
		c, ok := nhsCheck(d[:9])
		if !ok {
			continue // a check of 10 is never issued
		}
		d[9] = c
		if s := string(d[:]); !allSame(s) {
			return s
		}
	}
}

// nhsCheck computes the modulus-11 check digit of the first nine digits.
func nhsCheck(d []byte) (byte, bool) {
	sum := 0
	for i := range 9 {
		sum += int(d[i]-'0') * (10 - i)
	}
	c := 11 - sum%11
	switch c {
	case 11:
		return '0', true
	case 10:
		return 0, false
	}
	return byte('0' + c), true
}

func validNHS(s string) bool {
	s = stripSep(s)
	if len(s) != 10 || !allDigits(s) || allSame(s) {
		return false
	}
	c, ok := nhsCheck([]byte(s))
	return ok && c == s[9]
}

// NINO letters: the first may not be D F I Q U V, the second may not be
// D F I O Q U V, and some pairs are never issued or are administrative.
const (
	ninoFirst  = "ABCEGHJKLMNOPRSTWXYZ"
	ninoSecond = "ABCEGHJKLMNPRSTWXYZ"
	ninoSuffix = "ABCD"
)

var ninoBadPrefix = fields("BG GB KN NK NT TN ZZ OO CR FY MW NC")

// newNINO returns a valid National Insurance number that is also a real
// identity (no administrative or temporary prefix).
func newNINO(r *rand.Rand) string {
	for {
		p := string([]byte{ninoFirst[r.IntN(len(ninoFirst))], ninoSecond[r.IntN(len(ninoSecond))]})
		if containsStr(ninoBadPrefix, p) {
			continue
		}
		return p + digits(r, 6) + string(ninoSuffix[r.IntN(4)])
	}
}

func validNINO(s string) bool {
	s = strings.ToUpper(stripSep(s))
	if len(s) != 9 || !allDigits(s[2:8]) {
		return false
	}
	return strings.IndexByte(ninoFirst, s[0]) >= 0 && strings.IndexByte(ninoSecond, s[1]) >= 0 &&
		strings.IndexByte(ninoSuffix, s[8]) >= 0 && !containsStr(ninoBadPrefix[:7], s[:2])
}

// upnLetters maps a check value 0–22 to the UPN check letter (no I, O, S).
const upnLetters = "ABCDEFGHJKLMNPQRTUVWXYZ"

// newUPN builds a permanent UPN: check letter, LA code, establishment,
// two-digit year of allocation, serial.
func newUPN(r *rand.Rand, la, estab string, year int) string {
	body := la + estab + string(append2(nil, year%100)) + digits(r, 3)
	return string(upnCheck(body)) + body
}

// upnCheck computes the check letter over the 12 characters after it.
func upnCheck(body string) byte {
	sum := 0
	for i := 0; i < len(body); i++ {
		c := body[i]
		v := int(c - '0')
		if c >= 'A' && c <= 'Z' {
			v = strings.IndexByte(upnLetters, c)
		}
		sum += v * (i + 2)
	}
	return upnLetters[sum%23]
}

func validUPN(s string) bool {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) != 13 || strings.IndexByte(upnLetters, s[0]) < 0 || !allDigits(s[1:12]) {
		return false
	}
	return upnCheck(s[1:]) == s[0]
}

func validUPRN(s string) bool {
	if len(s) == 0 || len(s) > 12 || !allDigits(s) {
		return false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return err == nil && n >= 1
}

// corruptIdentifier returns an invalid form of a valid identifier of the
// given kind, the way identifiers go wrong in practice: a mistyped check
// digit, an impossible prefix or suffix, an extra digit.
func corruptIdentifier(r *rand.Rand, kind, v string) string {
	switch kind {
	case "nhs":
		s := stripSep(v)
		return s[:9] + string(byte('0'+(int(s[9]-'0')+1+r.IntN(9))%10))
	case "nino":
		s := strings.ToUpper(stripSep(v))
		switch r.IntN(3) {
		case 0:
			return s[:8] + pick(r, []string{"E", "F", "X"})
		case 1:
			return pick(r, []string{"QQ", "GB", "BG", "DA", "FQ"}) + s[2:]
		}
		return s[:2] + s[3:] // a digit short
	case "upn":
		for {
			if l := upnLetters[r.IntN(len(upnLetters))]; l != v[0] {
				return string(l) + v[1:]
			}
		}
	case "uprn":
		// Our UPRNs have 12 digits, so one more makes it impossible.
		return v + strconv.Itoa(r.IntN(10))
	}
	return v
}

func digits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

func stripSep(s string) string {
	if !strings.ContainsAny(s, " -") {
		return s
	}
	return strings.NewReplacer(" ", "", "-", "").Replace(s)
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

func allSame(s string) bool { return strings.Count(s, s[:1]) == len(s) }

func containsStr(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
