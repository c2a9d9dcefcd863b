package matcher

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestParseAddress(t *testing.T) {
	tests := []struct {
		name     string
		lines    []string
		town, pc string
		want     AddressParts
	}{
		{
			name:  "flat then number and street",
			lines: []string{"Flat 2", "10 High St"}, town: "London", pc: "nw1 4ry",
			want: AddressParts{Flat: "2", Number: "10", Street: "high street", Town: "london", Postcode: "NW14RY",
				Tokens: []string{"10", "2", "high", "london", "street"}},
		},
		{
			name:  "slash form",
			lines: []string{"2/10 High Street"},
			want: AddressParts{Flat: "2", Number: "10", Street: "high street",
				Tokens: []string{"10", "2", "high", "street"}},
		},
		{
			name:  "saint at the start, street at the end",
			lines: []string{"St John's Rd"},
			want:  AddressParts{Street: "saint johns road", Tokens: []string{"johns", "road", "saint"}},
		},
		{
			name:  "saint street",
			lines: []string{"4 St. Mary's St."},
			want:  AddressParts{Number: "4", Street: "saint marys street", Tokens: []string{"4", "marys", "saint", "street"}},
		},
		{
			name:  "apartment with suffix letter",
			lines: []string{"Apartment 2A", "Carlton Ho", "5 Wharf Rd"},
			want: AddressParts{Flat: "2a", Number: "5", Building: "carlton house", Street: "wharf road",
				Tokens: []string{"2a", "5", "carlton", "house", "road", "wharf"}},
		},
		{
			name:  "basement flat",
			lines: []string{"Basement Flat", "22 Acacia Ave"},
			want: AddressParts{Flat: "basement", Number: "22", Street: "acacia avenue",
				Tokens: []string{"22", "acacia", "avenue", "basement"}},
		},
		{
			name:  "ground floor flat, postcode at the end of the only line",
			lines: []string{"Ground Floor Flat, 22 Acacia Avenue, London NW1 4AB"},
			want: AddressParts{Flat: "ground", Number: "22", Street: "acacia avenue", Town: "london", Postcode: "NW14AB",
				Tokens: []string{"22", "acacia", "avenue", "ground", "london"}},
		},
		{
			name:  "postcode as the last line; argument wins",
			lines: []string{"10 Downing St", "SW1A 2AA"}, pc: "SW1A 2AB",
			want: AddressParts{Number: "10", Street: "downing street", Postcode: "SW1A2AB",
				Tokens: []string{"10", "downing", "street"}},
		},
		{
			name:  "number range with spaces, hyphenated town",
			lines: []string{"10 - 12 Trent Rd"}, town: "Stoke-on-Trent",
			want: AddressParts{Number: "10-12", Street: "trent road", Town: "stoke on trent",
				Tokens: []string{"10-12", "on", "road", "stoke", "trent"}},
		},
		{
			name:  "No. before the number, suffix letter apart",
			lines: []string{"No. 12 B The Green"}, town: "St Albans",
			want: AddressParts{Number: "12b", Street: "green", Town: "saint albans",
				Tokens: []string{"12b", "albans", "green", "saint"}},
		},
		{
			name:  "building line then street without number",
			lines: []string{"Flat 2 Carlton House", "High St North", "Camden", "London"},
			want: AddressParts{Flat: "2", Building: "carlton house", Street: "high street north", Town: "london",
				Tokens: []string{"2", "camden", "carlton", "high", "house", "london", "north", "street"}},
		},
		{
			name:  "named house in a village",
			lines: []string{"The Old Rectory", "Ashwell", "Baldock"},
			want: AddressParts{Building: "old rectory", Street: "ashwell", Town: "baldock",
				Tokens: []string{"ashwell", "baldock", "old", "rectory"}},
		},
		{
			name:  "town repeated in the lines is not a street",
			lines: []string{"Rose Cottage", "London"}, town: "LONDON",
			want: AddressParts{Building: "rose cottage", Town: "london", Tokens: []string{"cottage", "london", "rose"}},
		},
		{
			name:  "one line, town after the street",
			lines: []string{"10 High Street London"},
			want: AddressParts{Number: "10", Street: "high street", Town: "london",
				Tokens: []string{"10", "high", "london", "street"}},
		},
		{
			name:  "estate agents' initialism",
			lines: []string{"GFF 3 Park Cres"},
			want: AddressParts{Flat: "ground", Number: "3", Street: "park crescent",
				Tokens: []string{"3", "crescent", "ground", "park"}},
		},
		{
			name:  "block number is part of the building",
			lines: []string{"Flat 12, Block 2, Gascoyne Estate", "Gascoyne Rd"},
			want: AddressParts{Flat: "12", Building: "block 2", Street: "gascoyne road",
				Tokens: []string{"12", "2", "block", "estate", "gascoyne", "road"}},
		},
		{
			name:  "australian address",
			lines: []string{"69 giblin street", "killarney"},
			want: AddressParts{Number: "69", Street: "giblin street", Town: "killarney",
				Tokens: []string{"69", "giblin", "killarney", "street"}},
		},
		{
			name:  "australian with state and postcode",
			lines: []string{"Unit 4/69 Giblin St", "Killarney VIC 3283"},
			want: AddressParts{Flat: "4", Number: "69", Street: "giblin street", Town: "killarney vic 3283",
				Tokens: []string{"3283", "4", "69", "giblin", "killarney", "street", "vic"}},
		},
		{
			name:  "accents and curly apostrophes",
			lines: []string{"3 Rue de l’Église"}, town: "Montréal",
			want: AddressParts{Number: "3", Street: "rue de leglise", Town: "montreal",
				Tokens: []string{"3", "de", "leglise", "montreal", "rue"}},
		},
		{
			name: "empty", want: AddressParts{},
		},
		{
			name:  "punctuation only",
			lines: []string{",,,", " - ", "'"}, pc: "--",
			want: AddressParts{},
		},
		{
			name:  "postcode only",
			lines: []string{"sw1a1aa"},
			want:  AddressParts{Postcode: "SW1A1AA"},
		},
		{
			name:  "no fixed abode",
			lines: []string{"No Fixed Abode"}, pc: "ZZ99 3CZ",
			want: AddressParts{Building: "no fixed abode", Postcode: "ZZ993CZ", Tokens: []string{"abode", "fixed"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ParseAddress(slices.Clone(tt.lines), tt.town, tt.pc)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseAddress(%q, %q, %q)\n got %+v\nwant %+v", tt.lines, tt.town, tt.pc, got, tt.want)
			}
		})
	}
}

