package access_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
)

var updateSAR = flag.Bool("update-sar", false, "rewrite testdata/sar.golden.json")

// sarWorld: Ann Lee (P1) with three records, one inactive for years and
// placing her at an old address; Bob Stone (P2), who lives with her; a
// child (P3) in the same household; and Sam Shield (P4), shielded (staff)
// and living elsewhere.
func sarWorld() []resindex.Person {
	old := rec(resindex.SourceLibraries, "LIB-9", active("2015-01-01"), phones("07700900123"))
	old.Addresses = []resindex.Address{{Lines: []string{"9 Old Road"}, Postcode: "AB9 9ZZ", From: "2001-01-01", To: "2014-12-31"}}
	ann := person(1, rec(srcER, "ER-1", idents("nino", "AB123456C")), rec(srcCT, "CT-1", attrs("account_ref", "CT-77", "single_person_discount", "false")), old)
	bob := person(2, rec(srcER, "ER-2", named("Bob", "Stone"), dob("1979-02-03"), idents("nino", "CE654321A"), emails("bob@example.org")))
	kid := person(3, rec(resindex.SourceSchools, "SCH-3", named("Kit", "Stone"), dob("2015-09-09"), idents("upn", "A123456789012")))
	sam := person(4, rec(srcER, "ER-4", named("Sam", "Shield"), flags(resindex.FlagStaff), addr("4 Far Lane", "AB4 4FL", true)))
	for _, p := range []*resindex.Person{&ann, &bob, &kid} {
		p.Household = "uprn:100023336956"
	}
	return []resindex.Person{ann, bob, kid, sam}
}

// sarFeed is a change feed: Ann joined her household, an ID since merged
// into her (P0000000009) left an old one, and Bob joined.
type sarFeed []resindex.Change

func (f sarFeed) Outbox(after uint64, limit int, fn func(uint64, []byte) error) error {
	for i, c := range f {
		data, _ := json.Marshal(c)
		if err := fn(uint64(i+1), data); err != nil {
			return err
		}
	}
	return nil
}

func sarEnv(t *testing.T) *env {
	t.Helper()
	e := newEnv(t, bothPolicies(t), sarWorld()...)
	ev := &resindex.Provenance{Source: srcER, Record: "ER-1", Version: "2026-06-01T00:00:00Z"}
	feed := sarFeed{
		{Type: resindex.ChangeHouseholdLeft, Person: "P0000000009", Household: "uprn:100000000009", Evidence: ev},
		{Type: resindex.ChangePersonMerged, Person: "P0000000001", From: "P0000000009"},
		{Type: resindex.ChangeHouseholdJoined, Person: "P0000000001", Household: "uprn:100023336956", Why: resindex.JoinMoved, Evidence: ev},
		{Type: resindex.ChangeHouseholdJoined, Person: "P0000000002", Household: "uprn:100023336956", Why: resindex.JoinMoved},
	}
	svc, err := access.New(bothPolicies(t), e.idx, e.ov, e.log, access.Options{Key: testKey, Now: func() time.Time { return *e.now }, Changes: feed})
	if err != nil {
		t.Fatal(err)
	}
	e.svc = svc
	e.idx.links["P0000000001"] = []resindex.Link{{A: resindex.RecordKey{Source: srcCT, ID: "CT-1"}, B: resindex.RecordKey{Source: srcER, ID: "ER-1"},
		Weight: 21.5, Probability: 0.99999, Decision: "link",
		Terms: []resindex.LinkTerm{{Comparison: "given_name", Level: "exact", Weight: 6}, {Comparison: "dob", Level: "exact", Weight: 9}, {Comparison: "address", Level: "different", Weight: -2}}}}
	return e
}

