package synth

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/resindex/resindex"
)

// peopleStats are the shares the people profile promises, measured on the
// records against the true persons.
type peopleStats struct {
	records, dups, persons                        float64
	singletons                                    float64
	dobWrongDup, dobMissing, dobYearOnly          float64
	givenMissing, familyMissing, sexMissing       float64
	addressMissing, postcode                      float64
	swappedDup, nicknameDup, nicknameCan          float64
	personsEmail, carriedEmail, ofEmailPersons    float64
	emailTypoDup, carriedDup                      float64
	london, maxFamily                             float64
	uprnOrLines, identifiersOrPhones, badPostcode float64
}

var postcodeShape = regexp.MustCompile(`^[A-Z]{1,2}[0-9]{1,2} [0-9][A-Z]{2}$`)

func measurePeople(p *People) peopleStats {
	var s peopleStats
	perPerson := make([]int, len(p.persons))
	for _, src := range PeopleSources {
		for i := range p.Records[src] {
			s.record(&p.Records[src][i], &p.persons[p.info[src][i].person], p.info[src][i].dup)
			perPerson[p.info[src][i].person]++
		}
	}
	families := map[string]int{}
	for i := range p.persons {
		s.persons++
		if perPerson[i] == 1 {
			s.singletons++
		}
		if p.persons[i].email != "" {
			s.personsEmail++
		}
		if ukTowns[p.persons[i].town].name == "London" {
			s.london++
		}
		families[p.persons[i].family]++
		s.maxFamily = max(s.maxFamily, float64(families[p.persons[i].family]))
	}
	return s
}

// record counts what one record shows of its person.
func (s *peopleStats) record(r *resindex.Record, p *pperson, dup bool) {
	s.records++
	count := func(c *float64, ok bool) {
		if ok {
			*c++
		}
	}
	count(&s.dobMissing, r.DOB == "")
	count(&s.dobYearOnly, len(r.DOB) == 4)
	count(&s.givenMissing, r.Name.Given == "")
	count(&s.familyMissing, r.Name.Family == "")
	count(&s.sexMissing, r.Sex == "")
	count(&s.addressMissing, len(r.Addresses) == 0)
	count(&s.identifiersOrPhones, len(r.Identifiers) > 0 || len(r.Phones) > 0)
	for _, a := range r.Addresses {
		count(&s.uprnOrLines, a.UPRN != "" || len(a.Lines) > 0)
		count(&s.postcode, a.Postcode != "")
		count(&s.badPostcode, a.Postcode != "" && !postcodeShape.MatchString(a.Postcode))
	}
	if p.email != "" {
		s.ofEmailPersons++
		count(&s.carriedEmail, len(r.Emails) > 0)
	}
	if !dup {
		return
	}
	s.dups++
	count(&s.dobWrongDup, len(r.DOB) == 10 && r.DOB != p.dob.iso())
	count(&s.swappedDup, r.Name.Family == p.given && r.Name.Family != p.family)
	first, _, _ := strings.Cut(r.Name.Given, " ")
	if nick := nicknames[p.given]; len(nick) > 0 {
		s.nicknameCan++
		for _, n := range nick {
			count(&s.nicknameDup, first == n && n != p.given)
		}
	}
	if len(r.Emails) > 0 {
		s.carriedDup++
		count(&s.emailTypoDup, r.Emails[0] != p.email)
	}
}