func TestParseAddressDoesNotModifyLines(t *testing.T) {
	lines := []string{"Flat 2, 10 High St", "London SW1A 1AA"}
	ParseAddress(lines, "", "")
	if lines[0] != "Flat 2, 10 High St" || lines[1] != "London SW1A 1AA" {
		t.Errorf("ParseAddress changed its input: %q", lines)
	}
}

func TestParseAddressLong(t *testing.T) {
	long := strings.Repeat("Very Long Road Name ", 10000)
	a := ParseAddress([]string{"1 " + long}, "", "")
	if a.Number != "1" || !strings.HasPrefix(a.Street, "very long road") {
		t.Errorf("ParseAddress(long) = number %q street %.40q", a.Number, a.Street)
	}
	if len(a.Tokens) != 5 {
		t.Errorf("ParseAddress(long) tokens = %q", a.Tokens)
	}
}

// TestAddressKeyEquivalence lists writings of one address that must give
// one key, and different addresses that must not.
func TestAddressKeyEquivalence(t *testing.T) {
	type addr struct {
		lines    []string
		town, pc string
	}
	same := [][]addr{
		{
			{lines: []string{"Flat 2, 10 High St"}},
			{lines: []string{"2/10 High Street"}},
			{lines: []string{"Flat 2", "10 High Street"}},
			{lines: []string{"FLAT 2 10 HIGH ST."}},
			{lines: []string{"Apt. 2", "10, High St"}},
			{lines: []string{"Flat 2, 10 High Street"}, town: ""},
		},
		{
			{lines: []string{"Flat 1, St John's Court", "4 St John's Rd"}, pc: "e8 1aa"},
			{lines: []string{"Flat 1", "St Johns Ct", "4 Saint Johns Road"}, pc: "E81AA"},
			{lines: []string{"FLT 1 ST. JOHNS COURT, 4 ST. JOHNS RD., LONDON E8 1AA"}},
		},
		{
			{lines: []string{"Ground Floor Flat", "22 Acacia Avenue"}, pc: "NW1 4AB"},
			{lines: []string{"GFF, 22 Acacia Ave"}, pc: "nw14ab"},
			{lines: []string{"Ground Flr Flat 22 Acacia Ave"}, pc: "NW1 4AB"},
			{lines: []string{"Ground Floor, 22 Acacia Avenue, NW1 4AB"}},
		},
		{
			{lines: []string{"10a Mill Lane"}, town: "Bristol"},
			{lines: []string{"10 A Mill Ln"}, town: "BRISTOL"},
			{lines: []string{"10A, Mill Lane", "Bristol"}},
		},
	}
	for _, group := range same {
		want := ParseAddress(group[0].lines, group[0].town, group[0].pc).Key()
		if want == "" {
			t.Errorf("%q has no key", group[0].lines)
		}
		for _, a := range group[1:] {
			if got := ParseAddress(a.lines, a.town, a.pc).Key(); got != want {
				t.Errorf("Key(%q) = %q, want %q as for %q", a.lines, got, want, group[0].lines)
			}
		}
	}
	different := [][2][]string{
		{{"Flat 2, 10 High St"}, {"Flat 3, 10 High St"}},
		{{"Flat 2, 10 High St"}, {"10 High St"}},
		{{"10 High St"}, {"12 High St"}},
		{{"10 High St"}, {"10 High Rd"}},
		{{"10 St Johns Rd"}, {"10 Johns Rd"}},
	}
	for _, d := range different {
		a, b := ParseAddress(d[0], "", "").Key(), ParseAddress(d[1], "", "").Key()
		if a == b {
			t.Errorf("%q and %q share key %q", d[0], d[1], a)
		}
	}
}

