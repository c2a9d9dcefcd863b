package matcher

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/resindex/resindex"
)

// Fuzz targets for every field parser and validator. Each asserts
// invariants rather than outputs: no panic, idempotence where it holds, and
// that whatever a validator accepts re-validates in its normalised form.

func FuzzNormaliseName(f *testing.F) {
	for _, s := range []string{"", "Mr John Smith Jr", "O'Brien-Smith", "J. R. R.", "Zoë Ødegård",
		"Straße", "محمد", "e\u0301", "\xff\xfe", "ＪＯＨＮ", "Lord", "123", "  -- "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		folded := FoldASCII(s)
		if FoldASCII(folded) != folded {
			t.Errorf("FoldASCII not idempotent on %q: %q then %q", s, folded, FoldASCII(folded))
		}
		n := NormaliseName(s)
		if NormaliseName(n) != n {
			t.Errorf("NormaliseName not idempotent on %q: %q then %q", s, n, NormaliseName(n))
		}
		checkNormalisedName(t, s, n)
		toks := NameTokens(s)
		if toks != nil && len(toks) == 0 {
			t.Errorf("NameTokens(%q) returned an empty non-nil slice", s)
		}
		for _, tok := range toks {
			if tok == "" || strings.Contains(tok, " ") || NormaliseName(tok) != tok || !strings.Contains(n, tok) {
				t.Errorf("NameTokens(%q) holds bad token %q", s, tok)
			}
			checkPhonetic(t, tok)
		}
		if !slices.Equal(NameTokens(strings.Join(toks, " ")), toks) {
			t.Errorf("NameTokens(%q) = %q is not stable", s, toks)
		}
	})
}

// checkNormalisedName asserts the shape NormaliseName promises: no
// leading, trailing or doubled spaces, no upper case, no digits, no
// punctuation.
func checkNormalisedName(t *testing.T, in, n string) {
	t.Helper()
	if strings.HasPrefix(n, " ") || strings.HasSuffix(n, " ") || strings.Contains(n, "  ") {
		t.Errorf("NormaliseName(%q) = %q has stray spaces", in, n)
	}
	for _, r := range n {
		if r != ' ' && !unicode.IsLetter(r) && !unicode.IsMark(r) {
			t.Errorf("NormaliseName(%q) = %q holds %U", in, n, r)
		}
		if r < utf8.RuneSelf && r >= 'A' && r <= 'Z' {
			t.Errorf("NormaliseName(%q) = %q holds upper case", in, n)
		}
	}
}

func checkPhonetic(t *testing.T, tok string) {
	t.Helper()
	p := Phonetic(tok)
	if len(p) > 4 {
		t.Errorf("Phonetic(%q) = %q, longer than 4", tok, p)
	}
	for i := 0; i < len(p); i++ {
		if (p[i] < 'A' || p[i] > 'Z') && p[i] != '0' {
			t.Errorf("Phonetic(%q) = %q holds %q", tok, p, p[i])
		}
	}
}

func FuzzParseAddress(f *testing.F) {
	f.Add("Flat 2, 10 High St", "London SW1A 1AA", "", "")
	f.Add("2/10 St John's Rd", "", "St Albans", "al1 1aa")
	f.Add("Ground Floor Flat", "22 Acacia Ave", "", "ZZ99 3CZ")
	f.Add("69 giblin street", "killarney", "", "")
	f.Add("10 - 12 No. 5 B", "GFF/1/2/3", "-", "\xff")
	f.Fuzz(func(t *testing.T, l1, l2, town, pc string) {
		lines := []string{l1, l2}
		a := ParseAddress(lines, town, pc)
		if lines[0] != l1 || lines[1] != l2 {
			t.Fatalf("ParseAddress modified its input")
		}
		checkAddressParts(t, a)
		// Lines are split at commas, so one joined line must parse alike.
		joined := ParseAddress([]string{l1 + ", " + l2}, town, pc)
		if !reflect.DeepEqual(a, joined) {
			t.Errorf("two lines and one joined line differ:\n%+v\n%+v", a, joined)
		}
	})
}

