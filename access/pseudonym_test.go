package access_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
)

func TestParsePseudonymKey(t *testing.T) {
	raw32 := bytes.Repeat([]byte{0xab}, 32)
	for _, tc := range []struct {
		name string
		in   []byte
		want []byte // nil: refused
	}{
		{"hex 32 bytes", []byte(strings.Repeat("ab", 32)), raw32},
		{"hex with a newline", []byte(strings.Repeat("AB", 32) + "\n"), raw32},
		{"hex 64 bytes", []byte(strings.Repeat("0f", 64)), bytes.Repeat([]byte{0x0f}, 64)},
		{"raw 32 bytes", raw32, raw32},
		{"raw 40 letters", []byte(strings.Repeat("kz", 20)), []byte(strings.Repeat("kz", 20))},
		{"short hex", []byte(strings.Repeat("ab", 16)), nil},
		{"odd hex", []byte(strings.Repeat("a", 65)), nil},
		{"short raw", []byte("not a key"), nil},
		{"empty", nil, nil},
		{"only space", bytes.Repeat([]byte(" "), 40), nil},
		{"too long", bytes.Repeat([]byte{0xff}, 5000), nil},
	} {
		got, err := access.ParsePseudonymKey(tc.in)
		if tc.want == nil {
			if err == nil {
				t.Errorf("%s: accepted", tc.name)
			} else if len(tc.in) > 4 && strings.Contains(err.Error(), string(tc.in[:4])) && !strings.HasPrefix(tc.name, "only") {
				t.Errorf("%s: the error quotes the key: %v", tc.name, err)
			}
			continue
		}
		if err != nil || !bytes.Equal(got, tc.want) {
			t.Errorf("%s: %x, %v", tc.name, got, err)
		}
	}
}

func FuzzParsePseudonymKey(f *testing.F) {
	f.Add([]byte(strings.Repeat("ab", 32)))
	f.Add(bytes.Repeat([]byte{1}, 32))
	f.Add([]byte("short"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		key, err := access.ParsePseudonymKey(raw)
		if err != nil {
			return
		}
		if len(key) < access.MinPseudonymKey {
			t.Fatalf("a key of %d bytes accepted", len(key))
		}
		if _, err := access.NewPseudonymiser(key); err != nil {
			t.Fatal(err)
		}
	})
}

func TestPseudonyms(t *testing.T) {
	a, _ := access.NewPseudonymiser(bytes.Repeat([]byte{1}, 32))
	b, _ := access.NewPseudonymiser(bytes.Repeat([]byte{2}, 32))
	if a.Person("P0000000001") != a.Person("P0000000001") || len(a.Person("P0000000001")) != 64 {
		t.Error("a pseudonym is not stable")
	}
	if a.Person("P0000000001") == b.Person("P0000000001") || a.Person("P0000000001") == a.Person("P0000000002") {
		t.Error("pseudonyms collide across keys or persons")
	}
	if a.Person("uprn:1") == a.Household("uprn:1") {
		t.Error("a person's pseudonym is a household's")
	}
	if _, err := access.NewPseudonymiser(make([]byte, 31)); err == nil {
		t.Error("a 31-byte key accepted")
	}
}

func TestAgeBand(t *testing.T) {
	asOf := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for dob, want := range map[string]string{
		"2010-11-02": "0-15", "2010-11-01": "16-17", "2008-11-02": "16-17", "2008-11-01": "18-24",
		"2002-01-01": "18-24", "2001-11-01": "25-34", "1991": "", "1992": "25-34", "1951-11-02": "65-74",
		"1951-11-01": "75+", "1900-01-01": "75+", "2027-01-01": "", "": "", "not a date": "", "1980-13-01": "",
		"2026-11-01": "0-15", "1985-06": "35-44",
	} {
		if got := access.AgeBand(dob, asOf); got != want {
			t.Errorf("AgeBand(%q) = %q; want %q", dob, got, want)
		}
	}
}

func TestPostcodeSector(t *testing.T) {
	for in, want := range map[string]string{
		"NW1 2AB": "NW1 2", "nw12ab": "NW1 2", "SW1A 1AA": "SW1A 1", "E1 6AN": "E1 6", "ZZ99 3VZ": "", "": "", "12345": "", "NW1": "",
	} {
		if got := access.PostcodeSector(in); got != want {
			t.Errorf("PostcodeSector(%q) = %q; want %q", in, got, want)
		}
	}
}

// TestWritePseudonymised: restricted and objecting persons are left out
// and counted; care records are not read; household size counts the
// exported members.
func TestWritePseudonymised(t *testing.T) {
	home := resindex.Property{Key: "uprn:100023336956", UPRN: "100023336956"}
	recs := map[string][]resindex.Record{
		pid(1): {rec("council_tax", "CT1", sex("F"), attrs("single_person_discount", "true"))},
		pid(2): {rec("electoral_roll", "ER2", named("Bo", "Lee"), dob("2012-02-02"))},
		pid(3): {rec("libraries", "LB3")},
		pid(4): {rec("housing", "HO4")},
		pid(5): {rec("adult_social_care", "AS5")},
	}
	scan := func(fn func(string, *resindex.Record, resindex.Property) error) error {
		for p, rs := range recs {
			for i := range rs {
				if err := fn(p, &rs[i], home); err != nil {
					return err
				}
			}
		}
		return nil
	}
	rs := access.RightsSets{Restricted: map[string]bool{pid(3): true}, Objecting: map[string]bool{pid(4): true}}
	ps, _ := access.NewPseudonymiser(bytes.Repeat([]byte{7}, 32))
	var out bytes.Buffer
	n, err := access.WritePseudonymised(&out, scan, rs, ps, access.PseudonymisedOptions{AsOf: testNow})
	if err != nil || n != (access.PseudonymisedCounts{Rows: 2, Restricted: 1, Objecting: 1}) {
		t.Fatalf("counts %+v, %v", n, err)
	}
	text := out.String()
	for _, want := range []string{ps.Person(pid(1)) + "," + ps.Household(home.Key) + ",45-54,F,AB1 2,council_tax,1,2,true",
		ps.Person(pid(2)) + "," + ps.Household(home.Key) + ",0-15,,AB1 2,electoral_roll,1,2,false"} {
		if !strings.Contains(text, want) {
			t.Errorf("export lacks %q:\n%s", want, text)
		}
	}
	for _, never := range []string{ps.Person(pid(3)), ps.Person(pid(4)), ps.Person(pid(5)), "adult_social_care", "Ann", "Lee", "1980", "AB1 2CD", "CT1"} {
		if strings.Contains(text, never) {
			t.Errorf("export holds %q", never)
		}
	}
}
