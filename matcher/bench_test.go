package matcher

import (
	"testing"

	"github.com/resindex/resindex"
)

func benchPair() (resindex.Record, resindex.Record) {
	a := resindex.Record{Source: "council_tax", ID: "1",
		Name: resindex.Name{Given: "Margaret Ann", Family: "Okafor-Smith"}, DOB: "1975-06-30", Sex: "F",
		Addresses:   []resindex.Address{{UPRN: "100021000001", Lines: []string{"Flat 3, Carlton House", "12 Ashby Road"}, Postcode: "NW5 2AB"}},
		Identifiers: map[string]string{"nino": "AB123456C"}, Emails: []string{"m@example.org"}}
	b := resindex.Record{Source: "electoral_roll", ID: "2",
		Name: resindex.Name{Given: "Peggy", Family: "Okafor"}, DOB: "1975-06-03",
		Addresses: []resindex.Address{{Lines: []string{"3 Carlton Hse", "12 Ashby Rd"}, Postcode: "NW52AB"}}}
	return a, b
}

func BenchmarkNewProfile(b *testing.B) {
	r, _ := benchPair()
	for b.Loop() {
		_ = NewProfile(&r)
	}
}

func BenchmarkNewBlockingKeys(b *testing.B) {
	r, _ := benchPair()
	p := NewProfile(&r)
	for b.Loop() {
		_ = NewBlockingKeys(&p)
	}
}

func BenchmarkScore(b *testing.B) {
	ra, rb := benchPair()
	pa, pb := NewProfile(&ra), NewProfile(&rb)
	s := NewScorer(DefaultModel(), 1_000_000)
	for b.Loop() {
		_ = s.Score(&pa, &pb)
	}
}

func BenchmarkScoreStrangers(b *testing.B) {
	ra, _ := benchPair()
	rb := resindex.Record{Source: "x", ID: "y", Name: resindex.Name{Given: "Tomasz", Family: "Nowak"}, DOB: "1990-01-02",
		Addresses: []resindex.Address{{Lines: []string{"4 Mill Lane"}, Postcode: "N7 8QT"}}}
	pa, pb := NewProfile(&ra), NewProfile(&rb)
	s := NewScorer(DefaultModel(), 1_000_000)
	for b.Loop() {
		_ = s.Score(&pa, &pb)
	}
}

// BenchmarkScoreAtLeastStrangers is the batch linker's usual pair: two
// strangers whose names need never be compared.
func BenchmarkScoreAtLeastStrangers(b *testing.B) {
	ra, _ := benchPair()
	rb := resindex.Record{Source: "x", ID: "y", Name: resindex.Name{Given: "Tomasz", Family: "Nowak"}, DOB: "1990-01-02",
		Addresses: []resindex.Address{{Lines: []string{"4 Mill Lane"}, Postcode: "N7 8QT"}}}
	pa, pb := NewProfile(&ra), NewProfile(&rb)
	m := DefaultModel()
	s := NewScorer(m, 1_000_000)
	for b.Loop() {
		_, _ = s.ScoreAtLeast(&pa, &pb, m.ReviewThreshold)
	}
}
