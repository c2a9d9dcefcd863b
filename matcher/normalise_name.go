package matcher

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/antzucaro/matchr"
)

// latinFold maps U+00C0..U+024F (Latin-1 Supplement, Latin Extended-A and
// -B) to the lower-case ASCII letter each is built on; '_' marks a rune with
// no single-letter fold (a ligature, or not a letter) that foldSpecial
// handles or leaves alone. Generated once from Unicode NFKD data, then
// checked by hand for the stroked letters NFKD does not decompose (ø, ł, đ).
const latinFold = "" +
	"aaaaaa_ceeeeiiiidnooooo_ouuuuy__aaaaaa_ceeeeiiiidnooooo_ouuuuy_y" + // U+00C0
	"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii__jjkkklllllll" + // U+0100
	"lllnnnnnnnnnoooooo__rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs" + // U+0140
	"bbbb__occ_ddd_eeeff____ikkl___n_oo__pp_____ttt_uu__yyzz_________" + // U+0180
	"_____________aaiioouuuuuuuuuueaaaa__ggggkkoooo__j___gg__nnaa__oo" + // U+01C0
	"aaaaeeeeiiiioooorrrruuuusstt__hhnd__zzaaeeooooooooyylntj___ccl_s" + // U+0200
	"z__b__eejj__rryy" // U+0240

// latinExtFold does the same for U+1E00..U+1EFF (Latin Extended Additional),
// which holds the Vietnamese letters with stacked diacritics.
const latinExtFold = "" +
	"aabbbbbbccddddddddddeeeeeeeeeeffgghhhhhhhhhhiiiikkkkkkllllllllmm" + // U+1E00
	"mmmmnnnnnnnnoooooooopppprrrrrrrrssssssssssttttttttuuuuuuuuuuvvvv" + // U+1E40
	"wwwwwwwwwwxxxxyyzzzzzzhtwy_s____aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeee" + // U+1E80
	"eeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy______" // U+1EC0

// FoldASCII lower-cases s and folds accented Latin letters and ligatures to
// ASCII (é→e, ß→ss, æ→ae, ø→o, ł→l, ễ→e); combining accents are dropped.
// Other runes, including non-Latin letters and all punctuation, are kept
// (lower-cased). Matchr's metrics and phonetic codes are case-sensitive and
// break on non-ASCII, so every name is folded before it is compared.
func FoldASCII(s string) string {
	i := 0
	for i < len(s) && s[i] < utf8.RuneSelf && (s[i] < 'A' || s[i] > 'Z') {
		i++
	}
	if i == len(s) {
		return s // already lower-case ASCII: the common case, no allocation
	}
	var b strings.Builder
	b.Grow(len(s) + 4)
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		foldRune(&b, r)
	}
	return b.String()
}

// foldRune writes the folded form of r. It lower-cases first so that a rune
// whose lower case lands in a fold table (Å U+212B → å) folds in one pass,
// which keeps FoldASCII idempotent.
func foldRune(b *strings.Builder, r rune) {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		b.WriteByte(byte(r))
		return
	}
	if unicode.Is(unicode.Mn, r) {
		return // a combining accent from decomposed input ("e\u0301")
	}
	r = unicode.ToLower(r)
	if f := foldTable(r); f != 0 {
		b.WriteByte(f)
		return
	}
	if s := foldSpecial(r); s != "" {
		b.WriteString(s)
		return
	}
	b.WriteRune(r)
}

// foldTable returns the single ASCII letter r folds to, or 0.
func foldTable(r rune) byte {
	var c byte
	switch {
	case r < utf8.RuneSelf:
		return byte(r)
	case r >= 0xC0 && r <= 0x24F:
		c = latinFold[r-0xC0]
	case r >= 0x1E00 && r <= 0x1EFF:
		c = latinExtFold[r-0x1E00]
	case r >= 0xFF41 && r <= 0xFF5A: // fullwidth a-z, after lower-casing
		c = byte(r-0xFF41) + 'a'
	}
	if c == '_' {
		return 0
	}
	return c
}

// foldSpecial covers the lower-case ligatures that fold to two letters and
// a few stroked letters outside the tables; "" when r has no fold.
func foldSpecial(r rune) string {
	switch r {
	case 'ß', 'ẞ':
		return "ss"
	case 'æ', 'ǽ', 'ǣ':
		return "ae"
	case 'œ':
		return "oe"
	case 'ĳ':
		return "ij"
	case 'þ':
		return "th"
	case 'ǆ', 'ǅ', 'ǳ', 'ǲ':
		return "dz"
	case 'ǉ', 'ǈ':
		return "lj"
	case 'ǌ', 'ǋ':
		return "nj"
	case 'ỻ':
		return "ll"
	case 'ⱥ':
		return "a"
	case 'ⱦ':
		return "t"
	}
	return ""
}

