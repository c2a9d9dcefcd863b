package matcher

import "strings"

// maxPhoneDigits is the E.164 limit; more digits than this is two numbers
// run together or noise, not a telephone number.
const maxPhoneDigits = 15

// NormalisePhone reduces a telephone number to its digits, writing a UK
// international prefix (+44 or 0044, with or without the "(0)" people add)
// as the national 0: "+44 (0)20 7946 0000" and "(020) 7946 0000" both give
// "02079460000". Digits stop at the first letter after the number starts,
// so "ext 12" or "(mobile)" is not appended. It returns "" when fewer than 7
// or more than 15 digits remain.
func NormalisePhone(s string) string {
	d := phoneDigits(s)
	if strings.HasPrefix(d, "44") && plusBeforeDigits(s) {
		d = nationalUK(d[2:])
	}
	// Repeat so a doubled prefix ("0044 0044 …") cannot survive to make
	// the result differ from its own normalisation.
	for strings.HasPrefix(d, "0044") {
		d = nationalUK(d[4:])
	}
	if len(d) < 7 || len(d) > maxPhoneDigits {
		return ""
	}
	return d
}

// phoneDigits collects the ASCII digits of s up to the first letter that
// follows a digit. It allocates at most once.
func phoneDigits(s string) string {
	b := make([]byte, 0, 16)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			b = append(b, c)
		case len(b) > 0 && (isUpper(c) || isLower(c)):
			return string(b)
		}
	}
	return string(b)
}

// plusBeforeDigits reports whether a '+' comes before the first digit of s.
func plusBeforeDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '+':
			return true
		case isDigit(s[i]):
			return false
		}
	}
	return false
}

// nationalUK turns the digits after a 44 country code into the national
// form, which starts with exactly one 0 (the "(0)" may or may not be there).
func nationalUK(rest string) string {
	if strings.HasPrefix(rest, "0") {
		return rest
	}
	return "0" + rest
}

// NormaliseEmail trims and lower-cases an email address and returns "" unless
// it has the form local@domain, with one @, no spaces, and a dot inside the
// domain. googlemail.com, Gmail's old UK domain, becomes gmail.com because
// the two deliver to the same mailbox.
func NormaliseEmail(s string) string {
	e := strings.ToLower(strings.TrimSpace(s))
	at := strings.IndexByte(e, '@')
	if at <= 0 || strings.IndexByte(e[at+1:], '@') >= 0 || strings.ContainsFunc(e, isEmailSpace) {
		return ""
	}
	domain := e[at+1:]
	dot := strings.IndexByte(domain, '.')
	if dot <= 0 || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return ""
	}
	if domain == "googlemail.com" {
		return e[:at+1] + "gmail.com"
	}
	return e
}

// isEmailSpace reports whitespace and control runes, which no address holds.
func isEmailSpace(r rune) bool {
	return r <= ' ' || r == 0x7f || r == '\u00a0' || r == '\u2028' || r == '\u2029' || r == '\u3000'
}
