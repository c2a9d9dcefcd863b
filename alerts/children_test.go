package alerts_test

import (
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/alerts"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
)

// newBoroughUnder is newBorough with a children's golden record policy,
// ages reckoned on the rule's clock.
func newBoroughUnder(t *testing.T, policy string) *borough {
	db, err := store.Open(store.Options{Dir: t.TempDir(), GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clock := func() time.Time { return now }
	rule := alerts.NewRule(resolver.InTxn{}, alerts.Options{Now: clock, Endpoints: []string{"social-care"}})
	eng, err := resolver.NewEngine(db, resolver.EngineOptions{Population: 100, Watcher: rule, Now: clock, ChildrenGolden: policy})
	if err != nil {
		t.Fatal(err)
	}
	return &borough{t: t, db: db, eng: eng}
}

// The safeguarding rule still works for a child the index keeps no golden
// record of (the default children's policy, no consent recorded): the
// child is in the household, and a new adult joining it raises the alert
// naming the child, as under the "always" policy.
func TestAlertForChildWithoutGoldenRecord(t *testing.T) {
	for _, policy := range []string{resolver.ChildrenConsent, resolver.ChildrenAlways} {
		b := newBoroughUnder(t, policy)
		family(b)
		pid, _ := b.eng.PersonOf(resindex.RecordKey{Source: "children_social_care", ID: "CS1"})
		p, err := b.eng.Person(pid)
		if err != nil || p.NoGolden != (policy == resolver.ChildrenConsent) {
			t.Errorf("%s: the child's NoGolden = %v, %v", policy, p.NoGolden, err)
		}
		if hh, err := b.eng.Household("uprn:100021000001"); err != nil || len(hh) != 2 {
			t.Errorf("%s: household %v, %v; want the mother and the child", policy, hh, err)
		}
		b.apply(newAdult())
		if got := b.alerts(); len(got) != 1 || len(got[0].Children) != 1 || got[0].Children[0].Records[0].ID != "CS1" {
			t.Errorf("%s: alerts = %+v; want one naming the child", policy, got)
		}
	}
}

// A child without a golden record whose records place them, later, in
// the household an adult joined is weighed as an arrival, as under the
// "always" policy (TestChildKnownAfterTheAdult's scenario under both).
func TestChildWithoutGoldenRecordArrives(t *testing.T) {
	for _, policy := range []string{resolver.ChildrenAlways, resolver.ChildrenConsent} {
		b := newBoroughUnder(t, policy)
		b.apply(rec("council_tax", "CT1", "Ann", "Lee", "1985-01-02", home, "2015-03-01", "2025-04-01"), newAdult())
		kid := rec("children_social_care", "CS1", "Tom", "Lee", "2016-05-06", away, "2016-05-06", "2025-01-02")
		kid.Flags = []string{resindex.FlagChildProtectionPlan}
		b.apply(kid)
		if n := len(b.alerts()); n != 0 {
			t.Fatalf("%s: the child elsewhere: %d alerts", policy, n)
		}
		kid.Addresses[0] = home
		kid.Addresses[0].From, kid.Version = "2025-03-01", "2025-05-28T09:00:00Z"
		b.apply(kid)
		if got := b.alerts(); len(got) != 1 || got[0].Adult == nil || got[0].Adult.Records[0].ID != "ER7" {
			t.Errorf("%s: alerts = %+v; want one naming the adult", policy, got)
		}
	}
}
