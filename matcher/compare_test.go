package matcher

import (
	"slices"
	"strings"
	"testing"

	"github.com/resindex/resindex"
)

// rec builds a record from a compact description for comparison tables.
func rec(given, family, dob string, addr ...string) resindex.Record {
	r := resindex.Record{Source: "t", ID: given + family + dob, Name: resindex.Name{Given: given, Family: family}, DOB: dob}
	if len(addr) >= 2 {
		r.Addresses = []resindex.Address{{Lines: []string{addr[0]}, Postcode: addr[1]}}
	}
	return r
}

func prof(r resindex.Record) *Profile {
	p := NewProfile(&r)
	return &p
}

func TestCompareGivenLevels(t *testing.T) {
	cases := []struct {
		a, b string
		want Level
	}{
		{"Mary Ann", "mary ann", GivenExact},
		{"Mary Ann", "Mary", GivenFirst},
		{"Robert", "Bob", GivenVariant},
		{"Peggy", "Margaret", GivenVariant},
		{"James Robert", "Robert", GivenAnyToken},
		{"Margeret", "Margaret", GivenFuzzy},
		{"J", "John", GivenInitial},
		{"John", "J.", GivenInitial},
		{"Zoë", "Zoe", GivenExact},
		{"Mary", "Susan", GivenDiff},
		{"", "Susan", LevelNull},
	}
	for _, c := range cases {
		got := Compare(prof(rec(c.a, "Smith", "")), prof(rec(c.b, "Smith", "")))[CmpGiven]
		if got != c.want {
			t.Errorf("given %q vs %q = %s, want %s", c.a, c.b, CmpGiven.LevelName(got), CmpGiven.LevelName(c.want))
		}
	}
}

func TestCompareFamilyLevels(t *testing.T) {
	cases := []struct {
		a, b string
		want Level
	}{
		{"Smith-Jones", "smith jones", FamilyExact},
		{"Smith-Jones", "Jones", FamilyPart},
		{"Jones-Smith", "Smith-Jones", FamilyPart},
		{"O'Brien", "OBrien", FamilyExact},
		{"Van der Berg", "Vanderberg", FamilyExact},
		{"Thompson", "Thomson", FamilyFuzzy},
		{"Smith", "Patel", FamilyDiff},
		{"Smith", "", LevelNull},
	}
	for _, c := range cases {
		got := Compare(prof(rec("Ann", c.a, "")), prof(rec("Ann", c.b, "")))[CmpFamily]
		if got != c.want {
			t.Errorf("family %q vs %q = %s, want %s", c.a, c.b, CmpFamily.LevelName(got), CmpFamily.LevelName(c.want))
		}
	}
}

func TestCompareOtherFamilyName(t *testing.T) {
	a := rec("Ann", "Brown", "1980-01-02")
	a.OtherNames = []resindex.Name{{Family: "Okafor"}}
	b := rec("Ann", "Okafor", "1980-01-02")
	if got := Compare(prof(a), prof(b))[CmpFamily]; got != FamilyOther {
		t.Errorf("maiden name = %s, want other_name", CmpFamily.LevelName(got))
	}
}

func TestCompareSwappedNames(t *testing.T) {
	v := Compare(prof(rec("Smith", "John", "")), prof(rec("John", "Smith", "")))
	if v[CmpGiven] != GivenExact || v[CmpFamily] != FamilyExact {
		t.Errorf("swapped names = %s/%s, want exact/exact", CmpGiven.LevelName(v[CmpGiven]), CmpFamily.LevelName(v[CmpFamily]))
	}
}

func TestCompareDOBLevels(t *testing.T) {
	cases := []struct {
		a, b string
		want Level
	}{
		{"1980-04-07", "1980-04-07", DOBExact},
		{"1980-04-07", "1980-07-04", DOBSwap},
		{"1980-04-07", "1980-04-08", DOBOneEdit},
		{"1980-04-07", "1908-04-07", DOBOneEdit}, // adjacent digits transposed
		{"1980-04-07", "1980", DOBPartial},
		{"1980-04-07", "1980-04", DOBPartial},
		{"1980-04-07", "1980-05", DOBYear},
		{"1980-04-07", "1980-11-23", DOBYear},
		{"1980-04-07", "1975-11-23", DOBDiff},
		{"1980-04-07", "1960-11-23", DOBFar},
		{"1980-04-07", "1960", DOBFar},
		{"1980-04-07", "1981", DOBDiff},
		{"1980-04-07", "", LevelNull},
		{"1980-04-07", "07/04/1980", LevelNull}, // unparseable: not evidence
	}
	for _, c := range cases {
		got := Compare(prof(rec("Ann", "Lee", c.a)), prof(rec("Ann", "Lee", c.b)))[CmpDOB]
		if got != c.want {
			t.Errorf("dob %q vs %q = %s, want %s", c.a, c.b, CmpDOB.LevelName(got), CmpDOB.LevelName(c.want))
		}
	}
}