func TestAddressKey(t *testing.T) {
	tests := []struct {
		a    AddressParts
		want string
	}{
		{AddressParts{}, ""},
		{AddressParts{Postcode: "SW1A1AA", Town: "london"}, ""}, // too little to be an address
		{AddressParts{Number: "10", Street: "high street", Postcode: "SW1A1AA", Town: "london"}, "|10||high street|SW1A1AA"},
		{AddressParts{Number: "10", Street: "high street", Town: "london"}, "|10||high street|london"},
		{AddressParts{Building: "no fixed abode", Postcode: "ZZ993CZ", Town: "hackney"}, "||no fixed abode||hackney"},
		{AddressParts{Flat: "2", Number: "10", Building: "carlton house", Street: "high street"}, "2|10|carlton house|high street|"},
	}
	for _, tt := range tests {
		if got := tt.a.Key(); got != tt.want {
			t.Errorf("%+v.Key() = %q, want %q", tt.a, got, tt.want)
		}
	}
}

func BenchmarkParseAddress(b *testing.B) {
	inputs := []struct {
		lines    []string
		town, pc string
	}{
		{[]string{"Flat 2", "10 High St"}, "London", "NW1 4RY"},
		{[]string{"Ground Floor Flat, 22 Acacia Avenue, London NW1 4AB"}, "", ""},
		{[]string{"The Old Rectory", "Ashwell"}, "Baldock", "SG7 5AA"},
		{[]string{"2/10 St John's Rd"}, "St Albans", "AL1 1AA"},
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		in := inputs[i%len(inputs)]
		ParseAddress(in.lines, in.town, in.pc)
	}
}
