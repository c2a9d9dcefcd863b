package matcher

import "strings"

// NormalisePostcode upper-cases s and removes everything that is not an
// ASCII letter or digit, so "sw1a 1aa", "SW1A1AA" and "SW1A-1AA " agree.
func NormalisePostcode(s string) string {
	if isNormalisedPostcode(s) {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z':
			b = append(b, c-'a'+'A')
		case 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			b = append(b, c)
		}
	}
	return string(b)
}

// isNormalisedPostcode reports whether s is only A-Z and 0-9 already.
func isNormalisedPostcode(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isUpper(c) && !isDigit(c) {
			return false
		}
	}
	return true
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }
func isLower(c byte) bool { return 'a' <= c && c <= 'z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isPostcodeArea2 reports whether c may be the second letter of a two-letter
// area: [A-HJ-Y], i.e. any letter but I and Z.
func isPostcodeArea2(c byte) bool { return isUpper(c) && c != 'I' && c != 'Z' }

// ValidUKPostcode reports whether a normalised (no-space, upper-case)
// postcode matches the reference pattern
//
//	^(?:GIR0AA|(?:[A-Z][0-9]{1,2}|[A-Z][A-HJ-Y][0-9]{1,2}|[A-Z][0-9][A-Z]|[A-Z][A-HJ-Y][0-9]?[A-Z])[0-9][A-Z]{2})$
//
// It is written out by hand because it runs for every record on every
// comparison; the tests and a fuzz target check it against that regexp.
func ValidUKPostcode(norm string) bool {
	n := len(norm)
	if n < 5 || n > 7 {
		return false
	}
	if norm == "GIR0AA" {
		return true
	}
	in := norm[n-3:]
	if !isDigit(in[0]) || !isUpper(in[1]) || !isUpper(in[2]) {
		return false
	}
	return validOutward(norm[:n-3])
}

// validOutward checks an outward code against the four outward branches of
// the reference pattern: A9 A99 | AA9 AA99 | A9A | AA9A AAA.
func validOutward(out string) bool {
	if !isUpper(out[0]) {
		return false
	}
	switch len(out) {
	case 2: // A9
		return isDigit(out[1])
	case 3: // A99, A9A, AA9, AAA
		if isDigit(out[1]) {
			return isDigit(out[2]) || isUpper(out[2])
		}
		return isPostcodeArea2(out[1]) && (isDigit(out[2]) || isUpper(out[2]))
	case 4: // AA99, AA9A
		return isPostcodeArea2(out[1]) && isDigit(out[2]) && (isDigit(out[3]) || isUpper(out[3]))
	}
	return false
}

// IsPseudoPostcode reports whether a normalised postcode is one of the ZZ99
// pseudo-postcodes that NHS and council systems use for "no fixed abode" or
// "unknown": they are never evidence that two records share an address.
func IsPseudoPostcode(norm string) bool { return strings.HasPrefix(norm, "ZZ99") }

// PostcodeParts splits a valid normalised UK postcode into its outward code
// ("NW1") and sector ("NW14": outward plus the first inward digit), the two
// blocking keys coarser than the full postcode. ok is false, with both parts
// empty, for anything ValidUKPostcode rejects.
func PostcodeParts(norm string) (outward, sector string, ok bool) {
	if !ValidUKPostcode(norm) {
		return "", "", false
	}
	n := len(norm)
	return norm[:n-3], norm[:n-2], true
}