func checkAddressParts(t *testing.T, a AddressParts) {
	t.Helper()
	if k := a.Key(); k != "" && strings.Count(k, "|") != 4 {
		t.Errorf("Key() = %q does not have five parts", k)
	}
	if NormalisePostcode(a.Postcode) != a.Postcode {
		t.Errorf("Postcode %q is not normalised", a.Postcode)
	}
	if !slices.IsSorted(a.Tokens) || len(slices.Compact(slices.Clone(a.Tokens))) != len(a.Tokens) {
		t.Errorf("Tokens %q are not sorted and unique", a.Tokens)
	}
	for _, tok := range a.Tokens {
		if tok == "" || strings.ContainsAny(tok, " /|") || addressStopwords[tok] {
			t.Errorf("Tokens hold %q", tok)
		}
	}
	for _, part := range []string{a.Flat, a.Number, a.Building, a.Street, a.Town} {
		if strings.ContainsAny(part, "|,") || strings.TrimSpace(part) != part || strings.Contains(part, "  ") {
			t.Errorf("part %q is not normalised", part)
		}
	}
}

func FuzzPostcode(f *testing.F) {
	for _, s := range []string{"SW1A 1AA", "sw1a1aa", "GIR 0AA", "XXSW1A1AA", "ZZ99 3CZ", "M1 1AA", "ABC 1AB", "", "Ｓ１"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// The raw string too: the check must reject exactly what the
		// pattern rejects, lower case and non-ASCII included.
		if got, want := ValidUKPostcode(s), refPostcodeRE.MatchString(s); got != want {
			t.Fatalf("ValidUKPostcode(%q) = %v, reference %v", s, got, want)
		}
		n := NormalisePostcode(s)
		if NormalisePostcode(n) != n || !isNormalisedPostcode(n) {
			t.Fatalf("NormalisePostcode(%q) = %q is not normalised", s, n)
		}
		valid := ValidUKPostcode(n)
		if want := refPostcodeRE.MatchString(n); valid != want {
			t.Fatalf("ValidUKPostcode(%q) = %v, reference %v", n, valid, want)
		}
		out, sector, ok := PostcodeParts(n)
		if ok != valid || (ok && (!strings.HasPrefix(n, out) || !strings.HasPrefix(sector, out) ||
			len(sector) != len(out)+1 || len(n) != len(out)+3)) {
			t.Fatalf("PostcodeParts(%q) = %q, %q, %v", n, out, sector, ok)
		}
		if IsPseudoPostcode(n) && valid {
			t.Fatalf("pseudo-postcode %q is valid", n)
		}
	})
}

// fuzzIdentifier holds the invariants all four identifier validators share.
func fuzzIdentifier(t *testing.T, name string, fn func(string) (string, bool), s string) {
	norm, ok := fn(s)
	again, ok2 := fn(norm)
	if again != norm || ok2 != ok {
		t.Fatalf("%s(%q) = %q, %v but %s(%q) = %q, %v", name, s, norm, ok, name, norm, again, ok2)
	}
	if strings.ContainsAny(norm, " -\t") {
		t.Fatalf("%s(%q) = %q keeps a separator", name, s, norm)
	}
	for i := 0; ok && i < len(norm); i++ {
		if !isDigit(norm[i]) && !isUpper(norm[i]) {
			t.Fatalf("%s(%q) = %q valid with %q", name, s, norm, norm[i])
		}
	}
}

func FuzzValidNHS(f *testing.F) {
	for _, s := range []string{"9434765919", "943 476 5919", "0000000000", "94347659I9", "", "９４３"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fuzzIdentifier(t, "ValidNHS", ValidNHS, s)
		n, ok := ValidNHS(s)
		if ok {
			check, cok := NHSCheckDigit(n[:9])
			if len(n) != 10 || !allDigits(n) || !cok || check != int(n[9]-'0') {
				t.Fatalf("ValidNHS accepted %q", n)
			}
		}
	})
}

func FuzzValidNINO(f *testing.F) {
	for _, s := range []string{"ab-12-34-56-c", "TN010280M", "QQ123456C", "AB123456E", "", "AB 12 34 56 C"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fuzzIdentifier(t, "ValidNINO", ValidNINO, s)
		if n, ok := ValidNINO(s); ok && (len(n) != 9 || !allDigits(n[2:8]) || ninoRejectedPrefixes[n[:2]]) {
			t.Fatalf("ValidNINO accepted %q", n)
		}
	})
}

