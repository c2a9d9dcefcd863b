package access_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/fraud"
)

// TestRightsLeaveFraudOut: a person objecting (or restricted) is neither
// subject nor evidence of a finding: the findings a server shows drop at
// once those naming them, a run through LeavingOut never sees their
// records, and withdrawal puts them back.
func TestRightsLeaveFraudOut(t *testing.T) {
	e := newFraudEnv(t, nil)
	persons := fraudPersons()
	cache := fraud.NewCache(scanOf(persons, &atomic.Int32{}, nil), 0)
	t.Cleanup(cache.Close)
	svc, err := access.New(e.svc.Policy(), e.idx, e.ov, e.log, access.Options{Key: testKey, Now: func() time.Time { return *e.now },
		Fraud: cache, FraudReviews: e.db, Rights: e.db})
	if err != nil {
		t.Fatal(err)
	}
	count := func(check string) int {
		t.Helper()
		list, err := svc.FraudFindings(context.Background(), as("fraud"), check, access.FindingsFilter{}, access.Page{})
		if err != nil {
			t.Fatal(err)
		}
		return len(list.Findings)
	}
	set := func(p string, right string, m *access.Mark) {
		t.Helper()
		if err := e.db.Update(func(tx resindex.Txn) error { _, err := access.SetRight(tx, p, right, m); return err }); err != nil {
			t.Fatal(err)
		}
	}
	mark := &access.Mark{At: testNow, By: "ig", Role: "information_governance", Reason: "asked"}
	if count("spd") != 1 || count("subletting") != 1 {
		t.Fatal("the fraud world has not one finding of each")
	}
	set(pid(6), access.RightObjection, mark) // the other adult: evidence
	if n := count("spd"); n != 0 {
		t.Errorf("a finding resting on an objecting person's records is shown (%d)", n)
	}
	reps, err := fraud.Run(access.LeavingOut(e.db, scanOf(persons, &atomic.Int32{}, nil)), []fraud.Kind{fraud.SPD, fraud.Subletting}, fraud.Options{})
	if err != nil || len(reps[0].Findings) != 0 || len(reps[1].Findings) != 1 {
		t.Errorf("a run leaving out the objecting person: %+v, %v", reps, err)
	}
	set(pid(6), access.RightObjection, nil)
	set(pid(1), access.RightRestriction, mark) // the tenant: subject
	if count("spd") != 1 || count("subletting") != 0 {
		t.Error("withdrawal or restriction of the subject is not reflected")
	}
	set(pid(1), access.RightRestriction, nil)
	if count("subletting") != 1 {
		t.Error("release does not put the finding back")
	}
}
