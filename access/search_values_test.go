package access_test

import (
	"slices"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
)

// The defects an independent probe of the API confirmed (issue 13): a
// search told, or found, what the role may not see.

// TestWithheldCountsOnlyWhatAReasonWouldShow: a search tells a role with
// see_shielded how many shielded persons it left out for want of a
// reason, counting only those a reason would show. Children's services
// see NHS numbers of children only, so they must not learn, from the
// count, that a shielded adult holds the number they searched for; nor
// may a match only through a record outside the window be counted.
func TestWithheldCountsOnlyWhatAReasonWouldShow(t *testing.T) {
	nhs := "9434765919"
	adult := person(1, rec(srcASC, "A1", idents("nhs", nhs), flags(resindex.FlagVIP)))
	cur, old := rec(srcCT, "C2", flags(resindex.FlagVIP)), rec(srcER, "E2", named("Ann", "Oldname"), active("2020-01-01"))
	lapsed := person(2, cur, old)
	plain := person(3, rec(srcCT, "C3", flags(resindex.FlagVIP)))
	e := newEnv(t, mustDefault(t), adult, lapsed, plain)
	for _, tc := range []struct {
		name     string
		q        resindex.Query
		hits     []resindex.Hit
		withheld int
	}{
		{"an adult's NHS number, which the role sees only of children", resindex.Query{Identifiers: map[string]string{"nhs": nhs}},
			[]resindex.Hit{{PersonID: pid(1), Weight: 20}}, 0},
		{"matched only through a record outside the window", resindex.Query{Family: "Oldname"},
			[]resindex.Hit{{PersonID: pid(2), Weight: 15, Matches: []resindex.Match{{Record: old.Key(), Weight: 15}}}}, 0},
		{"matched by what the role sees", leeQuery, []resindex.Hit{{PersonID: pid(3), Weight: 15}}, 1},
	} {
		e.idx.hits = tc.hits
		pg, err := e.svc.Search(as("childrens_services"), tc.q, access.Page{}, "")
		if err != nil || len(pg.Results) != 0 || pg.Withheld != tc.withheld {
			t.Errorf("%s: %d results, withheld %d, %v; want none shown and %d withheld", tc.name, len(pg.Results), pg.Withheld, err, tc.withheld)
		}
		// With a reason, exactly those counted are shown.
		pg, err = e.svc.Search(as("childrens_services"), tc.q, access.Page{}, "s47 enquiry")
		if err != nil || len(pg.Results) != tc.withheld || pg.Withheld != 0 {
			t.Errorf("%s, with a reason: %d results, withheld %d, %v; want %d shown", tc.name, len(pg.Results), pg.Withheld, err, tc.withheld)
		}
	}
}

// TestSearchMatchesOnlyValuesTheRoleSees: a role shown a person's current
// address but not their previous ones does not find them by an old
// postcode, nor one shown the name but not other names by a previous
// name; roles granted previous_addresses or other_names do. Values the
// role sees still find the person, whatever else the query says.
func TestSearchMatchesOnlyValuesTheRoleSees(t *testing.T) {
	r := rec(srcCT, "C1", addr("5 Old Road", "NW3 4QT", false), addr("1 High Street", "AB1 2CD", true), otherName("Ann", "Oldname"))
	e := newEnv(t, mustDefault(t), person(1, r))
	e.idx.hits = []resindex.Hit{{PersonID: pid(1), Weight: 12}}
	for _, tc := range []struct {
		name, role string
		q          resindex.Query
		found      bool
	}{
		{"an old postcode", "frontline", resindex.Query{Postcode: "NW3 4QT"}, false},
		{"an old postcode, spelt otherwise", "frontline", resindex.Query{Postcode: "nw34qt"}, false},
		{"an old address line", "frontline", resindex.Query{AddressLines: []string{"5 Old Road"}}, false},
		{"an old address in full", "housing", resindex.Query{AddressLines: []string{"5 Old Road"}, Postcode: "NW3 4QT"}, true},
		{"an old postcode, previous_addresses granted", "safeguarding", resindex.Query{Postcode: "NW3 4QT"}, true},
		{"the current postcode", "frontline", resindex.Query{Postcode: "AB1 2CD"}, true},
		{"a previous name", "frontline", resindex.Query{Family: "Oldname"}, false},
		{"a previous name, other_names granted", "adult_social_care", resindex.Query{Family: "Oldname"}, true},
		{"the name", "frontline", resindex.Query{Given: "Ann", Family: "Lee"}, true},
		{"the name and an old postcode", "frontline", resindex.Query{Family: "Lee", Postcode: "NW3 4QT"}, true},
		{"a name that agrees with nothing", "frontline", resindex.Query{Family: "Zzyzx"}, true}, // fuzzy hits stay as the index ranks them
	} {
		pg, err := e.svc.Search(as(tc.role), tc.q, access.Page{}, "")
		if err != nil || (len(pg.Results) == 1) != tc.found {
			t.Errorf("%s as %s: %d results, %v; want found %v", tc.name, tc.role, len(pg.Results), err, tc.found)
		}
	}
}

