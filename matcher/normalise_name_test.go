package matcher

import (
	"slices"
	"strings"
	"testing"
)

func TestFoldASCII(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"smith", "smith"},
		{"SMITH", "smith"},
		{"Émile Zoë", "emile zoe"},
		{"Straße", "strasse"},
		{"STRAẞE", "strasse"},
		{"Æthelflæd", "aethelflaed"},
		{"Œuvre", "oeuvre"},
		{"Søren Ødegård", "soren odegard"},
		{"Łukasz Żółć", "lukasz zolc"},
		{"Đorđe", "dorde"},
		{"Þóra", "thora"},
		{"İbrahim Işık", "ibrahim isik"},
		{"Nguyễn Thị Minh Khai", "nguyen thi minh khai"},
		{"e\u0301mile", "emile"},             // decomposed accent
		{"\u212Bngstr\u00f6m", "angstrom"},   // Angstrom sign lower-cases to å
		{"ＳＭＩＴＨ", "smith"},                   // fullwidth
		{"O'Brien-Smith.", "o'brien-smith."}, // punctuation kept
		{"محمد", "محمد"},                     // other scripts kept
		{"ΑΛΈΞΗΣ", "αλέξησ"},                 // lower-cased, not transliterated
		{"１２３", "１２３"},                       // fullwidth digits are not letters: kept
		{"\xff", "\ufffd"},                   // invalid UTF-8
	}
	for _, tt := range tests {
		if got := FoldASCII(tt.in); got != tt.want {
			t.Errorf("FoldASCII(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestFoldASCIITablesIdempotent folds every rune the tables cover twice.
func TestFoldASCIITablesIdempotent(t *testing.T) {
	ranges := [][2]rune{{0xC0, 0x24F}, {0x1E00, 0x1EFF}}
	for _, rg := range ranges {
		for r := rg[0]; r <= rg[1]; r++ {
			s := string(r)
			got := FoldASCII(s)
			if got != FoldASCII(got) {
				t.Errorf("FoldASCII not idempotent on %U: %q", r, got)
			}
		}
	}
}

// latinLetter reports the letters the tables promise to fold to ASCII: everything
// in Latin-1 Supplement and Latin Extended-A except × and ÷.
func latinLetter(r rune) bool { return r >= 0xC0 && r <= 0x17F && r != 0xD7 && r != 0xF7 }

func isLowerASCIIWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return s != ""
}

// TestFoldASCIILatin1AndExtendedAAllFold checks that every letter of the
// Latin blocks European names use folds to ASCII, so phonetic codes never
// see an accent.
func TestFoldASCIILatin1AndExtendedAAllFold(t *testing.T) {
	for r := rune(0xC0); r <= 0x17F; r++ {
		if !latinLetter(r) {
			continue
		}
		if got := FoldASCII(string(r)); !isLowerASCIIWord(got) {
			t.Errorf("FoldASCII(%q %U) = %q, want ASCII letters", string(r), r, got)
		}
	}
}

func TestNormaliseName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"smith", "smith"},
		{"O'Brien", "obrien"},
		{"O’Brien", "obrien"},
		{"O`Brien", "obrien"},
		{"D‘Souza", "dsouza"},
		{"Smith-Jones", "smith jones"},
		{"MARY-ANN", "mary ann"},
		{"J. R. R.", "j r r"},
		{"Smith,John", "smith john"},
		{"  Mary   Ann  ", "mary ann"},
		{"\tMary\nAnn\r", "mary ann"},
		{"Zoë Ödegård", "zoe odegard"},
		{"Renée-Claire", "renee claire"},
		{"John2", "john"},
		{"J0hn", "jhn"}, // a zero typed for an O is dropped, not guessed
		{"Smith (nee Jones)", "smith nee jones"},
		{"!!!---...", ""},
		{"'''", ""},
		{"1234", ""},
		{"محمد علي", "محمد علي"},
		{"Mary\u00a0Ann", "mary ann"}, // no-break space
		{"Mary\u200bAnn", "mary ann"}, // zero-width space is a separator
		{"x_y", "x y"},
		{"ＪＯＨＮ", "john"},
	}
	for _, tt := range tests {
		if got := NormaliseName(tt.in); got != tt.want {
			t.Errorf("NormaliseName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormaliseNameLong(t *testing.T) {
	in := strings.Repeat("Ánne-Marie O'Neill ", 5000)
	got := NormaliseName(in)
	want := strings.TrimSpace(strings.Repeat("anne marie oneill ", 5000))
	if got != want {
		t.Fatalf("NormaliseName(long) has length %d, want %d", len(got), len(want))
	}
}

func TestNameTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"   ", nil},
		{"...", nil},
		{"Mr", nil},
		{"Mr.", nil},
		{"Mrs Dr", nil},
		{"Mr John Smith", []string{"john", "smith"}},
		{"MR. JOHN SMITH JR.", []string{"john", "smith"}},
		{"Dr. Mary-Ann O'Neill", []string{"mary", "ann", "oneill"}},
		{"Prof Sir James Brown III", []string{"james", "brown"}},
		{"Revd Fr Paul", []string{"paul"}},
		{"Miss Ms Mx Smith", []string{"smith"}},
		{"John Smith Senior", []string{"john", "smith"}},
		{"Sr", []string{"sr"}},         // a suffix alone is kept: nothing to be a suffix of
		{"Junior", []string{"junior"}}, // also a given name
		{"Junior Adebayo", []string{"junior", "adebayo"}},
		{"Lord", []string{"lord"}},   // a surname when alone
		{"Major", []string{"major"}}, // a surname when alone
		{"John Major", []string{"john", "major"}},
		{"Major John Smith", []string{"john", "smith"}},
		{"Lady Jane Grey", []string{"jane", "grey"}},
		{"Mr Lord", []string{"lord"}},
		{"Prince Adebayo", []string{"prince", "adebayo"}}, // a given name, not a title
		{"Dean Jones", []string{"dean", "jones"}},
		{"Mohammed", []string{"mohammed"}},
	}
	for _, tt := range tests {
		got := NameTokens(tt.in)
		if !slices.Equal(got, tt.want) || (tt.want == nil) != (got == nil) {
			t.Errorf("NameTokens(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
	}
}

func TestIsTitle(t *testing.T) {
	for _, tok := range []string{"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame",
		"lady", "lord", "rev", "revd", "fr", "master"} {
		if !IsTitle(tok) {
			t.Errorf("IsTitle(%q) = false, want true", tok)
		}
	}
	for _, tok := range []string{"", "john", "Mr", "mr.", "jr", "junior", "prince", "dean", "smith"} {
		if IsTitle(tok) {
			t.Errorf("IsTitle(%q) = true, want false", tok)
		}
	}
}

func TestPhonetic(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"smith", "SM0"},
		{"smyth", "SM0"},
		{"schmidt", "XMT"},
		{"obrien", "APRN"},
		{"mohammed", "MHMT"},
		{"muhammad", "MHMT"},
		{"Zoë", "S"},       // folded first
		{"o'neill", "ANL"}, // punctuation skipped
		{"محمد", ""},       // no Latin letters: no code
		{"ωmega", ""},      // a fragment's code would mislead
		{"...", ""},
	}
	for _, tt := range tests {
		if got := Phonetic(tt.in); got != tt.want {
			t.Errorf("Phonetic(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if Phonetic("catherine") != Phonetic("kathryn") {
		t.Errorf("catherine and kathryn should share a code: %q %q", Phonetic("catherine"), Phonetic("kathryn"))
	}
}

func BenchmarkNameTokens(b *testing.B) {
	inputs := []string{"Mr John Smith", "MARY-ANN O'NEILL", "Dr. Zoë Ødegård-Brown Jr", "oyelaran"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		NameTokens(inputs[i%len(inputs)])
	}
}

func BenchmarkNormaliseNameClean(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		NormaliseName("mary ann smith")
	}
}