// TestSubjectAccessRules: only the rights ability makes a report; a
// shielded person needs a reason; a reference the index did not make, a
// request without a person, too many persons, or third parties without a
// reason are refused; every call, refused or not, is recorded as
// subject_access with its outcome.
func TestSubjectAccessRules(t *testing.T) {
	e := sarEnv(t)
	ref := e.svc.Ref("P0000000001")
	for _, c := range []struct {
		name    string
		role    string
		req     access.SARRequest
		kind    resindex.ErrorKind
		outcome string
	}{
		{"information governance", ig, access.SARRequest{Refs: []string{ref}}, "", "ok"},
		{"by person ID", ig, access.SARRequest{Refs: []string{"P0000000001"}}, "", "ok"},
		{"frontline", "frontline", access.SARRequest{Refs: []string{ref}}, resindex.KindForbidden, "denied"},
		{"auditor", "auditor", access.SARRequest{Refs: []string{ref}}, resindex.KindForbidden, "denied"},
		{"shielded without a reason", ig, access.SARRequest{Refs: []string{e.svc.Ref("P0000000004")}}, resindex.KindForbidden, "denied"},
		{"shielded with a reason", ig, access.SARRequest{Refs: []string{e.svc.Ref("P0000000004")}, Reason: "letter of 1 May"}, "", "ok"},
		{"not a reference", ig, access.SARRequest{Refs: []string{"nobody"}}, resindex.KindNotFound, "not_found"},
		{"no such ID", ig, access.SARRequest{Refs: []string{"P0000000099"}}, resindex.KindNotFound, "not_found"},
		{"no person", ig, access.SARRequest{}, resindex.KindInvalid, "bad_request"},
		{"too many", ig, access.SARRequest{Refs: slices.Repeat([]string{ref}, access.MaxSARPersons+1)}, resindex.KindInvalid, "bad_request"},
		{"third parties without a reason", ig, access.SARRequest{Refs: []string{ref}, ThirdParties: true, ThirdPartyReason: " "}, resindex.KindInvalid, "bad_request"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.svc.SubjectAccessFor(t.Context(), as(c.role), c.req)
			if resindex.KindOf(err) != c.kind {
				t.Fatalf("error %v (kind %q), want kind %q", err, resindex.KindOf(err), c.kind)
			}
			if last := e.log.last(t); last.Action != "subject_access" || last.Outcome != c.outcome {
				t.Errorf("audit: %s %s, want subject_access %s", last.Action, last.Outcome, c.outcome)
			}
		})
	}
	if _, err := e.svc.SubjectAccess(as(ig), e.svc.Ref("P0000000004"), ""); !errors.Is(err, access.ErrReasonRequired) {
		t.Errorf("shielded without a reason: %v, want ErrReasonRequired", err)
	}
}

// TestSubjectAccessRedaction: by default the report shows nothing of the
// other members of the household (name, date of birth, identifiers,
// email, reference) and does not record them as shown; with a reason it
// shows them, and the audit entry names them and the reason.
func TestSubjectAccessRedaction(t *testing.T) {
	e := sarEnv(t)
	ref := e.svc.Ref("P0000000001")
	sar, err := e.svc.SubjectAccess(as(ig), ref, "")
	if err != nil {
		t.Fatal(err)
	}
	js, _ := json.Marshal(sar)
	for _, secret := range []string{"Bob", "Stone", "Kit", "1979-02-03", "2015-09-09", "CE654321A", "A123456789012", "bob@example.org",
		e.svc.Ref("P0000000002"), e.svc.Ref("P0000000003"), "P0000000002", "P0000000003"} {
		if bytes.Contains(js, []byte(secret)) {
			t.Errorf("the report shows a household member's %q", secret)
		}
	}
	if n := strings.Count(string(js), `"label":"`+access.AnotherResident+`"`); n != 2 {
		t.Errorf("%d residents withheld, want 2", n)
	}
	if got := e.log.last(t).Persons; !slices.Equal(got, []string{"P0000000001"}) {
		t.Errorf("audit persons %v, want only P0000000001", got)
	}
	sar, err = e.svc.SubjectAccessFor(t.Context(), as(ig), access.SARRequest{Refs: []string{ref}, ThirdParties: true, ThirdPartyReason: "Bob's written consent"})
	if err != nil {
		t.Fatal(err)
	}
	js, _ = json.Marshal(sar)
	if !bytes.Contains(js, []byte(`"given":"Bob"`)) || !bytes.Contains(js, []byte(e.svc.Ref("P0000000002"))) {
		t.Errorf("third parties shown: Bob is not in the report")
	}
	last := e.log.last(t)
	if !slices.Contains(last.Persons, "P0000000002") || !strings.Contains(last.Reason, "Bob's written consent") {
		t.Errorf("third parties shown: audit %v %q", last.Persons, last.Reason)
	}
}

// TestSubjectAccessGolden compares the report of Ann Lee with
// testdata/sar.golden.json (go test ./access -run TestSubjectAccessGolden
// -update-sar rewrites it): all three records, the inactive one too, the
// golden record with provenance, the current household and the old
// address, the link in words, and the looks at her in the audit log,
// without what was asked or whom else it returned.
func TestSubjectAccessGolden(t *testing.T) {
	e := sarEnv(t)
	if _, err := e.svc.Search(as("frontline"), resindex.Query{Family: "Lee"}, access.Page{}, ""); err != nil {
		t.Fatal(err)
	}
	e.idx.hits = []resindex.Hit{{PersonID: "P0000000001", Weight: 12}}
	if _, err := e.svc.Search(as("frontline"), resindex.Query{Family: "Lee"}, access.Page{}, "council tax call"); err != nil {
		t.Fatal(err)
	}
	sar, err := e.svc.SubjectAccessFor(t.Context(), as(ig), access.SARRequest{Refs: []string{"P0000000001"}, Reason: "letter of 1 November"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(sar, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "sar.golden.json")
	if *updateSAR {
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update-sar to write it)", err)
	}
	if !bytes.Equal(append(got, '\n'), want) {
		t.Errorf("the report differs from %s (rerun with -update-sar and review the diff):\n%s", path, got)
	}
	if strings.Contains(string(got), "family=Lee") {
		t.Error("the access log shows what a search asked")
	}
}
