package access_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/store"
)

// newRightsEnv is the shipped policy over a fake index with the rights
// kept in a real store.
func newRightsEnv(t *testing.T, persons ...resindex.Person) (*env, *store.DB) {
	t.Helper()
	db, err := store.Open(store.Options{Dir: t.TempDir(), GCInterval: -1, MemTableSize: 1 << 20, BlockCacheSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := newEnv(t, bothPolicies(t), persons...)
	svc, err := access.New(e.svc.Policy(), e.idx, e.ov, e.log, access.Options{Key: testKey, Now: func() time.Time { return *e.now }, Rights: db})
	if err != nil {
		t.Fatal(err)
	}
	e.svc = svc
	return e, db
}

const ig = "information_governance"

func annQuery() resindex.Query { return resindex.Query{Given: "Ann", Family: "Lee"} }

// TestRestrictionShields: a restricted person is not found by frontline
// search or view, and is found by safeguarding with a reason, shown as
// restricted; release puts them back.
func TestRestrictionShields(t *testing.T) {
	e, _ := newRightsEnv(t, person(1, rec("council_tax", "CT1")))
	e.idx.hits = []resindex.Hit{{PersonID: pid(1), Weight: 20}}
	ref := e.svc.Ref(pid(1))
	found := func(role, reason string) (int, int) {
		t.Helper()
		pg, err := e.svc.Search(as(role), annQuery(), access.Page{}, reason)
		if err != nil {
			t.Fatalf("%s search: %v", role, err)
		}
		return len(pg.Results), pg.Withheld
	}
	if n, _ := found("frontline", ""); n != 1 {
		t.Fatalf("before restriction frontline finds %d", n)
	}
	st, err := e.svc.Restrict(as(ig), ref, "the resident contests the accuracy of their record")
	if err != nil || !st.Restricted || st.Restriction.By != "user-"+ig || st.Objecting {
		t.Fatalf("Restrict = %+v, %v", st, err)
	}
	if n, w := found("frontline", ""); n != 0 || w != 0 {
		t.Errorf("frontline finds %d (withheld %d) of a restricted person; want nothing at all", n, w)
	}
	if _, err := e.svc.Person(as("frontline"), ref, "a reason"); !errors.Is(err, resindex.ErrNotFound) {
		t.Errorf("frontline view of a restricted person: %v; want not found", err)
	}
	if n, w := found("safeguarding", ""); n != 0 || w != 1 {
		t.Errorf("safeguarding without a reason: %d results, %d withheld; want 0, 1", n, w)
	}
	pg, err := e.svc.Search(as("safeguarding"), annQuery(), access.Page{}, "section 47 enquiry")
	if err != nil || len(pg.Results) != 1 || !pg.Results[0].Shielded || pg.Results[0].ShieldReason != access.ShieldRestricted {
		t.Fatalf("safeguarding with a reason: %+v, %v", pg, err)
	}
	if _, err := e.svc.Release(as(ig), ref, "accuracy checked and confirmed"); err != nil {
		t.Fatal(err)
	}
	if n, _ := found("frontline", ""); n != 1 {
		t.Errorf("after release frontline finds %d; want 1", n)
	}
}

// TestRightsCalls: each call's ability, reason and audit entry.
func TestRightsCalls(t *testing.T) {
	e, _ := newRightsEnv(t, person(1, rec("council_tax", "CT1")), person(2, rec("children_social_care", "CS1", dob("2015-01-01"))))
	ref := e.svc.Ref(pid(1))
	// In this order, each right ended after it is put in force, so that
	// the person is left with neither (a map's order left them restricted
	// one run in four).
	calls := []struct {
		action string
		call   func(resindex.Principal, string, string) (access.RightsView, error)
	}{{"restrict", e.svc.Restrict}, {"release", e.svc.Release}, {"object", e.svc.Object}, {"withdraw_objection", e.svc.WithdrawObjection}}
	for _, c := range calls {
		action, call := c.action, c.call
		for _, tc := range []struct {
			name, role, ref, reason string
			want                    error
		}{
			{"no ability", "frontline", ref, "why", resindex.ErrForbidden},
			{"auditor", "auditor", ref, "why", resindex.ErrForbidden},
			{"empty reason", ig, ref, "  ", resindex.ErrInvalid},
			{"long reason", ig, ref, strings.Repeat("x", access.MaxRightsReason+1), resindex.ErrInvalid},
			{"not a reference", ig, "nobody", "why", resindex.ErrNotFound},
			{"ok", ig, ref, "the resident asked", nil},
		} {
			_, err := call(as(tc.role), tc.ref, tc.reason)
			if (tc.want == nil) != (err == nil) || tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("%s, %s: %v; want %v", action, tc.name, err, tc.want)
			}
			if last := e.log.last(t); last.Action != action || last.Outcome != access.Outcome(err) {
				t.Errorf("%s, %s: audited as %+v", action, tc.name, last)
			}
		}
	}
	st, err := e.svc.Object(as(ig), ref, "no profiling please")
	if err != nil || !st.Objecting || st.Restricted {
		t.Fatalf("Object = %+v, %v", st, err)
	}
	got, err := e.svc.Rights(as(ig), ref)
	if err != nil || !got.Objecting || got.Objection.Reason != "no profiling please" || got.Ref != ref {
		t.Errorf("Rights = %+v, %v", got, err)
	}
	if last := e.log.last(t); last.Action != "rights" || len(last.Persons) == 0 || last.Persons[0] != pid(1) {
		t.Errorf("Rights audited as %+v", last)
	}
	if _, err := e.svc.Rights(as("frontline"), ref); !errors.Is(err, resindex.ErrForbidden) {
		t.Errorf("frontline Rights: %v", err)
	}
}

// TestRightsFollowMerges: a right recorded on an ID that now redirects
// holds for the survivor, and ending it there ends it on the old ID.
func TestRightsFollowMerges(t *testing.T) {
	db, err := store.Open(store.Options{Dir: t.TempDir(), GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mark := &access.Mark{At: testNow, By: "ig", Role: ig, Reason: "asked"}
	err = db.Update(func(tx resindex.Txn) error {
		if _, err := access.SetRight(tx, pid(1), access.RightRestriction, mark); err != nil {
			return err
		}
		if _, err := access.SetRight(tx, pid(3), access.RightObjection, mark); err != nil {
			return err
		}
		return tx.Set(layout.Redirect(pid(1)), []byte(pid(2))) // P1 merged into P2
	})
	if err != nil {
		t.Fatal(err)
	}
	rs, err := access.LoadRightsSets(db)
	if err != nil {
		t.Fatal(err)
	}
	if !rs.Restricted[pid(2)] || rs.Restricted[pid(1)] || !rs.Objecting[pid(3)] || !rs.LeftOut(pid(3)) || rs.LeftOut(pid(4)) {
		t.Fatalf("sets = %+v", rs)
	}
	err = db.Update(func(tx resindex.Txn) error {
		st, err := access.SetRight(tx, pid(2), access.RightRestriction, nil)
		if err == nil && st.Restriction != nil {
			t.Errorf("release left %+v", st)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if rs, _ := access.LoadRightsSets(db); len(rs.Restricted) != 0 || !rs.Objecting[pid(3)] {
		t.Errorf("after release: %+v", rs)
	}
	err = db.View(func(tx resindex.Txn) error {
		if _, err := tx.Get(layout.Rights(pid(1))); !errors.Is(err, resindex.ErrNotFound) {
			t.Errorf("the released key is still stored: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCheckRightsReason(t *testing.T) {
	for _, tc := range []struct {
		reason string
		ok     bool
	}{
		{"", false}, {" \t\n", false}, {strings.Repeat("é", access.MaxRightsReason), true},
		{strings.Repeat("é", access.MaxRightsReason+1), false}, {"\xff\xfe", false}, {"asked by letter", true},
	} {
		if err := access.CheckRightsReason(tc.reason); (err == nil) != tc.ok {
			t.Errorf("%.20q: %v; want ok %v", tc.reason, err, tc.ok)
		}
	}
}

// TestRightsOutsideTheWindow: a person whose records are all older than
// the activity window (staff are not shown them) is still held, so their
// rights can be exercised, as their subject access report can be made.
func TestRightsOutsideTheWindow(t *testing.T) {
	e, _ := newRightsEnv(t, person(1, rec(srcCT, "CT1", active("2022-01-01"))))
	ref := e.svc.Ref(pid(1))
	if _, err := e.svc.Person(as("frontline"), ref, ""); !errors.Is(err, resindex.ErrNotFound) {
		t.Fatalf("frontline sees a person outside the window: %v", err)
	}
	if _, err := e.svc.SubjectAccess(as(ig), ref, "request"); err != nil {
		t.Fatalf("subject access: %v", err)
	}
	if _, err := e.svc.Restrict(as(ig), ref, "contests accuracy"); err != nil {
		t.Errorf("restrict: %v", err)
	}
	if _, err := e.svc.Object(as(ig), ref, "objects to profiling"); err != nil {
		t.Errorf("object: %v", err)
	}
	if _, err := e.svc.Rights(as(ig), ref); err != nil {
		t.Errorf("rights: %v", err)
	}
}
