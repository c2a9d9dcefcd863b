package matcher

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// refPostcodeRE is the reference pattern from REFERENCE.md, the oracle the
// hand-written ValidUKPostcode is checked against.
var refPostcodeRE = regexp.MustCompile(`^(?:GIR0AA|(?:[A-Z][0-9]{1,2}|[A-Z][A-HJ-Y][0-9]{1,2}|[A-Z][0-9][A-Z]|[A-Z][A-HJ-Y][0-9]?[A-Z])[0-9][A-Z]{2})$`)

func TestNormalisePostcode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"SW1A 1AA", "SW1A1AA"},
		{"sw1a 1aa", "SW1A1AA"},
		{"  Sw1a\t1Aa \n", "SW1A1AA"},
		{"SW1A-1AA", "SW1A1AA"},
		{"M1 1AA", "M11AA"},
		{"(NW1) 4RY.", "NW14RY"},
		{"---", ""},
		{"ＳＷ１Ａ", ""}, // fullwidth lookalikes are not postcode characters
		{"É1 1AA", "11AA"},
	}
	for _, tt := range tests {
		if got := NormalisePostcode(tt.in); got != tt.want {
			t.Errorf("NormalisePostcode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestValidUKPostcode(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"SW1A1AA", true},    // AA9A
		{"M11AA", true},      // A9
		{"M601NW", true},     // A99
		{"CR26XH", true},     // AA9
		{"DN551PT", true},    // AA99
		{"W1A0AX", true},     // A9A
		{"EC1A1BB", true},    // AA9A
		{"GIR0AA", true},     // Girobank
		{"ABC1AB", true},     // AAA outward: the reference pattern allows it
		{"", false},          // empty
		{"SW1A 1AA", false},  // not normalised
		{"sw1a1aa", false},   // lower case
		{"XXSW1A1AA", false}, // the gov-guidance pattern's anchoring bug
		{"SW1A1AAX", false},
		{"SW1A1A", false},
		{"S1", false},
		{"SI11AA", false},  // second letter I
		{"SZ11AA", false},  // second letter Z
		{"ZZ993CZ", false}, // pseudo-postcode
		{"1W11AA", false},
		{"SW1AAAA", false},
		{"SW1A1A1", false},
		{"GIR0AB", false},
		{"SW1A１AA", false}, // fullwidth digit
		{"SW1A1ΑA", false}, // Greek capital alpha
		{strings.Repeat("A", 1000), false},
	}
	for _, tt := range tests {
		if got := ValidUKPostcode(tt.in); got != tt.want {
			t.Errorf("ValidUKPostcode(%q) = %v, want %v", tt.in, got, tt.want)
		}
		if ref := refPostcodeRE.MatchString(tt.in); ref != tt.want {
			t.Errorf("reference pattern on %q = %v; the table is wrong", tt.in, ref)
		}
	}
}

// TestValidUKPostcodeMatchesReference cross-checks every string of length
// 2 to 6 over an alphabet holding each character class the pattern treats
// differently, plus a million random postcode-shaped strings of length 7.
func TestValidUKPostcodeMatchesReference(t *testing.T) {
	const alphabet = "AGIRZ09a -"
	var walk func(prefix []byte, n int)
	checked := 0
	walk = func(prefix []byte, n int) {
		if n == 0 {
			checkPostcodeAgainstReference(t, string(prefix))
			checked++
			return
		}
		for i := 0; i < len(alphabet); i++ {
			walk(append(prefix, alphabet[i]), n-1)
		}
	}
	for n := 2; n <= 6; n++ {
		walk(nil, n)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const classes = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	buf := make([]byte, 7)
	for range 1_000_000 {
		n := 5 + rng.IntN(3)
		for i := range n {
			buf[i] = classes[rng.IntN(len(classes))]
		}
		checkPostcodeAgainstReference(t, string(buf[:n]))
		checked++
	}
	if t.Failed() {
		t.Logf("checked %d inputs", checked)
	}
}

func checkPostcodeAgainstReference(t *testing.T, s string) {
	t.Helper()
	if got, want := ValidUKPostcode(s), refPostcodeRE.MatchString(s); got != want {
		t.Fatalf("ValidUKPostcode(%q) = %v, reference pattern says %v", s, got, want)
	}
}

func TestIsPseudoPostcode(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"ZZ993CZ", true},
		{"ZZ993WZ", true},
		{"ZZ99", true},
		{"ZZ9", false},
		{"zz993cz", false}, // not normalised
		{"SW1A1AA", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := IsPseudoPostcode(tt.in); got != tt.want {
			t.Errorf("IsPseudoPostcode(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestPostcodeParts(t *testing.T) {
	tests := []struct {
		in, outward, sector string
		ok                  bool
	}{
		{"NW14RY", "NW1", "NW14", true},
		{"SW1A1AA", "SW1A", "SW1A1", true},
		{"M11AA", "M1", "M11", true},
		{"DN551PT", "DN55", "DN551", true},
		{"GIR0AA", "GIR", "GIR0", true},
		{"NW1 4RY", "", "", false},
		{"ZZ993CZ", "", "", false},
		{"", "", "", false},
		{"7000", "", "", false}, // an Australian postcode
	}
	for _, tt := range tests {
		o, s, ok := PostcodeParts(tt.in)
		if o != tt.outward || s != tt.sector || ok != tt.ok {
			t.Errorf("PostcodeParts(%q) = %q, %q, %v; want %q, %q, %v", tt.in, o, s, ok, tt.outward, tt.sector, tt.ok)
		}
	}
}

func BenchmarkValidUKPostcode(b *testing.B) {
	inputs := []string{"SW1A1AA", "M11AA", "DN551PT", "ZZ993CZ", "XXSW1A1AA", "NW14RY"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		ValidUKPostcode(inputs[i%len(inputs)])
	}
}

// BenchmarkValidUKPostcodeRegexp is the baseline the hand-written check
// replaces.
func BenchmarkValidUKPostcodeRegexp(b *testing.B) {
	inputs := []string{"SW1A1AA", "M11AA", "DN551PT", "ZZ993CZ", "XXSW1A1AA", "NW14RY"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		refPostcodeRE.MatchString(inputs[i%len(inputs)])
	}
}

func BenchmarkNormalisePostcode(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		NormalisePostcode("sw1a 1aa")
	}
}