func TestCompareAddressLevels(t *testing.T) {
	cases := []struct {
		a, pa, b, pb string
		want         Level
	}{
		{"10 High Street", "NW1 4AB", "10 High St", "nw14ab", AddrExact},
		{"Flat 2, 10 High Street", "NW1 4AB", "2/10 High Street", "NW1 4AB", AddrExact},
		{"Flat 2, 10 High Street", "NW1 4AB", "Flat 3, 10 High Street", "NW1 4AB", AddrBuilding},
		{"10 High Street", "NW1 4AB", "10 High Street", "", AddrExact},
		{"10 High Street", "NW1 4AB", "12 High Street", "NW1 4AB", AddrPostcode},
		{"10 High Street", "NW1 4AB", "3 Low Road", "NW1 4XY", AddrSector},
		{"10 High Street", "NW1 4AB", "3 Low Road", "E1 6AN", AddrDiff},
	}
	for _, c := range cases {
		got := Compare(prof(rec("Ann", "Lee", "", c.a, c.pa)), prof(rec("Ann", "Lee", "", c.b, c.pb)))[CmpAddress]
		if got != c.want {
			t.Errorf("address %q %q vs %q %q = %s, want %s", c.a, c.pa, c.b, c.pb, CmpAddress.LevelName(got), CmpAddress.LevelName(c.want))
		}
	}
}

func TestCompareIdentifiers(t *testing.T) {
	a := rec("Ann", "Lee", "")
	b := rec("Ann", "Lee", "")
	a.Identifiers = map[string]string{"nhs": "943 476 5919", "nino": "AB123456C", "ref": "X-1"}
	b.Identifiers = map[string]string{"nhs": "4010232137", "nino": "ab 12 34 56 c", "ref": "X-2"}
	v := Compare(prof(a), prof(b))
	if v[CmpNHS] != IDDiff || v[CmpNINO] != IDSame || v[CmpOtherID] != IDClose {
		t.Errorf("ids = nhs %s nino %s other %s", CmpNHS.LevelName(v[CmpNHS]), CmpNINO.LevelName(v[CmpNINO]), CmpOtherID.LevelName(v[CmpOtherID]))
	}
	b.Identifiers["nhs"] = "9434765910" // invalid: never evidence
	if v := Compare(prof(a), prof(b)); v[CmpNHS] != LevelNull {
		t.Errorf("invalid NHS number compared as %s", CmpNHS.LevelName(v[CmpNHS]))
	}
}

func TestProfileReportsUnusableFields(t *testing.T) {
	r := rec("Ann", "Lee", "31/02/1980")
	r.Identifiers = map[string]string{"nhs": "9434765910", "nino": "QQ123456C", "upn": "A801200005001"}
	p := NewProfile(&r)
	if len(p.Problems) != 4 {
		t.Errorf("problems = %v, want dob, nhs, nino, upn", p.Problems)
	}
	for _, pr := range p.Problems {
		if strings.Contains(pr, "1980") || strings.Contains(pr, "9434765910") || strings.Contains(pr, "QQ1") {
			t.Errorf("problem %q carries the value; it must name the field only", pr)
		}
	}
	if !p.DOB.IsZero() || p.NHS != "" || p.NINO != "" || p.UPN != "" {
		t.Errorf("invalid values used as evidence: %+v", p)
	}
}

func TestCompareGivenShortForms(t *testing.T) {
	cases := []struct {
		a, b string
		want Level
	}{
		{"Cal", "Callum", GivenVariant},
		{"Gordy", "Gordon", GivenVariant},
		{"Sukhi", "Sukhwinder", GivenVariant},
		{"Lucu", "Lucy", GivenFuzzy},
		{"Fg", "Funmilayo Grace", GivenInitial},
		{"JR", "John Robert", GivenInitial},
		{"Md", "Muhammad", GivenVariant},
		{"Ann", "Anne", GivenVariant},
		{"Max", "Mark", GivenDiff},
	}
	for _, c := range cases {
		got := Compare(prof(rec(c.a, "Smith", "")), prof(rec(c.b, "Smith", "")))[CmpGiven]
		if got != c.want {
			t.Errorf("given %q vs %q = %s, want %s", c.a, c.b, CmpGiven.LevelName(got), CmpGiven.LevelName(c.want))
		}
	}
}

