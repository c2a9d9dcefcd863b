package access_test

import (
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/alerts"
	"github.com/resindex/resindex/store"
)

// TestLookingUpAChildOnAPlanIsNews: an electoral officer opening an
// attainer on a child protection plan raises one notification a day for
// the child's social workers, saying who looked, in which role, through
// which surface and call, and naming only the child; a child in need, a
// look by children's services, and a look that finds no child raise none.
func TestLookingUpAChildOnAPlanIsNews(t *testing.T) {
	attainer := func(n int, flag string) resindex.Person {
		return person(n, rec(srcER, "E"+pid(n), dob("2009-03-01"), attrs("attainer", "true")),
			rec(srcCSC, "K"+pid(n), dob("2009-03-01"), flags(flag)))
	}
	onPlan, inNeed := attainer(1, resindex.FlagChildProtectionPlan), attainer(2, resindex.FlagChildInNeed)
	adult := person(3, rec(srcER, "E3"))
	db, err := store.Open(store.Options{Dir: t.TempDir(), GCInterval: -1, MemTableSize: 1 << 20, BlockCacheSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := testNow
	idx := newFakeIndex(onPlan, inNeed, adult)
	raised := map[string]int{}
	svc, err := access.New(mustDefault(t), idx, &fakeOverrider{}, &memLog{}, access.Options{Key: testKey, Now: func() time.Time { return now }, Alerts: db,
		AlertRaised: func(kind string) { raised[kind]++ }})
	if err != nil {
		t.Fatal(err)
	}
	look := func(role, id string) {
		t.Helper()
		p := as(role)
		p.Surface = "api"
		if _, err := svc.Person(p, svc.Ref(id), ""); err != nil {
			t.Fatalf("%s opens %s: %v", role, id, err)
		}
	}
	notes := func() []resindex.Alert {
		t.Helper()
		list, _, err := alerts.List(db, alerts.Filter{Kind: resindex.AlertChildLookedUp})
		if err != nil {
			t.Fatal(err)
		}
		return list
	}
	look("electoral", onPlan.ID)
	got := notes()
	if len(got) != 1 {
		t.Fatalf("notifications = %d; want 1", len(got))
	}
	n := got[0]
	if n.Severity != resindex.SeverityHigh || n.LookedUp == nil || n.LookedUp.By != "user-electoral" || n.LookedUp.Role != "electoral" ||
		n.LookedUp.Surface != "api" || n.LookedUp.Action != "view" || !n.LookedUp.At.Equal(now) {
		t.Errorf("notification = %+v, looked up %+v", n, n.LookedUp)
	}
	if len(n.Children) != 1 || n.Children[0].Person != onPlan.ID || n.Adult != nil || n.Household != "" || n.UPRN != "" {
		t.Errorf("the notification names more than the child: %+v", n)
	}
	look("electoral", onPlan.ID) // the same day: no second
	look("electoral", inNeed.ID) // not on a plan
	look("electoral", adult.ID)  // not a child
	look("safeguarding", onPlan.ID)
	look("childrens_services", onPlan.ID)
	if got := notes(); len(got) != 1 {
		t.Fatalf("notifications = %d after looks that are no news; want still 1", len(got))
	}
	now = now.Add(24 * time.Hour)
	look("electoral", onPlan.ID)
	if got := notes(); len(got) != 2 {
		t.Fatalf("a look the next day: %d notifications; want 2", len(got))
	}
	if len(raised) != 1 || raised[resindex.AlertChildLookedUp] != 2 {
		t.Errorf("notifications counted as raised: %v, want 2 %s", raised, resindex.AlertChildLookedUp)
	}
}

// TestNoLookupNewsOfARestrictedChild: looking up a restricted child on a
// plan raises no notification: a restricted person raises no alert.
func TestNoLookupNewsOfARestrictedChild(t *testing.T) {
	child := person(1, rec(srcER, "E1", dob("2009-03-01"), attrs("attainer", "true")),
		rec(srcCSC, "K1", dob("2009-03-01"), flags(resindex.FlagChildProtectionPlan)))
	db, err := store.Open(store.Options{Dir: t.TempDir(), GCInterval: -1, MemTableSize: 1 << 20, BlockCacheSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc, err := access.New(mustDefault(t), newFakeIndex(child), &fakeOverrider{}, &memLog{},
		access.Options{Key: testKey, Now: func() time.Time { return testNow }, Alerts: db, Rights: db})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Restrict(as("information_governance"), svc.Ref(child.ID), "the family asked"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Person(as("information_governance"), svc.Ref(child.ID), "request 4"); err != nil {
		t.Fatal(err)
	}
	list, _, err := alerts.List(db, alerts.Filter{})
	if err != nil || len(list) != 0 {
		t.Errorf("alerts after looking up a restricted child: %d, %v; want none", len(list), err)
	}
}