// TestSearchRanksByValuesTheRoleSees: a person whom a query's field agrees
// with only through a value the role is not shown (an old postcode) is
// ranked as the query without that field ranks them, not lifted above
// namesakes by what the role may not see.
func TestSearchRanksByValuesTheRoleSees(t *testing.T) {
	moved := rec(srcCT, "C1", addr("5 Old Road", "NW3 4QT", false), addr("1 High Street", "AB1 2CD", true))
	namesake := rec(srcCT, "C2", addr("7 New Road", "AB1 7EF", true))
	e := newEnv(t, mustDefault(t), person(1, moved), person(2, namesake))
	e.idx.search = func(q resindex.Query) []resindex.Hit {
		if q.Postcode != "" { // the old postcode lifts person 1
			return []resindex.Hit{{PersonID: pid(1), Weight: 20}, {PersonID: pid(2), Weight: 9}}
		}
		return []resindex.Hit{{PersonID: pid(2), Weight: 8}, {PersonID: pid(1), Weight: 8}}
	}
	q := resindex.Query{Family: "Lee", Postcode: "NW3 4QT"}
	for _, tc := range []struct {
		role string
		want []string
	}{
		{"frontline", []string{pid(2), pid(1)}},    // person 1 ranked by the name alone
		{"safeguarding", []string{pid(1), pid(2)}}, // sees previous addresses: as the index ranks them
	} {
		pg, err := e.svc.Search(as(tc.role), q, access.Page{}, "")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range pg.Results {
			got = append(got, e.byRef(r.Ref))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.role, got, tc.want)
		}
	}
}

// TestSearchStrengthAndMatchedFields: each result says in plain words how
// strongly it matches (by the index's review and link weights, 0 and 10
// here, over the records the role sees) and which of the query's fields
// agree with a value the role is shown, judged as the matcher judges
// (case, spacing, variants and misspellings of names; dates to the
// precision given; postcodes and identifiers normalised).
func TestSearchStrengthAndMatchedFields(t *testing.T) {
	r := rec(srcCT, "C1", addr("5 Old Road", "NW3 4QT", false), addr("1 High Street", "AB1 2CD", true), otherName("Ann", "Oldname"),
		idents("nino", "QQ123456C"))
	e := newEnv(t, mustDefault(t), person(1, r))
	for _, tc := range []struct {
		name, role string
		q          resindex.Query
		weight     float64
		strength   string
		matched    []string
	}{
		{"name, date and postcode", "frontline", resindex.Query{Given: "ANNE", Family: " lee ", DOB: "1980", Postcode: "ab12cd"}, 12, access.Strong,
			[]string{"name", "dob", "address"}},
		{"a family name misspelt", "frontline", resindex.Query{Family: "Lees"}, 10, access.Strong, []string{"name"}},
		{"another name, the postcode", "frontline", resindex.Query{Family: "Smith", Postcode: "AB1 2CD"}, 5, access.Possible, []string{"address"}},
		{"the address line", "frontline", resindex.Query{AddressLines: []string{"1 high st"}}, 5, access.Possible, []string{"address"}},
		{"another date of birth", "frontline", resindex.Query{Family: "Lee", DOB: "1980-06-05"}, 0, access.Possible, []string{"name"}},
		{"nothing agrees", "frontline", resindex.Query{Given: "Bob", DOB: "1975"}, -1, access.Weak, nil},
		{"a previous name, other_names granted", "adult_social_care", resindex.Query{Family: "Oldname"}, 12, access.Strong, []string{"name"}},
		{"an old postcode, previous_addresses granted", "safeguarding", resindex.Query{Postcode: "NW3 4QT"}, 3, access.Possible, []string{"address"}},
		{"a NINO spelt otherwise", "housing", resindex.Query{Identifiers: map[string]string{"nino": "qq 12 34 56 c"}}, 14, access.Strong,
			[]string{"identifiers.nino"}},
		{"a NINO and the name", "fraud", resindex.Query{Family: "Lee", Identifiers: map[string]string{"nino": "QQ123456D"}}, 4, access.Possible,
			[]string{"name"}},
	} {
		e.idx.hits = []resindex.Hit{{PersonID: pid(1), Weight: tc.weight}}
		pg, err := e.svc.Search(as(tc.role), tc.q, access.Page{}, "")
		if err != nil || len(pg.Results) != 1 {
			t.Errorf("%s: %d results, %v", tc.name, len(pg.Results), err)
			continue
		}
		v := pg.Results[0]
		if v.Strength != tc.strength || !slices.Equal(v.Matched, tc.matched) {
			t.Errorf("%s: strength %q matched %v, want %q %v", tc.name, v.Strength, v.Matched, tc.strength, tc.matched)
		}
	}
	// A person's view is no search result: it says neither.
	v, err := e.svc.Person(as("frontline"), e.svc.Ref(pid(1)), "")
	if m := jsonMap(t, v); err != nil || hasKey(m, "strength") || hasKey(m, "matched_fields") {
		t.Errorf("a person's view: %s, %v", mustJSON(t, v), err)
	}
}
