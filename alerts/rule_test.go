package alerts_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/alerts"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
)

var (
	home  = resindex.Address{UPRN: "100021000001", Lines: []string{"4 Mill Lane"}, Postcode: "N7 8QT", Current: true}
	away  = resindex.Address{UPRN: "100021000009", Lines: []string{"9 Kiln Road"}, Postcode: "E1 6AN", Current: true}
	now   = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	moved = "2025-05-20"
)

// borough is a store with an engine running the rule.
type borough struct {
	t   *testing.T
	db  *store.DB
	eng *resolver.Engine
	pos int64
}

func newBorough(t *testing.T) *borough {
	db, err := store.Open(store.Options{Dir: t.TempDir(), GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	rule := alerts.NewRule(resolver.InTxn{}, alerts.Options{Now: func() time.Time { return now }, Endpoints: []string{"social-care"}})
	eng, err := resolver.NewEngine(db, resolver.EngineOptions{Population: 100, Watcher: rule})
	if err != nil {
		t.Fatal(err)
	}
	return &borough{t: t, db: db, eng: eng}
}

func (b *borough) apply(recs ...resindex.Record) {
	b.t.Helper()
	for _, r := range recs {
		b.pos++
		if _, err := b.eng.Apply(r, resindex.Position{Stream: "t", Offset: b.pos}); err != nil {
			b.t.Fatal(err)
		}
	}
}

func (b *borough) alerts() []resindex.Alert {
	b.t.Helper()
	as, _, err := alerts.List(b.db, alerts.Filter{})
	if err != nil {
		b.t.Fatal(err)
	}
	return as
}

// rec is a record written on day (the version), at an address from day
// from.
func rec(src, id, given, family, dob string, a resindex.Address, from, day string) resindex.Record {
	a.From = from
	return resindex.Record{Source: src, ID: id, Version: day + "T09:00:00Z", Name: resindex.Name{Given: given, Family: family},
		DOB: dob, Addresses: []resindex.Address{a}, LastActivity: day}
}

// family is a mother and a child on a child protection plan at home, both
// there for years.
func family(b *borough) {
	mum := rec("council_tax", "CT1", "Ann", "Lee", "1985-01-02", home, "2015-03-01", "2025-04-01")
	kid := rec("children_social_care", "CS1", "Tom", "Lee", "2016-05-06", home, "2016-05-06", "2025-04-02")
	kid.Flags = []string{resindex.FlagChildProtectionPlan}
	b.apply(mum, kid)
}

// dave is the new adult's electoral-roll record at an address.
func dave(a resindex.Address, from, day string) resindex.Record {
	return rec("electoral_roll", "ER7", "Dave", "Hart", "1990-07-08", a, from, day)
}

func newAdult() resindex.Record {
	return rec("electoral_roll", "ER7", "Dave", "Hart", "1990-07-08", home, moved, "2025-05-25")
}

func TestNewAdultRaisesAnAlert(t *testing.T) {
	b := newBorough(t)
	family(b)
	if got := b.alerts(); len(got) != 0 {
		t.Fatalf("the family's own arrival, years ago, raised %d alerts", len(got))
	}
	b.apply(newAdult())
	got := b.alerts()
	if len(got) != 1 {
		t.Fatalf("alerts = %d; want 1", len(got))
	}
	a := got[0]
	if a.Kind != resindex.AlertNewAdult || a.Severity != resindex.SeverityHigh || a.Status != resindex.AlertNew ||
		a.UPRN != "100021000001" || a.EvidenceDate != moved || a.Evidence == nil || a.Evidence.Record != "ER7" {
		t.Errorf("alert = %+v", a)
	}
	if a.Adult == nil || len(a.Adult.Records) != 1 || a.Adult.Records[0].ID != "ER7" || a.Adult.Age != 34 {
		t.Errorf("adult = %+v", a.Adult)
	}
	if len(a.Children) != 1 || a.Children[0].Records[0].ID != "CS1" || a.Children[0].Flags[0] != resindex.FlagChildProtectionPlan {
		t.Errorf("children = %+v", a.Children)
	}
	if len(a.Deliveries) != 1 || a.Deliveries[0].Status != alerts.DeliveryPending {
		t.Errorf("deliveries = %+v", a.Deliveries)
	}
	// One alert per episode: another record of the same move adds none.
	b.apply(rec("council_tax", "CT9", "Dave", "Hart", "1990-07-08", home, moved, "2025-05-28"))
	if n := len(b.alerts()); n != 1 {
		t.Errorf("a second record of the same move: %d alerts", n)
	}
}

func TestSeverityFollowsTheChild(t *testing.T) {
	for flag, want := range map[string]string{
		resindex.FlagChildProtectionPlan: resindex.SeverityHigh,
		resindex.FlagLookedAfter:         resindex.SeverityMedium,
		resindex.FlagChildInNeed:         resindex.SeverityLow,
	} {
		b := newBorough(t)
		kid := rec("schools", "SC1", "Tom", "Lee", "2016-05-06", home, "2016-05-06", "2025-04-02")
		kid.Flags = []string{flag}
		b.apply(kid, newAdult())
		if got := b.alerts(); len(got) != 1 || got[0].Severity != want {
			t.Errorf("%s: alerts = %+v; want one of severity %s", flag, got, want)
		}
	}
}

// TestNoAlertFor has one case for each exclusion the rule makes.
func TestNoAlertFor(t *testing.T) {
	cases := map[string]func(b *borough){
		"a household without a child known to children's services": func(b *borough) {
			b.apply(rec("council_tax", "CT1", "Ann", "Lee", "1985-01-02", home, "2015-03-01", "2025-04-01"),
				rec("schools", "SC1", "Tom", "Lee", "2016-05-06", home, "2016-05-06", "2025-04-02"), newAdult())
		},
		"a child moving in": func(b *borough) {
			family(b)
			b.apply(rec("schools", "SC5", "Amy", "Hart", "2012-07-08", home, moved, "2025-05-25"))
		},
		"an adult recorded as the child's carer": func(b *borough) {
			mum := rec("council_tax", "CT1", "Ann", "Lee", "1985-01-02", home, "2015-03-01", "2025-04-01")
			kid := rec("children_social_care", "CS1", "Tom", "Lee", "2016-05-06", home, "2016-05-06", "2025-04-02")
			kid.Flags = []string{resindex.FlagChildProtectionPlan}
			kid.Attributes = map[string]string{alerts.CarersAttribute: "council_tax/CT1; electoral_roll/ER7"}
			b.apply(mum, kid, newAdult())
		},
		"a family moving in together": func(b *borough) {
			prev := away
			prev.Current, prev.To = false, moved
			kid := rec("children_social_care", "CS1", "Tom", "Hart", "2016-05-06", home, "", "2025-05-21")
			kid.Flags = []string{resindex.FlagChildInNeed}
			kid.Addresses = append(kid.Addresses, prev)
			dad := newAdult()
			dad.Addresses = append(dad.Addresses, prev)
			b.apply(kid, dad)
		},
		"a move the source recorded long after": func(b *borough) {
			family(b)
			b.apply(rec("electoral_roll", "ER8", "Zoe", "Ward", "1970-01-01", home, "2020-01-01", "2025-05-25"))
		},
		"a restricted person": func(b *borough) {
			family(b)
			r := newAdult()
			r.Flags = []string{resindex.FlagRestricted}
			b.apply(r)
		},
	}
	for name, run := range cases {
		t.Run(name, func(t *testing.T) {
			b := newBorough(t)
			run(b)
			if got := b.alerts(); len(got) != 0 {
				t.Errorf("alerts = %+v; want none", got)
			}
		})
	}
}

// TestReturnWithinTheWindow: an adult who left and is back within the
// return window raises no second alert; back after it, a new episode
// does.
func TestReturnWithinTheWindow(t *testing.T) {
	b := newBorough(t)
	family(b)
	b.apply(dave(home, "2025-01-01", "2025-01-03"))
	if n := len(b.alerts()); n != 1 {
		t.Fatalf("first arrival: %d alerts", n)
	}
	b.apply(dave(away, "2025-03-01", "2025-03-02"), dave(home, "2025-05-20", "2025-05-25"))
	if n := len(b.alerts()); n != 1 {
		t.Fatalf("back within the window: %d alerts; want still 1", n)
	}
	b.apply(dave(away, "2025-06-01", "2025-06-02"), dave(home, "2025-10-01", "2025-10-02"))
	if n := len(b.alerts()); n != 2 {
		t.Fatalf("back after the window: %d alerts; want 2", n)
	}
}

// TestSplitClosesTheAlert: an alert raised because a record was wrongly
// merged into a person at the property closes as no longer applying when
// a steward splits it off.
func TestSplitClosesTheAlert(t *testing.T) {
	b := newBorough(t)
	family(b)
	b.apply(newAdult())
	if n := len(b.alerts()); n != 1 {
		t.Fatalf("alerts = %d", n)
	}
	// The steward says the electoral-roll record is the child's (a false
	// merge): the adult as raised is no longer a person apart from him.
	if err := b.eng.SetOverride(resindex.RecordKey{Source: "electoral_roll", ID: "ER7"}, resindex.RecordKey{Source: "children_social_care", ID: "CS1"},
		resolver.Override{Kind: resolver.OverrideLink, Reason: "same"}, resindex.Position{Stream: "t", Offset: 999}); err != nil {
		t.Fatal(err)
	}
	got := b.alerts()
	if len(got) != 1 || got[0].Status != resindex.AlertClosed || got[0].Outcome != resindex.OutcomeNoLongerApplies {
		t.Fatalf("alert after the merge = %+v; want closed, no longer applies", got)
	}
}

// TestSplitRevealsANewAdult: an adult's record taken for the child's (a
// false merge, which no one sees as an arrival) raises the alert when a
// steward splits it off, the move it shows being fresh.
func TestSplitRevealsANewAdult(t *testing.T) {
	b := newBorough(t)
	b.apply(rec("council_tax", "CT1", "Ann", "Lee", "1985-01-02", home, "2015-03-01", "2025-04-01"),
		rec("schools", "SC1", "Tom", "Lee", "2016-05-06", home, "2016-05-06", "2025-04-02"), newAdult())
	dave, kid := resindex.RecordKey{Source: "electoral_roll", ID: "ER7"}, resindex.RecordKey{Source: "schools", ID: "SC1"}
	override := func(kind string, at int64) {
		t.Helper()
		if err := b.eng.SetOverride(dave, kid, resolver.Override{Kind: kind, Reason: "steward"}, resindex.Position{Stream: "o", Offset: at}); err != nil {
			t.Fatal(err)
		}
	}
	override(resolver.OverrideLink, 1)
	csc := rec("children_social_care", "CS1", "Tom", "Lee", "2016-05-06", home, "2016-05-06", "2025-05-30")
	csc.Flags = []string{resindex.FlagChildProtectionPlan}
	b.apply(csc)
	if n := len(b.alerts()); n != 0 {
		t.Fatalf("before the split: %d alerts", n)
	}
	override(resolver.OverrideUnlink, 2)
	got := b.alerts()
	if len(got) != 1 || got[0].Adult == nil || !slices.Contains(got[0].Adult.Records, dave) {
		t.Fatalf("alerts after the split = %+v; want one naming the split-off adult", got)
	}
}

// TestOneAlertPerMoveAcrossMergeAndSplit: a steward joining the adult's
// record to another of his and parting them again gives the move other
// person IDs, not a second alert.
func TestOneAlertPerMoveAcrossMergeAndSplit(t *testing.T) {
	b := newBorough(t)
	family(b)
	b.apply(rec("libraries", "LB1", "David", "Hart", "1990-07-08", away, "2020-01-01", "2025-01-10"), newAdult())
	if n := len(b.alerts()); n != 1 {
		t.Fatalf("the move: %d alerts", n)
	}
	dave, lib := resindex.RecordKey{Source: "electoral_roll", ID: "ER7"}, resindex.RecordKey{Source: "libraries", ID: "LB1"}
	for i, kind := range []string{resolver.OverrideLink, resolver.OverrideUnlink, resolver.OverrideLink} {
		if err := b.eng.SetOverride(dave, lib, resolver.Override{Kind: kind, Reason: "steward"}, resindex.Position{Stream: "o", Offset: int64(i + 1)}); err != nil {
			t.Fatal(err)
		}
		if n := len(b.alerts()); n != 1 {
			t.Fatalf("after %s: %d alerts; want still 1", kind, n)
		}
	}
}

// TestStaleEvidence: a record written long ago about a move long ago,
// arriving after newer records of its own source, is old news; the same
// record about a recent move is not (the control).
func TestStaleEvidence(t *testing.T) {
	for _, c := range []struct {
		name, from, written string
		want                int
	}{
		{"resurfacing with an old date", "2023-03-01", "2023-03-10", 0},
		{"recent (control)", "2025-05-01", "2025-05-10", 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := newBorough(t)
			family(b)
			b.apply(rec("libraries", "LB5", "Ola", "Nowak", "1960-01-01", away, "2025-05-01", "2025-05-25")) // the libraries' clock moves on
			r := rec("libraries", "LB1", "Zoe", "Ward", "1970-01-01", home, c.from, c.written)
			r.LastActivity = "2025-05-20" // still active: only the dates make it old
			b.apply(r)
			if n := len(b.alerts()); n != c.want {
				t.Fatalf("alerts = %d; want %d", n, c.want)
			}
		})
	}
}

// TestFutureVersionDoesNotStopTheRule: a record dated in the future does
// not carry the rule's clock past today.
func TestFutureVersionDoesNotStopTheRule(t *testing.T) {
	b := newBorough(t)
	family(b)
	b.apply(rec("electoral_roll", "ER9", "Ola", "Nowak", "1960-01-01", away, "2099-05-01", "2099-05-02")) // the adult's source
	b.apply(newAdult())
	if n := len(b.alerts()); n != 1 {
		t.Fatalf("alerts = %d after a future-dated record; want 1", n)
	}
}

// TestMergeOfRecordsAlreadyThere: records already in the household, judged
// when they came (a 16-year-old's library card: no adult), merged with an
// adult's records from elsewhere, make a join that says merged: the
// merge is no arrival, though the person now looks an adult.
func TestMergeOfRecordsAlreadyThere(t *testing.T) {
	b := newBorough(t)
	yan := rec("electoral_roll", "ER3", "Yan", "Xu", "1980-01-01", away, "2024-01-01", "2024-01-02") // the older person ID
	b.apply(yan)
	family(b)
	b.apply(rec("libraries", "LB3", "Zed", "Quill", "2009-01-01", home, "2025-05-01", "2025-05-02"))
	if n := len(b.alerts()); n != 0 {
		t.Fatalf("before the merge: %d alerts", n)
	}
	if err := b.eng.SetOverride(yan.Key(), resindex.RecordKey{Source: "libraries", ID: "LB3"},
		resolver.Override{Kind: resolver.OverrideLink, Reason: "same"}, resindex.Position{Stream: "o", Offset: 1}); err != nil {
		t.Fatal(err)
	}
	if n := len(b.alerts()); n != 0 {
		t.Fatalf("the merge raised %d alerts; want none", n)
	}
}

// TestChildKnownAfterTheAdult: sources learn of moves in any order; an
// adult who moved in after the child, known at the property before the
// child's records are, is alerted when they are.
func TestChildKnownAfterTheAdult(t *testing.T) {
	b := newBorough(t)
	b.apply(rec("council_tax", "CT1", "Ann", "Lee", "1985-01-02", home, "2015-03-01", "2025-04-01"), newAdult())
	kid := rec("children_social_care", "CS1", "Tom", "Lee", "2016-05-06", away, "2016-05-06", "2025-01-02")
	kid.Flags = []string{resindex.FlagChildProtectionPlan}
	b.apply(kid)
	if n := len(b.alerts()); n != 0 {
		t.Fatalf("the child elsewhere: %d alerts", n)
	}
	kid.Addresses[0] = home
	kid.Addresses[0].From, kid.Version = "2025-03-01", "2025-05-28T09:00:00Z" // moved in before the adult, recorded after
	b.apply(kid)
	got := b.alerts()
	if len(got) != 1 || got[0].Adult == nil || got[0].Adult.Records[0].ID != "ER7" {
		t.Fatalf("alerts = %+v; want one naming the adult", got)
	}
}

// TestTurningEighteenIsNoArrival: a child of the household turning 18,
// their record updated after the birthday, joins no household and raises
// nothing.
func TestTurningEighteenIsNoArrival(t *testing.T) {
	b := newBorough(t)
	family(b)
	sib := rec("schools", "SC2", "Amy", "Lee", "2007-05-10", home, "2015-03-01", "2025-04-03")
	b.apply(sib)
	before := joinsIn(t, b)
	sib.Version, sib.LastActivity = "2025-05-20T09:00:00Z", "2025-05-20"
	b.apply(sib)
	if after := joinsIn(t, b); after != before {
		t.Errorf("the update after the 18th birthday joined a household (%d joins, then %d)", before, after)
	}
	if n := len(b.alerts()); n != 0 {
		t.Fatalf("alerts = %d; want none", n)
	}
}

func joinsIn(t *testing.T, b *borough) int {
	t.Helper()
	n := 0
	b.db.Outbox(0, 0, func(_ uint64, p []byte) error {
		if strings.Contains(string(p), `"household.joined"`) {
			n++
		}
		return nil
	})
	return n
}

// TestPossibleAdults: an adult of unknown age, or known only by a year of
// birth that makes them 17 or 18, is a possible adult, and the alert says so; a child known
// to children's services with no date of birth (an unborn child on a
// pre-birth plan) is a possible child.
func TestPossibleAdults(t *testing.T) {
	for _, dob := range []string{"", "2007"} { // unknown; 17 or 18
		b := newBorough(t)
		family(b)
		r := newAdult()
		r.DOB = dob
		b.apply(r)
		if got := b.alerts(); len(got) != 1 || !got[0].Adult.AgeUnknown {
			t.Fatalf("born %q: alerts = %+v; want one, for a possible adult", dob, got)
		}
	}
	for dob, want := range map[string]int{"2008": 0, "1985": 1} { // 17 at most; 40 for sure
		b := newBorough(t)
		family(b)
		r := newAdult()
		r.DOB = dob
		b.apply(r)
		got := b.alerts()
		if len(got) != want || want == 1 && got[0].Adult.AgeUnknown {
			t.Errorf("born %s: alerts %+v; want %d, age known", dob, got, want)
		}
	}
	b2 := newBorough(t)
	b2.apply(rec("council_tax", "CT1", "Ann", "Lee", "1985-01-02", home, "2015-03-01", "2025-04-01"))
	unborn := rec("children_social_care", "CS9", "Baby", "Lee", "", home, "2025-03-01", "2025-04-02")
	unborn.Flags = []string{resindex.FlagChildProtectionPlan}
	b2.apply(unborn, newAdult())
	if got := b2.alerts(); len(got) != 1 || len(got[0].Children) != 1 || !got[0].Children[0].AgeUnknown {
		t.Fatalf("alerts = %+v; want one naming the unborn child, age unknown", got)
	}
}

// TestLateDepartureDoesNotStretchTheWindow: a move away the source
// records months later is dated by the move, so a return after the window
// is a new arrival.
func TestLateDepartureDoesNotStretchTheWindow(t *testing.T) {
	b := newBorough(t)
	family(b)
	b.apply(dave(home, "2024-11-01", "2024-11-03"))
	b.apply(dave(away, "2025-01-05", "2025-04-20")) // left in January, recorded in April
	b.apply(dave(home, "2025-05-20", "2025-05-25")) // back 135 days after leaving
	if n := len(b.alerts()); n != 2 {
		t.Fatalf("alerts = %d; want 2 (the return is after the window)", n)
	}
}

// TestBacklogOutOfOrder: read from many topics at once, the adult's
// source runs a year ahead before the child's placement arrives; the
// adult's move is still news as of the child's record.
func TestBacklogOutOfOrder(t *testing.T) {
	b := newBorough(t)
	b.apply(rec("council_tax", "CT1", "Ann", "Lee", "1985-01-02", home, "2015-03-01", "2024-04-01"),
		rec("electoral_roll", "ER7", "Dave", "Hart", "1990-07-08", home, "2024-05-20", "2024-05-25"),
		rec("electoral_roll", "ER8", "Ola", "Nowak", "1960-01-01", away, "2025-05-01", "2025-05-30")) // the register's topic runs ahead
	kid := rec("children_social_care", "CS1", "Tom", "Lee", "2016-05-06", home, "2024-01-10", "2024-06-01")
	kid.Flags = []string{resindex.FlagChildProtectionPlan}
	b.apply(kid)
	if got := b.alerts(); len(got) != 1 || got[0].Adult.Records[0].ID != "ER7" {
		t.Fatalf("alerts = %+v; want one naming the adult", got)
	}
}