// TestPeopleShape: on 5,000 persons the rates land near their targets
// (peopleDefaults), and nothing of a borough leaks in.
func TestPeopleShape(t *testing.T) {
	p, err := GeneratePeople(PeopleConfig{Persons: 5000, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	s := measurePeople(p)
	cases := []struct {
		name   string
		got    float64
		lo, hi float64
	}{
		{"records per person", s.records / s.persons, 2.5, 4},
		{"singleton persons", s.singletons / s.persons, 0.25, 0.40},
		{"wrong DOB among duplicates", s.dobWrongDup / s.dups, 0.22, 0.28},
		{"DOB missing", s.dobMissing / s.records, 0.10, 0.14},
		{"DOB year only", s.dobYearOnly / s.records, 0.035, 0.065},
		{"given name missing", s.givenMissing / s.records, 0.03, 0.05},
		{"family name missing", s.familyMissing / s.records, 0.03, 0.05},
		{"sex missing", s.sexMissing / s.records, 0.065, 0.095},
		{"address missing", s.addressMissing / s.records, 0.10, 0.14},
		{"postcode among records", s.postcode / s.records, 0.23, 0.30},
		{"names swapped among duplicates", s.swappedDup / s.dups, 0.025, 0.055},
		{"nickname among duplicates that can have one", s.nicknameDup / s.nicknameCan, 0.10, 0.18},
		{"persons with an email", s.personsEmail / s.persons, 0.37, 0.43},
		{"records carrying their person's email", s.carriedEmail / s.ofEmailPersons, 0.56, 0.64},
		{"email mistyped among duplicates carrying it", s.emailTypoDup / s.carriedDup, 0.11, 0.19},
		{"persons in London", s.london / s.persons, 0.15, 0.27},
		{"persons sharing the commonest family name", s.maxFamily / s.persons, 0.01, 0.1},
		{"records with a UPRN or address lines", s.uprnOrLines, 0, 0},
		{"records with identifiers or phones", s.identifiersOrPhones, 0, 0},
		{"postcodes not shaped like one", s.badPostcode, 0, 0},
	}
	for _, c := range cases {
		t.Logf("%s: %.4f", c.name, c.got)
		if c.got < c.lo || c.got > c.hi {
			t.Errorf("%s: %.4f, want %.3f to %.3f", c.name, c.got, c.lo, c.hi)
		}
	}
}

// TestPeopleTruthCoversEveryRecordOnce: each record has exactly one truth
// row, naming the person it was made from, and ids are unique per register.
func TestPeopleTruthCoversEveryRecordOnce(t *testing.T) {
	p, err := GeneratePeople(PeopleConfig{Persons: 2000, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	truth := map[resindex.RecordKey]string{}
	for _, row := range p.Truth {
		k := resindex.RecordKey{Source: row.Source, ID: row.ID}
		if _, dup := truth[k]; dup {
			t.Fatalf("%s has two truth rows", k)
		}
		truth[k] = row.PersonID
	}
	n, persons := 0, map[string]bool{}
	for _, src := range PeopleSources {
		for i, r := range p.Records[src] {
			n++
			if want := personID(p.info[src][i].person); truth[r.Key()] != want {
				t.Errorf("%s: truth says %q, made from %s", r.Key(), truth[r.Key()], want)
			}
			persons[truth[r.Key()]] = true
		}
	}
	if n != len(truth) || len(persons) != 2000 {
		t.Errorf("%d records, %d truth rows, %d persons with records; want equal counts and 2000 persons", n, len(truth), len(persons))
	}
}

// TestPeopleWriteDeterministic: the layout is canonical/ and truth/ only;
// the same seed writes the same bytes, another seed different ones.
func TestPeopleWriteDeterministic(t *testing.T) {
	write := func(seed uint64) string {
		p, err := GeneratePeople(PeopleConfig{Persons: 1500, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		if err := p.Write(dir); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	a, b, c := write(9), write(9), write(10)
	files := []string{"canonical/register_a.ndjson", "canonical/register_b.ndjson", "canonical/register_c.ndjson", "truth/records.csv"}
	if got := walkFiles(t, a); strings.Join(got, " ") != strings.Join(files, " ") {
		t.Fatalf("wrote %v, want %v", got, files)
	}
	differs := false
	for _, f := range files {
		x, y, z := mustRead(t, a, f), mustRead(t, b, f), mustRead(t, c, f)
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two runs with the same seed", f)
		}
		differs = differs || !bytes.Equal(x, z)
	}
	if !differs {
		t.Error("seeds 9 and 10 wrote identical files")
	}
	rows, err := csv.NewReader(bytes.NewReader(mustRead(t, a, "truth/records.csv"))).ReadAll()
	if err != nil || strings.Join(rows[0], ",") != "source,id,person_id" {
		t.Errorf("truth/records.csv: header %v, error %v", rows[0], err)
	}
}

func walkFiles(t *testing.T, dir string) []string {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func mustRead(t *testing.T, dir, name string) []byte {
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestWrongDOB: a wrong date of birth is always another real date, and
// every way of going wrong turns up.
func TestWrongDOB(t *testing.T) {
	r := newRand(1, 99)
	for _, d := range []day{date(1980, 4, 7), date(1999, 12, 31), date(2000, 2, 29), date(1931, 5, 5), date(1975, 11, 23)} {
		y, m, dd := d.civil()
		seen := map[string]bool{}
		for range 2000 {
			w := wrongDOB(r, d)
			wy, wm, wd := w.civil()
			switch {
			case w == d:
				t.Fatalf("%s: wrongDOB returned the same date", d.iso())
			case wy == y && wm == dd && wd == m:
				seen["swap"] = true
			case wy == y+1 || wy == y-1:
				seen["year ±1"] = true
			case wy != y && (wm != m || wd != dd):
				seen["other"] = true
			case wy != y:
				seen["years off"] = true
			default:
				seen["digit"] = true
			}
		}
		want := []string{"digit", "year ±1", "years off", "other"}
		if dd <= 12 && dd != m {
			want = append(want, "swap")
		}
		for _, k := range want {
			if !seen[k] {
				t.Errorf("%s: no %s among 2000 wrong dates (saw %v)", d.iso(), k, seen)
			}
		}
	}
}

func TestPeopleConfigRejected(t *testing.T) {
	for _, n := range []int{0, -1, 20_000_001} {
		if _, err := GeneratePeople(PeopleConfig{Persons: n}); err == nil || !strings.Contains(err.Error(), "Persons") {
			t.Errorf("Persons %d: error %v, want one naming Persons", n, err)
		}
	}
}
