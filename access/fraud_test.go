package access_test

import (
	"context"
	"errors"
	"math"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/fraud"
	"github.com/resindex/resindex/store"
)

// The fraud findings through access: the real checks (fraud.Cache) run
// over hand-written persons, whose records make one sublet and one false
// single person discount, with reviews kept in a real store.

// Properties of the fraud world, by UPRN.
const (
	flatLet   = "100000000001" // the council flat, sublet
	tenantNow = "100000000002" // where its tenant lives now
	soleHome  = "100000000003" // the home with a single person discount
)

// investigatorPolicy adds a role with the ability and fields the fraud
// role lacks (every source, flags, NHS numbers, see_shielded): what a
// finding shows must stay out of its reach all the same.
const investigatorPolicy = `
  investigator:
    description: fraud findings, with every source and fields no finding shows
    sources: all
    adult: [name, dob, address, identifiers.nhs, identifiers.nino, flags.disability, flags.staff, attributes.*, sources]
    abilities: [fraud_findings, see_shielded]
`

// fraudRec is a record of the fraud world: active on 1 October 2026, at a
// property since a day.
func fraudRec(source, id, uprn, since string, opts ...recOpt) resindex.Record {
	r := rec(source, id, opts...)
	r.Version, r.LastActivity = "2026-10-01T00:00:00Z", "2026-10-01"
	r.Addresses = []resindex.Address{{UPRN: uprn, Lines: []string{"Flat " + uprn[len(uprn)-1:]}, Postcode: "AB1 2CD", From: since, Current: true}}
	return r
}

// fraudPersons: a tenant who moved away (P1), an adult living in the flat
// with a disability flag and a social care record (P2), a member of staff
// living there (P3, shielded), a young adult known to children's social
// care (P4: a child to access, an adult to the checks), a council tax
// payer with the discount (P5) and an adult registered at that home (P6).
func fraudPersons() []resindex.Person {
	return []resindex.Person{
		person(1, fraudRec(resindex.SourceHousing, "H-1", flatLet, "2020-01-01", named("Tom", "Tenant"), dob("1970-01-01"),
			attrs("tenancy_role", "lead_tenant", "tenancy_ref", "T-1", "tenancy_start", "2020-01-01")),
			fraudRec(srcER, "ER-1", tenantNow, "2025-01-01", named("Tom", "Tenant"), dob("1970-01-01"))),
		person(2, fraudRec(srcER, "ER-2", flatLet, "2024-06-01", named("Lou", "Lodger"), dob("1985-02-02"), flags(resindex.FlagDisability)),
			fraudRec(srcLib, "LIB-2", flatLet, "2024-06-01", named("Lou", "Lodger"), dob("1985-02-02")),
			fraudRec(srcASC, "ASC-2", flatLet, "2024-06-01", named("Lou", "Lodger"), dob("1985-02-02"), idents("nhs", "9434765919"))),
		person(3, fraudRec(srcER, "ER-3", flatLet, "2024-01-01", named("Sam", "Staff"), dob("1990-03-03"), flags(resindex.FlagStaff))),
		person(4, fraudRec(srcER, "ER-4", flatLet, "2024-01-01", named("Kim", "Young"), dob("2000-04-04")),
			fraudRec(srcCSC, "CSC-4", flatLet, "2024-01-01", named("Kim", "Young"), dob("2000-04-04"))),
		person(5, fraudRec(srcCT, "CT-5", soleHome, "2022-01-01", named("Sue", "Single"), dob("1960-05-05"),
			attrs("single_person_discount", "true", "account_ref", "A-5", "account_start", "2022-01-01", "liability", "liable"))),
		person(6, fraudRec(srcER, "ER-6", soleHome, "2023-01-01", named("Pat", "Partner"), dob("1962-06-06")),
			fraudRec(resindex.SourceParking, "PK-6", soleHome, "2023-01-01", named("Pat", "Partner"), dob("1962-06-06"))),
	}
}

