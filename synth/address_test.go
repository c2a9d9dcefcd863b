package synth

import (
	"slices"
	"testing"
)

func TestAddressVariantAlwaysDiffers(t *testing.T) {
	st := street{name: "Ashby Road", word: "Ashby", typ: "Road"}
	odd := street{name: "Ashby Hollow", word: "Ashby", typ: "Hollow"} // a type with no abbreviation
	props := []property{
		{number: "12"},
		{number: "12A", saon: "Flat B", kind: kindConverted},
		{number: "12", saon: "Flat 3", building: "Carlton House", kind: kindBlock},
		{number: "4", saon: "Ground Floor Flat", kind: kindConverted},
	}
	r := newRand(7, 1)
	for _, s := range []*street{&st, &odd} {
		for i := range props {
			p := &props[i]
			p.lines = standardLines(p, s)
			for k := 0; k < 100; k++ {
				lines, tw := addressVariant(r, p, s)
				if slices.Equal(lines, p.lines) && tw == town {
					t.Fatalf("variant of %v is the standard form", p.lines)
				}
			}
		}
	}
}

func TestStandardLines(t *testing.T) {
	st := street{name: "Ashby Road"}
	tests := []struct {
		p    property
		want []string
	}{
		{property{number: "12"}, []string{"12 Ashby Road"}},
		{property{number: "12", saon: "Flat B"}, []string{"Flat B", "12 Ashby Road"}},
		{property{number: "12", saon: "Flat 3", building: "Carlton House"}, []string{"Flat 3 Carlton House", "12 Ashby Road"}},
	}
	for _, tt := range tests {
		if got := standardLines(&tt.p, &st); !slices.Equal(got, tt.want) {
			t.Errorf("standardLines(%+v) = %q, want %q", tt.p, got, tt.want)
		}
	}
}

func TestFlatNumber(t *testing.T) {
	for saon, want := range map[string]string{"Flat 3": "3", "Flat B": "B", "Ground Floor Flat": ""} {
		got, ok := flatNumber(saon)
		if got != want || ok != (want != "") {
			t.Errorf("flatNumber(%q) = %q, %v", saon, got, ok)
		}
	}
}