// isApostrophe reports runes that join the parts of a name (O'Brien,
// D’Souza) rather than separate them; they are dropped, not spaced.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', '`', '´', 'ʼ', 'ʻ', '′', '＇':
		return true
	}
	return false
}

// NormaliseName folds s to lower-case ASCII (FoldASCII), removes
// apostrophes (O'Brien → obrien), turns hyphens, dots, commas and any other
// punctuation or symbol into a space, drops digits, collapses whitespace and
// trims: "Smith-Jones" → "smith jones", "J. R. R." → "j r r". Letters of
// other scripts are kept.
func NormaliseName(s string) string {
	if isNormalisedName(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false // a separator is pending: written only before a letter
	for _, r := range FoldASCII(s) {
		switch {
		case 'a' <= r && r <= 'z', r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsMark(r)):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		case isApostrophe(r), unicode.IsDigit(r), unicode.IsNumber(r):
			// joined or dropped: neither separates words
		default:
			space = true
		}
	}
	return b.String()
}

// isNormalisedName reports whether s is already lower-case ASCII words
// separated by single spaces, so NormaliseName can return it unchanged.
func isNormalisedName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' {
			if i == 0 || i == len(s)-1 || s[i-1] == ' ' {
				return false
			}
			continue
		}
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// Title and suffix words. Pure titles are never names, so they are removed
// wherever they appear. Name-like titles are also real names (John Major,
// Ms Lord), so they are removed only in front of a name; suffixes ("Junior"
// is also a given name) only after one. Titles that are common given names
// in UK communities (Prince, King, Dean, Earl, Duke) are not listed at all.
var (
	pureTitles = wordSet("mr mrs ms miss mx mstr messrs dr doctor prof professor sir dame " +
		"rev revd reverend fr mme mlle madame madam hon rt cllr capt sgt cpl herr frau sra srta")
	nameTitles = wordSet("master lord lady major captain colonel general father sister " +
		"brother bishop canon pastor imam rabbi sheikh shaikh alhaji alhaja chief judge " +
		"baroness countess duchess")
	nameSuffixes = wordSet("jr jnr junior sr snr senior ii iii iv esq")
)

// wordSet builds a set from space-separated words.
func wordSet(words string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// IsTitle reports whether a normalised token is a title or honorific (mr,
// mrs, dr, rev, lady, lord …), including titles that are also surnames.
func IsTitle(tok string) bool { return pureTitles[tok] || nameTitles[tok] }

// NameTokens returns the words of NormaliseName(s) without titles ("Mr",
// "Dr", "Revd") and generational suffixes ("Jr", "III"); nil when none
// remain. A word that is both a title and a name ("Lord", "Major") is
// dropped only when it leads and a name follows it; a suffix word
// ("Junior") only when it follows a name.
func NameTokens(s string) []string {
	n := NormaliseName(s)
	if n == "" {
		return nil
	}
	toks := strings.Fields(n)
	out := toks[:0]
	for i, t := range toks {
		if keepNameToken(toks, i, len(out)) {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// keepNameToken decides whether toks[i] survives, given that kept tokens
// have already been accepted before it.
func keepNameToken(toks []string, i, kept int) bool {
	t := toks[i]
	switch {
	case pureTitles[t]:
		return false
	case nameTitles[t]:
		return kept > 0 || !hasNameAfter(toks, i)
	case nameSuffixes[t]:
		return kept == 0
	}
	return true
}

// hasNameAfter reports whether a token after toks[i] is not a title.
func hasNameAfter(toks []string, i int) bool {
	for _, t := range toks[i+1:] {
		if !IsTitle(t) && !nameSuffixes[t] {
			return true
		}
	}
	return false
}

// Phonetic returns the primary Double Metaphone code of a normalised name
// token; "" for "". Matchr's encoder misreads anything but ASCII letters, so
// the token is folded, other ASCII characters are skipped, and a token still
// holding non-Latin letters has no code rather than a code for a fragment.
func Phonetic(tok string) string {
	tok = FoldASCII(tok)
	for i := 0; i < len(tok); i++ {
		if c := tok[i]; c < 'a' || c > 'z' {
			tok = phoneticLetters(tok)
			break
		}
	}
	if tok == "" {
		return ""
	}
	p, _ := matchr.DoubleMetaphone(tok)
	return p
}

// phoneticLetters keeps the a-z of tok, or returns "" if it holds a
// non-ASCII rune.
func phoneticLetters(tok string) string {
	b := make([]byte, 0, len(tok))
	for i := 0; i < len(tok); i++ {
		switch c := tok[i]; {
		case c >= utf8.RuneSelf:
			return ""
		case c >= 'a' && c <= 'z':
			b = append(b, c)
		}
	}
	return string(b)
}
