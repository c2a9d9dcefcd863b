package matcher

import "strings"

// normaliseID upper-cases s and strips whitespace and hyphens, the
// separators people type into identifiers ("943 476 5919", "ab-12-34-56-c").
// It returns s itself when there is nothing to change.
func normaliseID(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; isLower(c) || isIDSeparator(c) || c >= 0x80 {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(mapIDRune, s)
}

// isIDSeparator reports the ASCII separators stripped from identifiers.
func isIDSeparator(c byte) bool {
	switch c {
	case ' ', '-', '\t', '\n', '\r', '\v', '\f':
		return true
	}
	return false
}

// mapIDRune upper-cases ASCII letters and drops separators, including the
// non-ASCII spaces and dashes that word processors substitute. Other runes
// are kept so an invalid value is still shown as it was typed.
func mapIDRune(r rune) rune {
	switch {
	case r < 0x80 && isIDSeparator(byte(r)):
		return -1
	case r >= 'a' && r <= 'z':
		return r - 'a' + 'A'
	}
	switch r {
	case '\u00a0', '\u2002', '\u2003', '\u2009', '\u202f', '\u3000', // spaces
		'\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212', '\ufe63', '\uff0d': // dashes
		return -1
	}
	return r
}

// allDigits reports whether s is non-empty ASCII digits only; lookalikes
// such as fullwidth or Arabic-Indic digits do not count.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// NHSCheckDigit computes the modulus 11 check digit for the first nine
// digits of an NHS number: weights 10 down to 2, check = 11 - sum mod 11,
// 11 becoming 0. ok is false when the check would be 10 (such numbers are
// never issued) or first9 is not nine ASCII digits.
func NHSCheckDigit(first9 string) (int, bool) {
	if len(first9) != 9 || !allDigits(first9) {
		return 0, false
	}
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(first9[i]-'0') * (10 - i)
	}
	check := 11 - sum%11
	switch check {
	case 11:
		return 0, true
	case 10:
		return 0, false
	}
	return check, true
}

// ValidNHS normalises an NHS number (spaces and hyphens stripped) and
// reports whether it is ten digits with a correct check digit. Numbers of one
// repeated digit pass the arithmetic (0000000000) but are placeholders, so
// they are rejected.
func ValidNHS(s string) (string, bool) {
	n := normaliseID(s)
	if len(n) != 10 || !allDigits(n) || repeatsOneByte(n) {
		return n, false
	}
	check, ok := NHSCheckDigit(n[:9])
	return n, ok && check == int(n[9]-'0')
}

// repeatsOneByte reports whether every byte of s equals the first.
func repeatsOneByte(s string) bool {
	for i := 1; i < len(s); i++ {
		if s[i] != s[0] {
			return false
		}
	}
	return true
}

// NINO letters: the first letter may not be D, F, I, Q, U or V; the second
// may not be those or O. Prefixes that are never issued, or that mark
// administrative (temporary, overseas, child benefit) references rather
// than a person's own number, are rejected outright: such a value is kept
// on the record but must never count as evidence.
var ninoRejectedPrefixes = wordSet("BG GB KN NK NT TN ZZ OO CR FY MW NC")

func ninoFirstLetter(c byte) bool {
	return isUpper(c) && strings.IndexByte("DFIQUV", c) < 0
}

func ninoSecondLetter(c byte) bool { return ninoFirstLetter(c) && c != 'O' }

// ValidNINO normalises a National Insurance number (upper-case, spaces and
// hyphens stripped) and reports whether it has the issued shape: two
// allowed prefix letters, six digits and a suffix A-D, with a prefix that is
// neither unissued nor administrative. NINOs carry no check digit.
func ValidNINO(s string) (string, bool) {
	n := normaliseID(s)
	if len(n) != 9 || !ninoFirstLetter(n[0]) || !ninoSecondLetter(n[1]) {
		return n, false
	}
	if !allDigits(n[2:8]) || n[8] < 'A' || n[8] > 'D' {
		return n, false
	}
	return n, !ninoRejectedPrefixes[n[:2]]
}

// upnAlphabet maps UPN check values 0-22 to letters; I, O and S are left
// out so they cannot be misread as 1, 0 and 5. A letter's value in the
// check sum is its index here too.
const upnAlphabet = "ABCDEFGHJKLMNPQRTUVWXYZ"

// UPNCheckLetter computes the check letter of a unique pupil number from the
// 12 characters after it: the sum of value times position (positions 2 to
// 13) mod 23. The first eleven must be ASCII digits; the twelfth a digit, or
// a letter of upnAlphabet for a temporary UPN. ok is false otherwise.
func UPNCheckLetter(rest12 string) (byte, bool) {
	if len(rest12) != 12 || !allDigits(rest12[:11]) {
		return 0, false
	}
	sum := 0
	for i := 0; i < 11; i++ {
		sum += int(rest12[i]-'0') * (i + 2)
	}
	last := rest12[11]
	switch v := strings.IndexByte(upnAlphabet, last); {
	case isDigit(last):
		sum += int(last-'0') * 13
	case v >= 0:
		sum += v * 13
	default:
		return 0, false
	}
	return upnAlphabet[sum%23], true
}

// ValidUPN normalises a unique pupil number (upper-case, spaces and hyphens
// stripped) and reports whether it is 13 characters whose first is the
// correct check letter; temporary UPNs ending in a letter are accepted.
func ValidUPN(s string) (string, bool) {
	n := normaliseID(s)
	if len(n) != 13 {
		return n, false
	}
	check, ok := UPNCheckLetter(n[1:])
	return n, ok && n[0] == check
}

// ValidUPRN normalises a unique property reference number and reports
// whether it is 1 to 12 ASCII digits with a value from 1 to 999999999999.
// Leading zeros (exports often pad to 12 digits) are stripped from the
// normalised form so that padded and unpadded values compare equal.
func ValidUPRN(s string) (string, bool) {
	n := normaliseID(s)
	if len(n) > 12 || !allDigits(n) {
		return n, false
	}
	n = strings.TrimLeft(n, "0")
	return n, n != ""
}
