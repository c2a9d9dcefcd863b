package access_test

import (
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/matcher"
)

// TestChildRules: anyone who might be a child is one — by any record's
// date of birth, or by a children's record still active — but an adult's
// decades-old record from children's services does not make them a child.
func TestChildRules(t *testing.T) {
	cases := []struct {
		name string
		recs []resindex.Record
		want error // for frontline, which does not see children
	}{
		{"dates of birth disagree", []resindex.Record{rec(srcER, "E1", dob("1980-04-01")), rec(srcSchl, "S1", dob("2013-04-01"))}, resindex.ErrNotFound},
		{"a care leaver's old record", []resindex.Record{rec(srcCT, "C1", dob("1985-04-01")), rec(srcCSC, "K1", dob("1985-04-01"), active("2002-03-01"))}, nil},
		{"an active child-in-need flag", []resindex.Record{rec(srcCT, "C1", dob("1985-04-01"), flags(resindex.FlagChildInNeed))}, resindex.ErrNotFound},
		{"an old child flag", []resindex.Record{rec(srcCT, "C1", dob("1985-04-01")), rec(srcASC, "A1", flags(resindex.FlagLookedAfter), active("2001-01-01"))}, nil},
		// An electoral-register attainer turns 18 on their attainment date
		// (issue 13: one with no date of birth was shown as an adult).
		{"an attainer without a date of birth", []resindex.Record{rec(srcER, "E1", dob(""), attrs("attainer", "true", "attainment_date", "2027-03-01"))}, resindex.ErrNotFound},
		{"an attainment date of a month", []resindex.Record{rec(srcER, "E1", dob(""), attrs("attainment_date", "2026-11"))}, resindex.ErrNotFound},
		{"an attainer who turned 18 today", []resindex.Record{rec(srcER, "E1", dob(""), attrs("attainer", "true", "attainment_date", "2026-11-01"))}, nil},
		{"an attainer on a record beside an adult's", []resindex.Record{rec(srcCT, "C1"), rec(srcER, "E1", dob(""), attrs("attainment_date", "2027-03-01"))}, resindex.ErrNotFound},
		{"an attainer marker without a date", []resindex.Record{rec(srcER, "E1", dob(""), attrs("attainer", "true"))}, resindex.ErrNotFound},
		{"an old attainer marker", []resindex.Record{rec(srcCT, "C1", dob("")), rec(srcER, "E1", dob(""), attrs("attainer", "true"), active("2019-01-01"))}, nil},
		{"an attainment date that is not a date", []resindex.Record{rec(srcER, "E1", attrs("attainment_date", "soon"))}, nil},
	}
	for _, c := range cases {
		e := newEnv(t, mustDefault(t), person(1, c.recs...))
		if _, err := e.svc.Person(as("frontline"), e.svc.Ref(pid(1)), ""); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

// TestActivityPartialDate: a last activity of a year alone may mean its
// December, so it is in the window until two years after that.
func TestActivityPartialDate(t *testing.T) {
	e := newEnv(t, mustDefault(t), person(1, rec(srcCT, "C1", active("2024"))), person(2, rec(srcCT, "C2", active("2024-10"))))
	if _, err := e.svc.Person(as("frontline"), e.svc.Ref(pid(1)), ""); err != nil {
		t.Errorf("active in 2024, seen on 1 November 2026: %v", err)
	}
	if _, err := e.svc.Person(as("frontline"), e.svc.Ref(pid(2)), ""); !errors.Is(err, resindex.ErrNotFound) {
		t.Errorf("active in October 2024, seen on 1 November 2026: %v, want not found", err)
	}
}

// TestExplainTermsOfUnseenFields: how two NHS numbers compare is not
// shown to a role that may not see NHS numbers.
func TestExplainTermsOfUnseenFields(t *testing.T) {
	a, b := rec(srcCT, "C1"), rec(srcER, "E1")
	e := newEnv(t, mustDefault(t), person(1, a, b))
	e.idx.links[pid(1)] = []resindex.Link{{A: a.Key(), B: b.Key(), Weight: 20, Decision: "link", Terms: []resindex.LinkTerm{
		{Comparison: "given_name", Level: "exact", Weight: 5}, {Comparison: "nhs", Level: "same", Weight: 10}, {Comparison: "other_id", Level: "same", Weight: 5}}}}
	x, err := e.svc.Explain(as("data_steward"), e.svc.Ref(pid(1)), "")
	if err != nil {
		t.Fatal(err)
	}
	if got := x.Links[0].Terms; len(got) != 1 || got[0].Comparison != "given_name" || x.Links[0].Weight != 20 {
		t.Errorf("data steward (no identifiers) sees terms %+v, weight %v", got, x.Links[0].Weight)
	}
	x, err = e.svc.Explain(as("fraud"), e.svc.Ref(pid(1)), "")
	if err != nil {
		t.Fatal(err)
	}
	if got := x.Links[0].Terms; len(got) != 2 || got[1].Comparison != "other_id" {
		t.Errorf("fraud (nino, uprn; no nhs) sees terms %+v", got)
	}
}

// TestRefusalsThatRevealNothing: a role that sees no one may not search;
// a reference has one spelling; a caller's garbage is not kept in the
// audit log; an index failure during verification is an error, not a
// "no match".
func TestRefusalsThatRevealNothing(t *testing.T) {
	e := newEnv(t, mustDefault(t), person(1, rec(srcCT, "C1", dob("1980-04-01"))))
	if _, err := e.svc.Search(as("auditor"), resindex.Query{Family: "Lee"}, access.Page{}, ""); !errors.Is(err, resindex.ErrForbidden) {
		t.Errorf("auditor search: %v, want forbidden", err)
	}
	ref := e.svc.Ref(pid(1))
	raw, _ := base64.RawURLEncoding.DecodeString(ref)
	alt := base64.RawURLEncoding.EncodeToString(raw)
	last := strings.IndexByte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", alt[len(alt)-1])
	alt = alt[:len(alt)-1] + string("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"[last^1]) // flip a padding bit
	if _, err := e.svc.Person(as("frontline"), alt, ""); !errors.Is(err, resindex.ErrNotFound) {
		t.Errorf("another spelling of a reference: %v, want not found", err)
	}
	garbage := strings.Repeat("x", 5000)
	e.svc.Person(as("frontline"), garbage, "")
	if q := e.log.last(t).Query; strings.Contains(q, "xxxx") {
		t.Errorf("the audit log keeps a caller's garbage: %d bytes", len(q))
	}
	e.idx.hits = []resindex.Hit{{PersonID: pid(7), Weight: 20}}
	e.idx.persons[pid(7)] = resindex.Person{} // placeholder so the failing read is reached
	failing := &failingIndex{fakeIndex: e.idx}
	svc, err := access.New(mustDefault(t), failing, e.ov, e.log, access.Options{Key: testKey, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Verify(as("frontline"), access.Claim{Given: "Ann", Family: "Lee", DOB: "1980-04-01", Postcode: "NW1 1AA"}); !errors.Is(err, errBroken) {
		t.Errorf("verify over a failing index: %v, want its error", err)
	}
}

var errBroken = errors.New("disk on fire")

// failingIndex fails every person read.
type failingIndex struct{ *fakeIndex }

func (f *failingIndex) Person(string) (resindex.Person, error) { return resindex.Person{}, errBroken }

// TestSearchOnlyByWhatTheRoleSees: a search is no oracle for data the
// role may not see — not by a field it is not granted, not through a
// record of a source it is not granted.
func TestSearchOnlyByWhatTheRoleSees(t *testing.T) {
	ct := rec(srcCT, "C1", dob("1980-04-01"))
	asc := rec(srcASC, "A1", dob("1980-04-01"), idents("nhs", "9434765919"), otherName("Ann", "Old"))
	e := newEnv(t, mustDefault(t), person(1, ct, asc))
	// Frontline sees no NHS numbers: it may not search by one.
	_, err := e.svc.Search(as("frontline"), resindex.Query{Identifiers: map[string]string{"nhs": "9434765919"}}, access.Page{}, "")
	if inputField(err) != "identifiers.nhs" {
		t.Errorf("frontline by NHS number: %v, want an input error on identifiers.nhs", err)
	}
	// Children's services see NHS numbers of children only: an adult is
	// not found by theirs.
	e.idx.hits = []resindex.Hit{{PersonID: pid(1), Record: asc.Key(), Weight: 15, Matches: []resindex.Match{{Record: asc.Key(), Weight: 15}}}}
	pg, err := e.svc.Search(as("childrens_services"), resindex.Query{Identifiers: map[string]string{"nhs": "9434765919"}}, access.Page{}, "")
	if err != nil || len(pg.Results) != 0 {
		t.Errorf("children's services by an adult's NHS number: %d results, %v", len(pg.Results), err)
	}
	// Fraud sees council tax, not adult social care: a match only on the
	// care record (a previous name held there) does not find the person.
	e.idx.hits = []resindex.Hit{{PersonID: pid(1), Record: asc.Key(), Weight: 9, Matches: []resindex.Match{{Record: asc.Key(), Weight: 9}, {Record: ct.Key(), Weight: -3}}}}
	pg, err = e.svc.Search(as("fraud"), resindex.Query{Given: "Ann", Family: "Old"}, access.Page{}, "")
	if err != nil || len(pg.Results) != 1 {
		t.Fatalf("fraud: %d results, %v", len(pg.Results), err)
	}
	e.idx.hits[0].Matches = e.idx.hits[0].Matches[:1] // only the hidden record matched
	pg, err = e.svc.Search(as("fraud"), resindex.Query{Given: "Ann", Family: "Old"}, access.Page{}, "")
	if err != nil || len(pg.Results) != 0 {
		t.Errorf("fraud, matched only through a hidden source: %d results, %v", len(pg.Results), err)
	}
	// Verification weighs only the visible records too.
	e.idx.hits = []resindex.Hit{{PersonID: pid(1), Record: asc.Key(), Weight: 12, Matches: []resindex.Match{{Record: asc.Key(), Weight: 12}, {Record: ct.Key(), Weight: -3}}}}
	v, err := e.svc.Verify(as("frontline"), access.Claim{Given: "Ann", Family: "Old", DOB: "1980-04-01", Postcode: "NW1 1AA"})
	if err != nil || v != access.Match {
		t.Errorf("frontline sees the care record: %q, %v; want match", v, err)
	}
	fraudOnly := newEnv(t, bothPolicies(t), person(1, ct, asc))
	fraudOnly.idx.hits = e.idx.hits
	if v, _ := fraudOnly.svc.Verify(as("narrow"), access.Claim{Given: "Ann", Family: "Old", DOB: "1980-04-01", Postcode: "NW1 1AA"}); v == access.Match {
		t.Errorf("a role without the care record: %q, want no match", v)
	}
}

// TestRanksByVisibleRecords: persons are ranked by their best visible
// record, not by a better hidden one.
func TestRanksByVisibleRecords(t *testing.T) {
	a1, a2 := rec(srcCT, "C1"), rec(srcASC, "A1")
	b1 := rec(srcCT, "C2")
	e := newEnv(t, mustDefault(t), person(1, a1, a2), person(2, b1))
	e.idx.hits = []resindex.Hit{
		{PersonID: pid(1), Record: a2.Key(), Weight: 20, Matches: []resindex.Match{{Record: a2.Key(), Weight: 20}, {Record: a1.Key(), Weight: 2}}},
		{PersonID: pid(2), Record: b1.Key(), Weight: 10, Matches: []resindex.Match{{Record: b1.Key(), Weight: 10}}},
	}
	pg, err := e.svc.Search(as("revenues"), resindex.Query{Family: "Lee"}, access.Page{}, "")
	if err != nil || len(pg.Results) != 2 || pg.Results[0].Ref != e.svc.Ref(pid(2)) {
		t.Fatalf("revenues (council tax, benefits): %s, %v; want person 2 first", mustJSON(t, pg), err)
	}
}

// TestHouseholdByVisibleAddress: the household shown is the one at the
// address the role's records give, so a move known only to a source the
// role may not see does not show where the person lives now.
func TestHouseholdByVisibleAddress(t *testing.T) {
	care := matcher.PropertyKey(resindex.Address{Lines: []string{"9 Care Home Road"}, Postcode: "ZZ1 1ZZ"})
	// X: council tax at 1 High Street; adult social care (newer) at the
	// care home, where the index places them.
	x := inHousehold(care, person(1, rec(srcCT, "C1"),
		rec(srcASC, "A1", addr("9 Care Home Road", "ZZ1 1ZZ", true), active("2026-09-01"),
			func(r *resindex.Record) { r.Version = "2026-09-01T00:00:00Z" })))
	y := inHousehold(care, person(2, rec(srcCT, "C2", named("Yan", "Ho"), addr("9 Care Home Road", "ZZ1 1ZZ", true))))
	z := inHousehold("uprn:100023336956", person(3, rec(srcCT, "C3", named("Zoe", "Lee"))))
	e := newEnv(t, mustDefault(t), x, y, z)
	for _, tc := range []struct {
		role string
		want []int
	}{
		{"revenues", []int{1, 3}},          // sees council tax only: X at 1 High Street, with Zoe
		{"adult_social_care", []int{1, 2}}, // sees the care record: X at the care home, with Yan
	} {
		hv, err := e.svc.Household(as(tc.role), e.svc.Ref(pid(1)), "")
		if err != nil {
			t.Fatal(err)
		}
		var got, want []string
		for _, m := range hv.Members {
			got = append(got, m.Ref)
		}
		for _, n := range tc.want {
			want = append(want, e.svc.Ref(pid(n)))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: members %v, want persons %v", tc.role, got, tc.want)
		}
		if s := mustJSON(t, hv); tc.role == "revenues" && strings.Contains(s, "Care Home") {
			t.Errorf("revenues is shown the care home: %s", s)
		}
	}
}

// TestAuditNamesTheSurvivor: a view through a merged-away person's
// reference records the person shown, so an auditor asking about them
// finds it.
func TestAuditNamesTheSurvivor(t *testing.T) {
	e := newEnv(t, mustDefault(t), person(1, rec(srcCT, "C1")))
	e.idx.persons[pid(2)] = e.idx.persons[pid(1)] // P2 was merged into P1
	if _, err := e.svc.Person(as("frontline"), e.svc.Ref(pid(2)), ""); err != nil {
		t.Fatal(err)
	}
	if got := e.log.last(t).Persons; !slices.Equal(got, []string{pid(2), pid(1)}) {
		t.Errorf("audit persons %v, want the reference's and the survivor's", got)
	}
}

// TestReviewNeedsSources: the review queue names records by source and
// ID, so a role that does not see sources is shown no pair.
func TestReviewNeedsSources(t *testing.T) {
	pol, err := access.Parse("t.yaml", []byte("roles:\n  blind:\n    adult: [name, dob]\n    abilities: [review_matches]\n"))
	if err != nil {
		t.Fatal(err)
	}
	a, b := rec(srcCT, "C1"), rec(srcER, "E2")
	e := newEnv(t, pol, person(1, a), person(2, b))
	e.idx.cands = []resindex.Candidate{candidate(a, b, pid(1), pid(2))}
	pg, err := e.svc.Review(as("blind"), access.Page{})
	if err != nil || len(pg.Items) != 0 {
		t.Errorf("a steward without sources: %s, %v; want no items", mustJSON(t, pg), err)
	}
}

// TestForbiddenNamesWhatIsMissing: a call refused for want of an ability
// or a field says which, in the policy's words (issue 13), and is still
// of kind forbidden and audited as denied.
func TestForbiddenNamesWhatIsMissing(t *testing.T) {
	a, b := rec(srcCT, "C1"), rec(srcER, "E2")
	e := newEnv(t, mustDefault(t), person(1, a), person(2, b))
	ref := e.svc.Ref(pid(1))
	claim := access.Claim{Given: "Ann", Family: "Lee", DOB: "1980-05-06", Postcode: "AB1 2CD"}
	for _, tc := range []struct {
		name string
		call func() error
		need string
	}{
		{"review", func() error { _, err := e.svc.Review(as("frontline"), access.Page{}); return err }, "the review_matches ability"},
		{"override", func() error { return e.svc.Override(as("frontline"), a.Key(), b.Key(), "link", "x") }, "the review_matches ability"},
		{"verify", func() error { _, err := e.svc.Verify(as("fraud"), claim); return err }, "the verify_identity ability"},
		{"export", func() error { _, err := e.svc.Export(as("frontline"), []string{ref}, "x"); return err }, "the export ability"},
		{"audit", func() error { _, err := e.svc.Audit(as("frontline"), access.AuditFilter{}, access.Page{}); return err }, "the read_audit ability"},
		{"household", func() error { _, err := e.svc.Household(as("data_steward"), ref, ""); return err }, "the household field"},
		{"links", func() error { _, err := e.svc.Explain(as("frontline"), ref, ""); return err }, "the links field"},
		{"search", func() error { _, err := e.svc.Search(as("auditor"), leeQuery, access.Page{}, ""); return err }, "fields of adults or children"},
	} {
		err := tc.call()
		var fe *access.ForbiddenError
		if !errors.As(err, &fe) || fe.Need != tc.need || !errors.Is(err, resindex.ErrForbidden) || resindex.KindOf(err) != resindex.KindForbidden {
			t.Errorf("%s: %v, want forbidden for want of %s", tc.name, err, tc.need)
			continue
		}
		if want := "your role does not allow this: it needs " + tc.need; err.Error() != want {
			t.Errorf("%s: %q, want %q", tc.name, err, want)
		}
		if got := e.log.last(t).Outcome; got != "denied" {
			t.Errorf("%s: audited as %q", tc.name, got)
		}
	}
	// A role not in the policy is forbidden everything: there is no one
	// thing it lacks.
	if _, err := e.svc.Review(as("janitor"), access.Page{}); !errors.Is(err, resindex.ErrForbidden) || errors.As(err, new(*access.ForbiddenError)) {
		t.Errorf("a role not in the policy: %v", err)
	}
}

// TestPersonByID: a role with resolve_ids may name a person by the
// index's own ID, as the change feed and exports do, for a person, their
// household and their links, under the same rules as by reference; for
// any other role such an ID is not found, told apart from a missing
// person by nothing, and the index is not even asked. Either way the
// audit log records the ID asked for.
func TestPersonByID(t *testing.T) {
	pol, err := access.Parse("t.yaml", []byte(`roles:
  feed: {adult: [name, dob, address, sources, household, links], abilities: [resolve_ids]}
  plain: {adult: [name, dob, address, sources, household, links]}
`))
	if err != nil {
		t.Fatal(err)
	}
	h := "uprn:100023336956"
	ann := inHousehold(h, person(1, rec(srcCT, "C1"), rec(srcER, "E1")))
	bob := inHousehold(h, person(2, rec(srcCT, "C2", named("Bob", "Lee"))))
	kid := person(3, rec(srcSchl, "S3", dob("2015-01-01")))
	e := newEnv(t, pol, ann, bob, kid)
	e.idx.links[pid(1)] = []resindex.Link{{A: ann.Records[0].Key(), B: ann.Records[1].Key(), Weight: 14, Decision: "link"}}

	v, err := e.svc.Person(as("feed"), pid(1), "")
	if err != nil || v.Ref != e.svc.Ref(pid(1)) || v.Name == nil {
		t.Fatalf("feed, person by ID: %+v, %v", v, err)
	}
	if entry := e.log.last(t); entry.Query != "person "+pid(1) || !slices.Equal(entry.Persons, []string{pid(1)}) || entry.Outcome != "ok" {
		t.Errorf("audit %+v, want the ID asked for", entry)
	}
	hv, err := e.svc.Household(as("feed"), pid(1), "")
	if err != nil || len(hv.Members) != 2 || hv.Person != pid(1) {
		t.Errorf("feed, household by ID: %s, %v", mustJSON(t, hv), err)
	}
	x, err := e.svc.Explain(as("feed"), pid(1), "")
	if err != nil || len(x.Links) != 1 {
		t.Errorf("feed, links by ID: %s, %v", mustJSON(t, x), err)
	}
	for name, id := range map[string]string{"a child (the role's rules still apply)": pid(3), "a missing person": pid(9),
		"too short": "P1", "lower case": strings.ToLower(pid(1)), "too long": "P" + pid(1)[1:] + "0", "signed": "P-000000001"} {
		if _, err := e.svc.Person(as("feed"), id, ""); err != resindex.ErrNotFound {
			t.Errorf("feed, %s: %v, want not found", name, err)
		}
	}

	read := len(e.idx.read)
	for _, call := range []func() error{
		func() error { _, err := e.svc.Person(as("plain"), pid(1), ""); return err },
		func() error { _, err := e.svc.Household(as("plain"), pid(1), ""); return err },
		func() error { _, err := e.svc.Explain(as("plain"), pid(1), ""); return err },
	} {
		if err := call(); err != resindex.ErrNotFound {
			t.Errorf("plain, by ID: %v, want not found itself", err)
		}
		if entry := e.log.last(t); !strings.HasSuffix(entry.Query, pid(1)) || !slices.Equal(entry.Persons, []string{pid(1)}) || entry.Outcome != "not_found" {
			t.Errorf("plain: audit %+v, want the ID asked for", entry)
		}
	}
	if len(e.idx.read) != read {
		t.Errorf("the index was read for a role that may not name persons by ID")
	}
}
