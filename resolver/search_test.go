package resolver_test

import (
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/resolver"
)

// loadedBorough applies a small borough's live records through an engine
// and returns them, the engine, and each record's person.
func loadedBorough(t *testing.T, n int, seed uint64) ([]resindex.Record, *resolver.Engine, map[resindex.RecordKey]string) {
	t.Helper()
	recs, _ := MustBorough(t, n, seed)
	db := MustStore(t)
	eng := MustEngine(t, db, resolver.EngineOptions{Population: len(recs)})
	apply := applier(t, eng)
	for _, r := range recs {
		apply(r)
	}
	persons := map[resindex.RecordKey]string{}
	for _, a := range exportAll(t, db) {
		persons[a.Key] = a.PersonID
	}
	return recs, eng, persons
}

// TestSearch loads a small borough and finds people by name and date of
// birth (with a typo), by postcode, and by identifier.
func TestSearch(t *testing.T) {
	recs, eng, persons := loadedBorough(t, 300, 17)
	var withNINO, withDOB *resindex.Record
	for i := range recs {
		r := &recs[i]
		if withNINO == nil && r.Identifiers["nino"] != "" {
			withNINO = r
		}
		if withDOB == nil && len(r.DOB) == 10 && r.Name.Family != "" && r.Name.Given != "" && len(r.Addresses) > 0 && r.Addresses[0].Postcode != "" {
			withDOB = r
		}
	}
	if withNINO == nil || withDOB == nil {
		t.Fatal("fixture lacks records to search for")
	}
	cases := []struct {
		name string
		q    resindex.Query
		want string
	}{
		{"name and dob, typo in the name", resindex.Query{Given: withDOB.Name.Given + "e", Family: withDOB.Name.Family, DOB: withDOB.DOB}, persons[withDOB.Key()]},
		{"identifier", resindex.Query{Identifiers: map[string]string{"nino": withNINO.Identifiers["nino"]}}, persons[withNINO.Key()]},
	}
	for _, c := range cases {
		hits, err := eng.Search(c.q, 5)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 0 || hits[0].PersonID != c.want {
			t.Errorf("%s: hits %+v, want %s first", c.name, hits, c.want)
		}
	}
	hits, err := eng.Search(resindex.Query{Postcode: withDOB.Addresses[0].Postcode}, 0)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, h := range hits {
		found = found || h.PersonID == persons[withDOB.Key()]
	}
	if !found {
		t.Errorf("postcode search did not find the person among %d hits", len(hits))
	}
}

// TestSearchFamilyOnly: a family name alone finds everyone of that name,
// whatever their given names (no blocking rule keys a family name by
// itself).
func TestSearchFamilyOnly(t *testing.T) {
	recs, eng, persons := loadedBorough(t, 300, 17)
	byFamily := map[string]map[string]bool{} // family name → persons holding a record of it
	for _, r := range recs {
		if r.Name.Family != "" && r.Name.Given != "" {
			if byFamily[r.Name.Family] == nil {
				byFamily[r.Name.Family] = map[string]bool{}
			}
			byFamily[r.Name.Family][persons[r.Key()]] = true
		}
	}
	checked := 0
	for family, want := range byFamily {
		if len(want) < 3 {
			continue
		}
		hits, err := eng.Search(resindex.Query{Family: family}, 0)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, h := range hits {
			got[h.PersonID] = true
		}
		for pid := range want {
			if !got[pid] {
				t.Errorf("family %q alone: %s not among %d hits", family, pid, len(hits))
			}
		}
		checked++
	}
	if checked == 0 {
		t.Fatal("no family name held by three persons in the fixture")
	}
}