func FuzzValidUPN(f *testing.F) {
	for _, s := range []string{"B801200005001", "b801 2000 05001", "B207000016049", "P207000016049", "", "A80120000500A"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fuzzIdentifier(t, "ValidUPN", ValidUPN, s)
		if n, ok := ValidUPN(s); ok {
			if c, cok := UPNCheckLetter(n[1:]); len(n) != 13 || !cok || c != n[0] {
				t.Fatalf("ValidUPN accepted %q", n)
			}
		}
		if c, ok := UPNCheckLetter(s); ok {
			if _, valid := ValidUPN(string(c) + s); !valid {
				t.Fatalf("UPNCheckLetter(%q) = %q but ValidUPN rejects the result", s, c)
			}
		}
	})
}

func FuzzValidUPRN(f *testing.F) {
	for _, s := range []string{"100023336956", "000010001234", "0", "1000000000000", "", "12 34"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fuzzIdentifier(t, "ValidUPRN", ValidUPRN, s)
		if n, ok := ValidUPRN(s); ok && (len(n) > 12 || !allDigits(n) || n[0] == '0') {
			t.Fatalf("ValidUPRN accepted %q", n)
		}
	})
}

func FuzzNormalisePhone(f *testing.F) {
	for _, s := range []string{"(020) 7946 0000", "+44 (0)20 7946 0000", "0044 0044 1", "ext 1", "", "+"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := NormalisePhone(s)
		if p == "" {
			return
		}
		if len(p) < 7 || len(p) > maxPhoneDigits || !allDigits(p) || strings.HasPrefix(p, "0044") {
			t.Fatalf("NormalisePhone(%q) = %q", s, p)
		}
		if again := NormalisePhone(p); again != p {
			t.Fatalf("NormalisePhone not idempotent on %q: %q then %q", s, p, again)
		}
	})
}

func FuzzNormaliseEmail(f *testing.F) {
	for _, s := range []string{" John.Smith@Example.COM ", "a@googlemail.com", "a@b", "@", "", "ÉLISE@EXAMPLE.COM"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := NormaliseEmail(s)
		if e == "" {
			return
		}
		if strings.Count(e, "@") != 1 || strings.ToLower(e) != e || strings.ContainsAny(e, " \t\n") {
			t.Fatalf("NormaliseEmail(%q) = %q", s, e)
		}
		if again := NormaliseEmail(e); again != e {
			t.Fatalf("NormaliseEmail not idempotent on %q: %q then %q", s, e, again)
		}
	})
}

// FuzzCompareSymmetric: comparing two records gives the same levels and
// weight both ways round, whatever the names, dates and towns.
func FuzzCompareSymmetric(f *testing.F) {
	f.Add("James", "Thomas", "1980-01-02", "Leeds", "Thomas", "Williams", "1980-01-02", "Leeds")
	f.Add("van der", "Berg", "", "", "Vander", "berg", "1990", "York")
	f.Add("Zachary", "Clarie", "1930-01-02", "", "Mason", "Zachary", "1930-01-02", "")
	f.Fuzz(func(t *testing.T, g1, f1, d1, t1, g2, f2, d2, t2 string) {
		mk := func(id, g, fam, d, town string) *Profile {
			r := resindex.Record{Source: "s", ID: id, Name: resindex.Name{Given: g, Family: fam}, DOB: d}
			if town != "" {
				r.Addresses = []resindex.Address{{Town: town}}
			}
			return prof(r)
		}
		a, b := mk("a", g1, f1, d1, t1), mk("b", g2, f2, d2, t2)
		if x, y := Compare(a, b), Compare(b, a); x != y {
			t.Fatalf("levels differ by order: %v and %v", x, y)
		}
		s := NewScorer(DefaultModel(), 1000)
		if x, y := s.Score(a, b), s.Score(b, a); x != y {
			t.Fatalf("scores differ by order: %v and %v", x, y)
		}
	})
}
