package access_test

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
)

func TestParsePseudonymKey(t *testing.T) {
	raw32 := bytes.Repeat([]byte{0xab}, 32)
	// 32 bytes as `head -c 32 /dev/urandom` might give them.
	random := []byte("\x8f\x1c\xe2\x07\xb9\x5a\xd4\x33\x90\x6e\x01\xfb\x2c\xa8\x77\xc5\x19\xee\x40\x8d\x63\xf2\x0b\x9e\xd7\x25\x84\x3a\xcb\x56\x10\xe9")
	b64 := base64.StdEncoding.EncodeToString(random)
	for _, tc := range []struct {
		name string
		in   []byte
		want []byte // nil: refused
	}{
		{"hex 32 bytes", []byte(strings.Repeat("ab", 32)), raw32},
		{"hex with a newline", []byte(strings.Repeat("AB", 32) + "\n"), raw32},
		{"hex 64 bytes", []byte(strings.Repeat("0f", 64)), bytes.Repeat([]byte{0x0f}, 64)},
		{"base64 as openssl writes it", []byte(b64 + "\n"), random},
		{"base64 unpadded", []byte(strings.TrimRight(b64, "=")), random},
		{"base64 URL alphabet", []byte(base64.RawURLEncoding.EncodeToString(random)), random},
		{"base64 of 48 bytes over two lines", []byte(base64.StdEncoding.EncodeToString(append(random, random[:16]...))[:40] + "\n" +
			base64.StdEncoding.EncodeToString(append(random, random[:16]...))[40:] + "\n"), append(random, random[:16]...)},
		{"raw random 32 bytes", random, random},
		{"raw 32 bytes", raw32, raw32},
		{"passphrase", []byte("council-pseudonym-key-2024-camden"), nil},
		{"passphrase with spaces", []byte("correct horse battery staple and more words\n"), nil},
		{"passphrase of base64 letters", []byte("CamdenCouncilPseudonymKeyForAnalysisTwentyTwentyFour"), nil},
		{"passphrase of base64 letters and digits, lower case", []byte("camdencouncilpseudonymkeyforanalysis2024and2025"), nil},
		{"accented passphrase", []byte("clé du conseil de Camden pour les pseudonymes"), nil},
		{"latin-1 passphrase", []byte("cl\xe9 du conseil de Camden pour les pseudonymes"), nil},
		{"raw 40 letters", []byte(strings.Repeat("kz", 20)), nil},
		{"short base64", []byte(base64.StdEncoding.EncodeToString(random[:16])), nil},
		{"short hex", []byte(strings.Repeat("ab", 16)), nil},
		{"odd hex", []byte(strings.Repeat("a", 65)), nil},
		{"short raw", []byte("not a key"), nil},
		{"short random", random[:16], nil},
		{"empty", nil, nil},
		{"only space", bytes.Repeat([]byte(" "), 40), nil},
		{"too long", bytes.Repeat([]byte{0xff}, 5000), nil},
	} {
		got, err := access.ParsePseudonymKey(tc.in)
		if tc.want == nil {
			if err == nil {
				t.Errorf("%s: accepted", tc.name)
				continue
			}
			if len(tc.in) > 4 && strings.Contains(err.Error(), string(tc.in[:4])) && !strings.HasPrefix(tc.name, "only") {
				t.Errorf("%s: the error quotes the key: %v", tc.name, err)
			}
			if len(tc.in) > 0 && !strings.Contains(err.Error(), "openssl rand -hex 32") {
				t.Errorf("%s: the error does not say how to make a key: %v", tc.name, err)
			}
			continue
		}
		if err != nil || !bytes.Equal(got, tc.want) {
			t.Errorf("%s: %x, %v", tc.name, got, err)
		}
	}
}

// FuzzParsePseudonymKey: an accepted key is long enough, and text is only
// ever accepted decoded (hex or base64), never as the key itself.
func FuzzParsePseudonymKey(f *testing.F) {
	f.Add([]byte(strings.Repeat("ab", 32)))
	f.Add(bytes.Repeat([]byte{1}, 32))
	f.Add(bytes.Repeat([]byte{0xab}, 32))
	f.Add([]byte("short"))
	f.Add([]byte("council-pseudonym-key-2024-camden"))
	f.Add([]byte(base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{0x9c, 0x31, 0xe7}, 11))))
	f.Fuzz(func(t *testing.T, raw []byte) {
		key, err := access.ParsePseudonymKey(raw)
		if err != nil {
			return
		}
		if len(key) < access.MinPseudonymKey {
			t.Fatalf("a key of %d bytes accepted", len(key))
		}
		if bytes.Equal(key, raw) && utf8.Valid(raw) {
			t.Fatalf("text accepted as a raw key: %q", raw)
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

// TestWritePseudonymised: restricted, objecting and shielded persons and
// children without recorded consent are left out and counted; care
// records are not read (though they can make a person a child); household
// size counts the exported members.
func TestWritePseudonymised(t *testing.T) {
	home := resindex.Property{Key: "uprn:100023336956", UPRN: "100023336956"}
	recs := map[string][]resindex.Record{
		pid(1): {rec("council_tax", "CT1", sex("F"), attrs("single_person_discount", "true"))},
		// A child whose record records consent is exported.
		pid(2): {rec("electoral_roll", "ER2", named("Bo", "Lee"), dob("2012-02-02"), attrs(resindex.AttrGoldenConsent, "Yes"))},
		pid(3): {rec("libraries", "LB3")},
		pid(4): {rec("housing", "HO4")},
		pid(5): {rec("adult_social_care", "AS5")},
		// A five-year-old's schools record: a child, no consent.
		pid(6): {rec("schools", "S6", dob("2021-02-03"))},
		// Shielded by a source's flag (restricted, staff, VIP).
		pid(7): {rec("council_tax", "CT7", flags(resindex.FlagRestricted))},
		pid(8): {rec("libraries", "LB8", flags(resindex.FlagVIP)), rec("parking", "PK8")},
		// A child by an active children's social care record only (never read
		// for its values), and consent "no" is none.
		pid(9): {rec("libraries", "LB9", attrs(resindex.AttrGoldenConsent, "no")), rec("children_social_care", "CS9", flags(resindex.FlagLookedAfter))},
		// A care leaver's record of long ago does not make an adult a child.
		pid(10): {rec("parking", "PK10"), rec("children_social_care", "CS10", active("2001-01-01"))},
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
	if err != nil || n != (access.PseudonymisedCounts{Rows: 3, Restricted: 1, Objecting: 1, Shielded: 2, Children: 2}) {
		t.Fatalf("counts %+v, %v", n, err)
	}
	text := out.String()
	for _, want := range []string{ps.Person(pid(1)) + "," + ps.Household(home.Key) + ",45-54,F,AB1 2,council_tax,1,3,true",
		ps.Person(pid(2)) + "," + ps.Household(home.Key) + ",0-15,,AB1 2,electoral_roll,1,3,false",
		ps.Person(pid(10)) + "," + ps.Household(home.Key) + ",45-54,,AB1 2,parking,1,3,false"} {
		if !strings.Contains(text, want) {
			t.Errorf("export lacks %q:\n%s", want, text)
		}
	}
	for _, never := range []string{ps.Person(pid(3)), ps.Person(pid(4)), ps.Person(pid(5)), ps.Person(pid(6)), ps.Person(pid(7)),
		ps.Person(pid(8)), ps.Person(pid(9)), "adult_social_care", "children_social_care", "schools", "Ann", "Lee", "1980", "AB1 2CD", "CT1"} {
		if strings.Contains(text, never) {
			t.Errorf("export holds %q", never)
		}
	}
}