func TestCompareCloseIdentifiers(t *testing.T) {
	a := rec("Ann", "Lee", "")
	b := rec("Ann", "Lee", "")
	a.Identifiers = map[string]string{"nino": "AB123456C"}
	b.Identifiers = map[string]string{"nino": "AB123465C"} // two digits transposed, still valid
	a.Emails, b.Emails = []string{"ann.lee@example.org"}, []string{"ann.le@example.org"}
	a.Phones, b.Phones = []string{"020 7946 0000"}, []string{"020 7946 0001"}
	v := Compare(prof(a), prof(b))
	if v[CmpNINO] != IDClose || v[CmpEmail] != IDClose || v[CmpPhone] != IDClose {
		t.Errorf("nino %s email %s phone %s, want close", CmpNINO.LevelName(v[CmpNINO]), CmpEmail.LevelName(v[CmpEmail]), CmpPhone.LevelName(v[CmpPhone]))
	}
	if s := NewScorer(DefaultModel(), 1000).Score(prof(a), prof(b)); s.Conflict {
		t.Error("a mistyped NINO is a hard conflict")
	}
}

func TestJoinedEqual(t *testing.T) {
	cases := []struct {
		a, b []string
		want bool
	}{
		{[]string{"van", "der", "berg"}, []string{"vanderberg"}, true},
		{[]string{"vanderberg"}, []string{"van", "der", "berg"}, true},
		{[]string{"van", "der", "berg"}, []string{"vander", "berg"}, true},
		{[]string{"van", "der"}, []string{"vanderberg"}, false},
		{[]string{"vanderberg"}, []string{"vanderbergh"}, false},
		{nil, nil, true},
		{nil, []string{"a"}, false},
		{[]string{"", "a"}, []string{"a", ""}, true},
		{[]string{"ab"}, []string{"ba"}, false},
	}
	for _, c := range cases {
		if got := joinedEqual(c.a, c.b); got != c.want {
			t.Errorf("joinedEqual(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

// TestTownLevel: the town level is reached where a postcode is missing,
// and only then; two addresses sharing only a town are not "tokens".
func TestTownLevel(t *testing.T) {
	at := func(town, postcode string, lines ...string) *Profile {
		r := resindex.Record{Source: "t", ID: town + postcode, Name: resindex.Name{Given: "Ann", Family: "Lee"},
			Addresses: []resindex.Address{{Lines: lines, Town: town, Postcode: postcode}}}
		return prof(r)
	}
	cases := []struct {
		name string
		a, b *Profile
		want Level
	}{
		{"towns only", at("Leeds", ""), at("Leeds", ""), AddrTown},
		{"one postcode", at("Leeds", "LS1 4AB"), at("Leeds", ""), AddrTown},
		{"other towns", at("Leeds", ""), at("York", ""), AddrDiff},
		{"both postcodes, one town", at("London", "E1 6AN"), at("London", "N7 6GT"), AddrDiff},
		{"a street beside the town", at("Leeds", "", "Park Road"), at("Leeds", "", "Park Road"), AddrTokens},
	}
	for _, c := range cases {
		if got := Compare(c.a, c.b)[CmpAddress]; got != c.want {
			t.Errorf("%s: address level %s, want %s", c.name, CmpAddress.LevelName(got), CmpAddress.LevelName(c.want))
		}
	}
}

// TestSwappedOneSide: a name moved to the other field, the other
// replaced, is any_token, never an exact name ("James Thomas" and
// "Thomas Williams" may well be two people).
func TestSwappedOneSide(t *testing.T) {
	a, b := prof(rec("James", "Thomas", "")), prof(rec("Thomas", "Williams", ""))
	v := Compare(a, b)
	if v[CmpGiven] != GivenAnyToken || v[CmpFamily] != FamilyDiff {
		t.Errorf("levels %s/%s, want any_token/different", CmpGiven.LevelName(v[CmpGiven]), CmpFamily.LevelName(v[CmpFamily]))
	}
	if w := Compare(b, a); w != v {
		t.Errorf("not symmetric: %v and %v", v, w)
	}
}

// TestRankedOrderIsKeyOrder: ranked profiles are put in key order by rank
// alone, and ranks of two batches are never compared.
func TestRankedOrderIsKeyOrder(t *testing.T) {
	keys := []string{"a/1", "a/10", "a/2", "b/0"}
	ps := make([]Profile, len(keys))
	for i, k := range keys {
		src, id, _ := strings.Cut(k, "/")
		ps[i] = Profile{Key: resindex.RecordKey{Source: src, ID: id}}
	}
	RankByKey(ps)
	other := slices.Clone(ps)
	RankByKey(other) // a second batch: its ranks mean nothing against the first's
	for i := range ps {
		if ps[i].rank == 0 {
			t.Fatalf("profile %d unranked", i)
		}
		for j := range ps {
			want := ps[j].Key.Less(ps[i].Key)
			if after(&ps[i], &ps[j]) != want || after(&ps[i], &other[j]) != want {
				t.Errorf("after(%s, %s) disagrees with key order", ps[i].Key, ps[j].Key)
			}
		}
	}
	unsorted := []Profile{ps[1], ps[0]}
	unsorted[0].rank, unsorted[1].rank = 0, 0
	if RankByKey(unsorted); unsorted[0].rank != 0 {
		t.Error("profiles out of key order were ranked")
	}
}