// scanOf feeds the checks persons' records as the resolver's LiveRecords
// does, each placed at its current address's UPRN; runs counts the scans,
// and a gate, when given, holds them until it is closed.
func scanOf(persons []resindex.Person, runs *atomic.Int32, gate <-chan struct{}) fraud.Scan {
	return func(fn func(string, *resindex.Record, resindex.Property) error) error {
		runs.Add(1)
		if gate != nil {
			<-gate
		}
		for _, p := range persons {
			for i := range p.Records {
				r := p.Records[i]
				var place resindex.Property
				if a, ok := resindex.CurrentAddress(&r); ok && a.UPRN != "" {
					place = resindex.Property{Key: "uprn:" + a.UPRN, UPRN: a.UPRN}
				}
				if err := fn(p.ID, &r, place); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

// fraudEnv is a service over the fraud world, its reviews in a real
// store; runs counts the checks' scans of the index.
type fraudEnv struct {
	*env
	db   *store.DB
	runs *atomic.Int32
}

func newFraudEnv(t testing.TB, gate <-chan struct{}) *fraudEnv {
	t.Helper()
	db, err := store.Open(store.Options{Dir: t.TempDir(), GCInterval: -1, MemTableSize: 1 << 20, BlockCacheSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	data, err := os.ReadFile("default_policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	pol, err := access.Parse("fraud.yaml", append(data, investigatorPolicy...))
	if err != nil {
		t.Fatal(err)
	}
	persons := fraudPersons()
	e := newEnv(t, pol, persons...)
	runs := &atomic.Int32{}
	cache := fraud.NewCache(scanOf(persons, runs, gate), 0)
	svc, err := access.New(pol, e.idx, e.ov, e.log, access.Options{Key: testKey, Now: func() time.Time { return *e.now },
		Fraud: cache, FraudReviews: db})
	if err != nil {
		t.Fatal(err)
	}
	e.svc = svc
	return &fraudEnv{env: e, db: db, runs: runs}
}

// only is the one finding of a check, as a role lists it.
func (e *fraudEnv) only(t *testing.T, role, check string) access.FindingView {
	t.Helper()
	list, err := e.svc.FraudFindings(context.Background(), as(role), check, access.FindingsFilter{}, access.Page{})
	if err != nil || len(list.Findings) != 1 || list.Total != 1 {
		t.Fatalf("%s findings as %s: %+v, %v; want one", check, role, list, err)
	}
	return list.Findings[0]
}

// TestFindingRedaction: a finding shows the persons it names as the role
// sees adults, from the sources the checks weigh, never with flags or an
// NHS number; the young adult children's social care knows is left out
// with their records; the member of staff is shown only as shielded, by
// reference, even to a role that may see shielded persons with a reason;
// an evidence record is named only for a source the role sees; and no
// person ID leaves access.
func TestFindingRedaction(t *testing.T) {
	e := newFraudEnv(t, nil)
	for _, role := range []string{"fraud", "investigator"} {
		f := e.only(t, role, "subletting")
		v, err := e.svc.FraudFinding(context.Background(), as(role), f.ID)
		if err != nil {
			t.Fatal(err)
		}
		if v.Subject == nil || v.Subject.Name == nil || v.Subject.Name.Value.Family != "Tenant" || v.Subject.Ref != e.svc.Ref(pid(1)) {
			t.Fatalf("as %s: subject %+v, want Tom Tenant by reference", role, v.Subject)
		}
		if v.Account != (access.FindingRecord{Source: resindex.SourceHousing, ID: "H-1"}) || v.Reference != "T-1" {
			t.Fatalf("as %s: account %+v reference %q", role, v.Account, v.Reference)
		}
		checkFindingPeople(t, e, role, v)
		checkEvidence(t, role, v)
		if js := mustJSON(t, v); strings.Contains(js, "P000000000") || strings.Contains(js, "9434765919") || strings.Contains(js, "Kim") {
			t.Fatalf("as %s: the finding shows a person ID, an NHS number or the child: %s", role, js)
		}
		if last := e.log.last(t); last.Action != "fraud_finding" || !slices.Equal(last.Persons, []string{pid(1), pid(2), pid(3)}) {
			t.Fatalf("as %s: audit entry %+v, want fraud_finding naming the three persons shown", role, last)
		}
	}
}

// checkFindingPeople: the lodger by name with no flag, NHS number or
// social care record; the member of staff by reference only; no child.
func checkFindingPeople(t *testing.T, e *fraudEnv, role string, v access.FindingView) {
	t.Helper()
	if len(v.Others) != 2 {
		t.Fatalf("as %s: %d others, want the lodger and the member of staff (not the child)", role, len(v.Others))
	}
	lodger, staff := v.Others[0], v.Others[1]
	if lodger.Name == nil || lodger.Name.Value.Family != "Lodger" || len(lodger.Flags) != 0 || hasKey(jsonMap(t, lodger), "nhs") {
		t.Fatalf("as %s: the lodger shown as %s", role, mustJSON(t, lodger))
	}
	for _, src := range lodger.Sources {
		if src.Source == srcASC {
			t.Fatalf("as %s: the lodger's social care record is shown", role)
		}
	}
	if staff.Ref != e.svc.Ref(pid(3)) || !staff.Shielded || staff.Name != nil || staff.DOB != nil || staff.Address != nil {
		t.Fatalf("as %s: the member of staff shown as %s, want shielded, by reference only", role, mustJSON(t, staff))
	}
}

// checkEvidence: the library record is named only to a role that sees
// libraries; the shielded person's records are never named; the child's
// records are not there at all.
func checkEvidence(t *testing.T, role string, v access.FindingView) {
	t.Helper()
	var rows []string
	for _, s := range v.Signals {
		for _, ev := range s.Evidence {
			rows = append(rows, ev.Source+"/"+ev.ID)
			if ev.UPRN == "" || ev.LastActive == "" {
				t.Fatalf("as %s: evidence %+v without its property or date", role, ev)
			}
		}
	}
	lib := "libraries/"
	if role == "investigator" {
		lib += "LIB-2"
	}
	for _, want := range []string{"electoral_roll/ER-1", "electoral_roll/ER-2", lib, "electoral_roll/"} {
		if !slices.Contains(rows, want) {
			t.Fatalf("as %s: evidence %v, want %s among it", role, rows, want)
		}
	}
	for _, never := range []string{"electoral_roll/ER-3", "electoral_roll/ER-4", "children_social_care/CSC-4"} {
		if slices.Contains(rows, never) {
			t.Fatalf("as %s: evidence %v names %s", role, rows, never)
		}
	}
}

// TestFindingsList: one check's findings, highest score first, filtered
// by signal, score and review status, with counts; a review recorded by
// the fraud role shows in the list and its filters; the audit log has the
// review's outcome and the length of its note, never the note.
func TestFindingsList(t *testing.T) {
	e := newFraudEnv(t, nil)
	ctx := context.Background()
	spd := e.only(t, "fraud", "spd")
	if spd.Subject == nil || spd.Subject.Ref != e.svc.Ref(pid(5)) || len(spd.Others) != 1 || spd.Signals[0].Evidence != nil {
		t.Fatalf("the discount finding listed as %s", mustJSON(t, spd))
	}
	if last := e.log.last(t); last.Action != "fraud_findings" || !slices.Equal(last.Persons, []string{pid(5), pid(6)}) ||
		!strings.HasPrefix(last.Query, "spd findings signal=any min_score=default status=any") {
		t.Fatalf("audit entry %+v", last)
	}
	for _, tc := range []struct {
		f    access.FindingsFilter
		want int
	}{
		{access.FindingsFilter{Signal: fraud.SigElectoralRegister}, 1},
		{access.FindingsFilter{Signal: fraud.SigBenefitClaim}, 0},
		{access.FindingsFilter{MinScore: 0.99, HasMin: true}, 0},
		{access.FindingsFilter{MinScore: 0, HasMin: true}, 1},
		{access.FindingsFilter{Status: access.FindingUnreviewed}, 1},
		{access.FindingsFilter{Status: access.FindingReviewed}, 0},
	} {
		list, err := e.svc.FraudFindings(ctx, as("fraud"), "spd", tc.f, access.Page{})
		if err != nil || len(list.Findings) != tc.want || list.Total != tc.want {
			t.Fatalf("filter %+v: %d findings (%v), want %d", tc.f, len(list.Findings), err, tc.want)
		}
	}
	note := "the partner says he moved out in 2024"
	v, err := e.svc.ReviewFinding(ctx, as("fraud"), spd.ID, "referred", "  "+note+" ")
	if err != nil || v.Review == nil || v.Review.Outcome != "referred" || v.Review.Note != note || v.Review.By != "user-fraud" {
		t.Fatalf("review: %+v, %v", v.Review, err)
	}
	if r, ok, err := getReview(e.db, spd.ID); err != nil || !ok || r.Outcome != "referred" || r.Role != "fraud" {
		t.Fatalf("the stored review: %+v %v %v", r, ok, err)
	}
	if last := e.log.last(t); last.Action != "fraud_review" || last.Reason != "a note of 37 characters" ||
		!strings.Contains(last.Query, "as referred") || !slices.Equal(last.Persons, []string{pid(5), pid(6)}) {
		t.Fatalf("review audit entry %+v", last)
	}
	for i := range e.log.len() {
		if strings.Contains(string(e.log.entries[i]), "partner says") {
			t.Fatalf("the audit log holds the note: %s", e.log.entries[i])
		}
	}
	for status, want := range map[string]int{access.FindingReviewed: 1, "referred": 1, "no_fraud": 0, access.FindingUnreviewed: 0} {
		list, err := e.svc.FraudFindings(ctx, as("fraud"), "spd", access.FindingsFilter{Status: status}, access.Page{})
		if err != nil || list.Total != want || list.Counts.Reviewed != 1 || list.Counts.Outcomes["referred"] != 1 {
			t.Fatalf("status %s after the review: %d findings, counts %+v (%v)", status, list.Total, list.Counts, err)
		}
	}
}

func getReview(db *store.DB, id string) (fraud.Review, bool, error) {
	var r fraud.Review
	var ok bool
	err := db.View(func(t resindex.Txn) error {
		var err error
		r, ok, err = fraud.GetReview(t, id)
		return err
	})
	return r, ok, err
}

// TestFindingInputErrors: a filter or review the calls cannot serve is
// refused naming the field (and recorded as a bad request); a check or
// finding that does not exist is not found.
func TestFindingInputErrors(t *testing.T) {
	e := newFraudEnv(t, nil)
	ctx := context.Background()
	id := e.only(t, "fraud", "subletting").ID
	list := func(check string, f access.FindingsFilter) error {
		_, err := e.svc.FraudFindings(ctx, as("fraud"), check, f, access.Page{})
		return err
	}
	review := func(id, outcome, note string) error {
		_, err := e.svc.ReviewFinding(ctx, as("fraud"), id, outcome, note)
		return err
	}
	for name, tc := range map[string]struct {
		err   error
		field string
	}{
		"a score above 1":           {list("subletting", access.FindingsFilter{MinScore: 1.5, HasMin: true}), "min_score"},
		"a negative score":          {list("subletting", access.FindingsFilter{MinScore: -0.1, HasMin: true}), "min_score"},
		"a score not a number":      {list("subletting", access.FindingsFilter{MinScore: math.NaN(), HasMin: true}), "min_score"},
		"a signal of another check": {list("subletting", access.FindingsFilter{Signal: fraud.SigElectoralRegister}), "signal"},
		"an unknown signal":         {list("spd", access.FindingsFilter{Signal: "moon_phase"}), "signal"},
		"an unknown status":         {list("spd", access.FindingsFilter{Status: "open"}), "status"},
		"an unknown outcome":        {review(id, "guilty", ""), "outcome"},
		"no outcome":                {review(id, "", "a note"), "outcome"},
		"a note too long":           {review(id, "no_fraud", strings.Repeat("x", fraud.MaxNoteLen+1)), "note"},
	} {
		if got := inputField(tc.err); got != tc.field {
			t.Errorf("%s: %v, want an input error naming %q", name, tc.err, tc.field)
		}
		if tc.field != "" && e.log.last(t).Outcome != "bad_request" {
			t.Errorf("%s: audit outcome %q", name, e.log.last(t).Outcome)
		}
	}
	for name, err := range map[string]error{
		"an unknown check":           list("burglary", access.FindingsFilter{}),
		"a finding of no run":        review("FS000000000000", "no_fraud", ""),
		"not a finding's ID":         review("FS../../etc", "no_fraud", ""),
		"an unknown finding to read": func() error { _, err := e.svc.FraudFinding(ctx, as("fraud"), "FD0123456789ab"); return err }(),
	} {
		if !errors.Is(err, resindex.ErrNotFound) {
			t.Errorf("%s: %v, want not found", name, err)
		}
	}
	if r, ok, _ := getReview(e.db, id); ok {
		t.Errorf("a refused review was kept: %+v", r)
	}
	if _, err := e.svc.FraudFindings(ctx, as("fraud"), "spd", access.FindingsFilter{}, access.Page{Size: 101}); inputField(err) != "page_size" {
		t.Errorf("a page of 101: %v", err)
	}
}

// fraudCalls are the four fraud calls.
func fraudCalls(svc *access.Service) map[string]func(resindex.Principal) error {
	ctx := context.Background()
	return map[string]func(resindex.Principal) error{
		"fraud_findings": func(p resindex.Principal) error {
			_, err := svc.FraudFindings(ctx, p, "subletting", access.FindingsFilter{}, access.Page{})
			return err
		},
		"fraud_finding": func(p resindex.Principal) error { _, err := svc.FraudFinding(ctx, p, "FS0123456789ab"); return err },
		"fraud_review": func(p resindex.Principal) error {
			_, err := svc.ReviewFinding(ctx, p, "FS0123456789ab", "guilty", "")
			return err
		},
		"fraud_run": func(p resindex.Principal) error { _, err := svc.RunFraudChecks(p); return err },
	}
}

// TestFraudAbility: the shipped policy grants fraud_findings to the fraud
// role only; every fraud call of every other role is refused as
// forbidden, naming the ability, recorded as denied naming no one, and
// never runs the checks.
func TestFraudAbility(t *testing.T) {
	e := newFraudEnv(t, nil)
	pol, _ := access.Default()
	for _, name := range pol.Roles() {
		role, _ := pol.Role(name)
		if role.Can(access.FraudFindings) != (name == "fraud") {
			t.Errorf("%s has fraud_findings: %v", name, role.Can(access.FraudFindings))
		}
		if name == "fraud" {
			continue
		}
		for call, fn := range fraudCalls(e.svc) {
			err := fn(as(name))
			var fe *access.ForbiddenError
			if !errors.As(err, &fe) || fe.Need != "the fraud_findings ability" {
				t.Fatalf("%s as %s: %v, want forbidden for want of the fraud_findings ability", call, name, err)
			}
			if last := e.log.last(t); last.Action != call || last.Outcome != "denied" || len(last.Persons) != 0 {
				t.Fatalf("%s as %s: audit entry %+v", call, name, last)
			}
		}
	}
	if n := e.runs.Load(); n != 0 {
		t.Fatalf("refused calls ran the checks %d times", n)
	}
	if _, err := e.svc.RunFraudChecks(as("fraud")); err != nil || e.log.last(t).Action != "fraud_run" {
		t.Fatalf("a run asked for by fraud: %v", err)
	}
}

// TestFindingsWhileRunning: a call that cannot wait for the first run of
// the checks says they are running; once they end, it answers. A service
// without the checks says so.
func TestFindingsWhileRunning(t *testing.T) {
	gate := make(chan struct{})
	e := newFraudEnv(t, gate)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := e.svc.FraudFindings(ctx, as("fraud"), "spd", access.FindingsFilter{}, access.Page{}); !errors.Is(err, access.ErrChecksRunning) ||
		!errors.Is(err, resindex.ErrUnavailable) {
		t.Fatalf("before the first run ends: %v, want ErrChecksRunning", err)
	}
	close(gate)
	e.only(t, "fraud", "spd")
	plain := newEnv(t, mustDefault(t))
	if _, err := plain.svc.RunFraudChecks(as("fraud")); !errors.Is(err, access.ErrNoFindings) {
		t.Fatalf("a service without the checks: %v", err)
	}
}

// FuzzFindingCalls feeds arbitrary finding IDs, filters, outcomes and
// notes to the fraud calls: nothing panics, and each answers, is not
// found, or is an input error naming a field it was given.
func FuzzFindingCalls(f *testing.F) {
	e := newFraudEnv(f, nil)
	ctx := context.Background()
	f.Add("FS0123456789ab", "electoral_register", "reviewed", "no_fraud", "a note", 0.5)
	f.Add("FD../../x", "", "open", "guilty", strings.Repeat("x", 2001), math.NaN())
	f.Add("", "moon_phase", "referred", "", "", -1.0)
	f.Fuzz(func(t *testing.T, id, signal, status, outcome, note string, score float64) {
		ok := func(err error, fields ...string) bool {
			return err == nil || errors.Is(err, resindex.ErrNotFound) || slices.Contains(fields, inputField(err))
		}
		for _, check := range []string{"subletting", "spd"} {
			_, err := e.svc.FraudFindings(ctx, as("fraud"), check, access.FindingsFilter{Signal: signal, Status: status, MinScore: score, HasMin: true}, access.Page{})
			if !ok(err, "signal", "status", "min_score") {
				t.Fatalf("findings of %s: %v", check, err)
			}
		}
		if _, err := e.svc.FraudFinding(ctx, as("fraud"), id); !ok(err) {
			t.Fatalf("finding %q: %v", id, err)
		}
		if _, err := e.svc.ReviewFinding(ctx, as("fraud"), id, outcome, note); !ok(err, "outcome", "note") {
			t.Fatalf("review of %q: %v", id, err)
		}
	})
}
