package matcher

import (
	"strings"
	"testing"
)

type idCase struct {
	in, norm string
	valid    bool
}

func checkIDCases(t *testing.T, name string, fn func(string) (string, bool), cases []idCase) {
	t.Helper()
	for _, tt := range cases {
		norm, ok := fn(tt.in)
		if norm != tt.norm || ok != tt.valid {
			t.Errorf("%s(%q) = %q, %v; want %q, %v", name, tt.in, norm, ok, tt.norm, tt.valid)
		}
	}
}

func TestValidNHS(t *testing.T) {
	checkIDCases(t, "ValidNHS", ValidNHS, []idCase{
		{"9434765919", "9434765919", true}, // REFERENCE vector, sum 299
		{"9434765910", "9434765910", false},
		{"4010232137", "4010232137", true},
		{"943 476 5919", "9434765919", true},
		{"943-476-5919", "9434765919", true},
		{" 943\t476\u00a05919 ", "9434765919", true},
		{"943–476–5919", "9434765919", true}, // en dashes
		{"0000000000", "0000000000", false},  // passes the sum, never issued
		{"1111111111", "1111111111", false},  // also passes the sum
		{"", "", false},
		{"943476591", "943476591", false},     // nine digits
		{"94347659190", "94347659190", false}, // eleven
		{"94347659I9", "94347659I9", false},   // letter I for a one
		{"94347659l9", "94347659L9", false},
		{"9434765ｌ19", "9434765ｌ19", false},   // fullwidth lookalike
		{"９４３４７６５９１９", "９４３４７６５９１９", false},   // fullwidth digits
		{"٩٤٣٤٧٦٥٩١٩", "٩٤٣٤٧٦٥٩١٩", false},   // Arabic-Indic digits
		{"+9434765919", "+9434765919", false}, // sign
		{"0000000060", "0000000060", false},   // check would be 10
		{strings.Repeat("9", 1000), strings.Repeat("9", 1000), false},
	})
}

func TestNHSCheckDigit(t *testing.T) {
	tests := []struct {
		in    string
		check int
		ok    bool
	}{
		{"943476591", 9, true},
		{"401023213", 7, true},
		{"000000006", 0, false}, // sum 12: the check would be 10
		{"100000000", 1, true},
		{"000000000", 0, true}, // sum 0: 11 becomes 0
		{"", 0, false},
		{"94347659", 0, false},
		{"94347659a", 0, false},
	}
	for _, tt := range tests {
		c, ok := NHSCheckDigit(tt.in)
		if c != tt.check || ok != tt.ok {
			t.Errorf("NHSCheckDigit(%q) = %d, %v; want %d, %v", tt.in, c, ok, tt.check, tt.ok)
		}
	}
}

func TestValidNINO(t *testing.T) {
	checkIDCases(t, "ValidNINO", ValidNINO, []idCase{
		{"ab-12-34-56-c", "AB123456C", true}, // REFERENCE vector
		{"AB123456C", "AB123456C", true},
		{"AB 12 34 56 C", "AB123456C", true},
		{"JT123456D", "JT123456D", true},
		{"TN010280M", "TN010280M", false}, // temporary number, bad suffix too
		{"TN010280A", "TN010280A", false}, // temporary number
		{"GB123456A", "GB123456A", false},
		{"BG123456A", "BG123456A", false},
		{"NK123456A", "NK123456A", false},
		{"KN123456A", "KN123456A", false},
		{"NT123456A", "NT123456A", false},
		{"ZZ123456A", "ZZ123456A", false},
		{"AO123456A", "AO123456A", false}, // O not allowed second
		{"OA123456A", "OA123456A", true},  // O allowed first
		{"OO123456A", "OO123456A", false}, // administrative
		{"CR123456A", "CR123456A", false},
		{"FY123456A", "FY123456A", false},
		{"MW123456A", "MW123456A", false},
		{"NC123456A", "NC123456A", false},
		{"AB123456E", "AB123456E", false}, // suffix must be A-D
		{"QQ123456C", "QQ123456C", false}, // the usual example is invalid
		{"DA123456A", "DA123456A", false},
		{"AD123456A", "AD123456A", false},
		{"AB12345C", "AB12345C", false},
		{"AB1234567C", "AB1234567C", false},
		{"AB123456", "AB123456", false},   // suffix missing
		{"AB12З456C", "AB12З456C", false}, // Cyrillic Ze for a three
		{"", "", false},
		{"---", "", false},
	})
}

func TestValidUPN(t *testing.T) {
	temp := "80120000500" + "A"
	letter, ok := UPNCheckLetter(temp)
	if !ok {
		t.Fatalf("UPNCheckLetter(%q) failed", temp)
	}
	checkIDCases(t, "ValidUPN", ValidUPN, []idCase{
		{"B801200005001", "B801200005001", true}, // REFERENCE vector
		{"A801200005001", "A801200005001", false},
		{"b801200005001", "B801200005001", true},
		{"B801 2000 05001", "B801200005001", true},
		{"B207000016049", "B207000016049", false}, // the widely copied wrong example
		{"P207000016049", "P207000016049", true},  // its real check letter
		{"Q207000016049", "Q207000016049", false},
		{string(letter) + temp, string(letter) + temp, true}, // temporary UPN
		{string(letter) + "80120000500I", string(letter) + "80120000500I", false},
		{"B80120000500", "B80120000500", false},
		{"B8012000050011", "B8012000050011", false},
		{"1801200005001", "1801200005001", false},
		{"BA01200005001", "BA01200005001", false},
		{"B8012000O5001", "B8012000O5001", false}, // letter O for a zero
		{"", "", false},
	})
}

func TestUPNCheckLetter(t *testing.T) {
	tests := []struct {
		in   string
		want byte
		ok   bool
	}{
		{"801200005001", 'B', true},
		{"207000016049", 'P', true},
		{"000000000000", 'A', true},
		{"80120000500", 0, false},
		{"8012000050011", 0, false},
		{"80120000500S", 0, false}, // S is not in the alphabet
		{"80120000500a", 0, false}, // lower case is not normalised
		{"A01200005001", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, ok := UPNCheckLetter(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("UPNCheckLetter(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestValidUPRN(t *testing.T) {
	checkIDCases(t, "ValidUPRN", ValidUPRN, []idCase{
		{"100023336956", "100023336956", true},
		{"1", "1", true},
		{"999999999999", "999999999999", true},
		{"000010001234", "10001234", true}, // padded to 12
		{" 10001234 ", "10001234", true},
		{"0", "", false},
		{"000000000000", "", false},
		{"1000000000000", "1000000000000", false}, // 13 digits
		{"0000000000001", "0000000000001", false}, // 13 characters
		{"10001234.0", "10001234.0", false},       // spreadsheet damage is not repaired here
		{"1e7", "1E7", false},
		{"", "", false},
		{"１２３", "１２３", false},
	})
}

func BenchmarkValidNHS(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		ValidNHS("9434765919")
	}
}
