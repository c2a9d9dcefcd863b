package resolver_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
)

// childrenClock is the engines' clock in these tests.
var childrenClock = func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) }

// family is an adult and two children at one property: Ben's school
// record carries consent to his golden record, Amy's none.
func family() []resindex.Record {
	home := resindex.Address{UPRN: "100021000001", Lines: []string{"4 Mill Lane"}, Postcode: "N7 8QT", Current: true}
	rec := func(src, id, given, dob string, attrs map[string]string) resindex.Record {
		return resindex.Record{Source: src, ID: id, Version: "2026-01-0" + id + "T00:00:00Z", Name: resindex.Name{Given: given, Family: "Okafor"},
			DOB: dob, Addresses: []resindex.Address{home}, Attributes: attrs}
	}
	return []resindex.Record{
		rec(resindex.SourceCouncilTax, "1", "Grace", "1980-02-03", nil),
		rec(resindex.SourceSchools, "2", "Amy", "2014-05-06", nil),
		rec(resindex.SourceChildrenSocial, "3", "Amy", "2014-05-06", nil),
		rec(resindex.SourceSchools, "4", "Ben", "2012-07-08", map[string]string{resolver.AttrGoldenConsent: "yes"}),
		rec(resindex.SourceElectoralRoll, "5", "Grace", "1980-02-03", nil),
	}
}

// hasGolden reports whether the store keeps a golden record (a g/ key)
// for the person holding a record.
func hasGolden(t *testing.T, s resolver.Store, eng *resolver.Engine, k resindex.RecordKey) bool {
	t.Helper()
	pid, ok := eng.PersonOf(k)
	if !ok {
		t.Fatalf("record %s has no person", k)
	}
	found := false
	err := s.View(func(tx resindex.Txn) error {
		_, err := tx.Get(layout.Golden(pid))
		found = err == nil
		if errors.Is(err, resindex.ErrNotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// A child without recorded consent gets no golden record under the
// default policy, in a bulk load and change by change alike; a child with
// consent and an adult do; under "always" everyone does. The children
// are still linked and in the household either way.
func TestChildrenGoldenRecords(t *testing.T) {
	for _, tc := range []struct {
		policy          string
		adult, amy, ben bool
	}{
		{policy: "", adult: true, amy: false, ben: true},
		{policy: resolver.ChildrenConsent, adult: true, amy: false, ben: true},
		{policy: resolver.ChildrenAlways, adult: true, amy: true, ben: true},
	} {
		for _, path := range []string{"incremental", "bulk"} {
			t.Run(cmpOr(tc.policy, "default")+"/"+path, func(t *testing.T) {
				recs := family()
				adult, amyK, amyCSC, ben := recs[0].Key(), recs[1].Key(), recs[2].Key(), recs[3].Key() // a bulk load reorders recs
				db := MustStore(t)
				opts := resolver.EngineOptions{Population: 10, Now: childrenClock, ChildrenGolden: tc.policy}
				eng := loadFamily(t, db, opts, recs, path)
				for _, c := range []struct {
					who  string
					k    resindex.RecordKey
					want bool
				}{{"adult", adult, tc.adult}, {"Amy", amyK, tc.amy}, {"Ben", ben, tc.ben}} {
					if got := hasGolden(t, db, eng, c.k); got != c.want {
						t.Errorf("%s: golden record kept = %v, want %v", c.who, got, c.want)
					}
				}
				amy, _ := eng.PersonOf(amyK)
				if csc, _ := eng.PersonOf(amyCSC); csc != amy {
					t.Errorf("Amy's school and social care records are persons %s and %s: want one", amy, csc)
				}
				p, err := eng.Person(amy)
				if err != nil || p.NoGolden == tc.amy || len(p.Records) != 2 {
					t.Errorf("Amy as read: NoGolden %v, %d records, %v", p.NoGolden, len(p.Records), err)
				}
				if hh, err := eng.Household("uprn:100021000001"); err != nil || len(hh) != 3 {
					t.Errorf("household = %v, %v; want the adult and both children", hh, err)
				}
			})
		}
	}
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// loadFamily builds a store from records by a bulk load or change by
// change.
func loadFamily(t *testing.T, db *store.DB, opts resolver.EngineOptions, recs []resindex.Record, path string) *resolver.Engine {
	t.Helper()
	if path == "bulk" {
		eng, _, err := resolver.BulkLoad(db, batcher(db), recs, resolver.BulkOptions{Engine: opts, Stream: "bulk"})
		if err != nil {
			t.Fatal(err)
		}
		return eng
	}
	eng := MustEngine(t, db, opts)
	apply := applier(t, eng)
	for _, r := range recs {
		apply(r)
	}
	return eng
}

// The two paths agree: the same persons, households and golden records
// kept, on a generated borough with its children.
func TestChildrenGoldenBatchAgreesWithIncremental(t *testing.T) {
	recs, _ := MustBorough(t, 300, 11)
	opts := resolver.EngineOptions{Now: childrenClock}
	bulk := MustStore(t)
	be := loadFamily(t, bulk, opts, recs, "bulk")
	opts.Model, _, _ = resolver.StoredModel(bulk) // score as the load fitted
	opts.Population = 0
	inc := MustStore(t)
	opts.InitialPopulation = len(recs)
	ie := loadFamily(t, inc, opts, recs, "incremental")
	withheld, kept := 0, 0
	for _, r := range recs {
		b, i := hasGolden(t, bulk, be, r.Key()), hasGolden(t, inc, ie, r.Key())
		bp, _ := be.PersonOf(r.Key())
		ip, _ := ie.PersonOf(r.Key())
		if b != i {
			t.Errorf("record %s: golden record kept %v in bulk (person %s), %v change by change (person %s)", r.Key(), b, bp, i, ip)
		}
		if b {
			kept++
		} else {
			withheld++
		}
	}
	if withheld == 0 || kept == 0 {
		t.Errorf("%d records' persons withheld, %d kept: want children and adults both", withheld, kept)
	}
}

// Consent recorded later builds the golden record; consent withdrawn
// removes it; the policy a store was built under cannot be swapped.
func TestChildrenGoldenConsentChangesAndPolicyKept(t *testing.T) {
	db := MustStore(t)
	opts := resolver.EngineOptions{Population: 10, Now: childrenClock}
	recs := family()
	eng := loadFamily(t, db, opts, recs, "incremental")
	amy := recs[1]
	amy.Version, amy.Attributes = "2026-02-01T00:00:00Z", map[string]string{resolver.AttrGoldenConsent: "Yes"}
	if _, err := eng.Apply(amy, resindex.Position{Stream: "t", Offset: 100}); err != nil {
		t.Fatal(err)
	}
	if !hasGolden(t, db, eng, amy.Key()) {
		t.Error("consent recorded: no golden record built")
	}
	amy.Version, amy.Attributes = "2026-03-01T00:00:00Z", map[string]string{resolver.AttrGoldenConsent: "no"}
	if _, err := eng.Apply(amy, resindex.Position{Stream: "t", Offset: 101}); err != nil {
		t.Fatal(err)
	}
	if hasGolden(t, db, eng, amy.Key()) {
		t.Error("consent withdrawn: the golden record is still kept")
	}
	if _, err := resolver.NewEngine(db, resolver.EngineOptions{ChildrenGolden: resolver.ChildrenAlways}); err == nil || !strings.Contains(err.Error(), "children.golden_records") {
		t.Errorf("another policy on the store: err = %v, want it refused naming the option", err)
	}
	if _, err := resolver.NewEngine(db, resolver.EngineOptions{ChildrenGolden: "sometimes"}); !errors.Is(err, resindex.ErrInvalid) {
		t.Errorf("unknown policy: err = %v", err)
	}
	MustEngine(t, db, resolver.EngineOptions{})
	MustEngine(t, db, resolver.EngineOptions{ChildrenGolden: resolver.ChildrenConsent})
}

func TestMayBeMinor(t *testing.T) {
	now := childrenClock()
	for _, c := range []struct {
		dob, attainment string
		want            bool
	}{
		{"2010-01-01", "", true},
		{"2008-05-31", "", false}, // 18 the day before
		{"2008-06-01", "", false}, // 18 today
		{"2008-06-02", "", true},
		{"2008", "", true},        // may be December
		{"2007", "", false},       // 18 whatever the month
		{"", "", false},           // nothing says so
		{"not a date", "", false}, // nor this
		{"", "2026-09-01", true},  // attainer not yet 18
		{"", "2026-01-01", false},
	} {
		r := resindex.Record{DOB: c.dob, Attributes: map[string]string{"attainment_date": c.attainment}}
		if got := resolver.MayBeMinor([]resindex.Record{r}, now); got != c.want {
			t.Errorf("dob %q attainment %q: minor = %v, want %v", c.dob, c.attainment, got, c.want)
		}
	}
}

// A child without a golden record whose unchanged address newly resolves
// to a UPRN joins that household as "resolved", not as a move, as one
// with a golden record does; a real move is still a move.
func TestWithheldChildJoinWhy(t *testing.T) {
	for _, policy := range []string{resolver.ChildrenAlways, resolver.ChildrenConsent} {
		db := MustStore(t)
		eng := MustEngine(t, db, resolver.EngineOptions{Population: 10, Now: childrenClock, ChildrenGolden: policy})
		apply := applier(t, eng)
		text := resindex.Address{Lines: []string{"4 Mill Lane"}, Postcode: "N7 8QT", Current: true}
		kid := resindex.Record{Source: resindex.SourceSchools, ID: "S1", Version: "2026-01-01T00:00:00Z", Name: resindex.Name{Given: "Amy", Family: "Okafor"},
			DOB: "2014-05-06", Addresses: []resindex.Address{text}}
		apply(kid)
		withUPRN := text
		withUPRN.UPRN = "100021000001"
		apply(resindex.Record{Source: resindex.SourceCouncilTax, ID: "C1", Version: "2026-01-02T00:00:00Z", Name: resindex.Name{Given: "Grace", Family: "Hill"},
			DOB: "1970-01-01", Addresses: []resindex.Address{withUPRN}})
		kid.Version, kid.Phones = "2026-01-03T00:00:00Z", []string{"07700900123"}
		apply(kid)
		if why := lastJoinWhy(t, db); why != resindex.JoinResolved {
			t.Errorf("%s: the same address resolved: joined %q, want %q", policy, why, resindex.JoinResolved)
		}
		kid.Version, kid.Addresses = "2026-01-04T00:00:00Z", []resindex.Address{{UPRN: "100021000077", Lines: []string{"7 Kiln Road"}, Postcode: "E1 6AN", Current: true}}
		apply(kid)
		if why := lastJoinWhy(t, db); why != resindex.JoinMoved {
			t.Errorf("%s: a move: joined %q, want %q", policy, why, resindex.JoinMoved)
		}
	}
}

// lastJoinWhy is the why of the change feed's last household.joined.
func lastJoinWhy(t *testing.T, db *store.DB) string {
	t.Helper()
	why := ""
	err := db.Outbox(0, 0, func(_ uint64, p []byte) error {
		var c resindex.Change
		if err := json.Unmarshal(p, &c); err != nil {
			return err
		}
		if c.Type == resindex.ChangeHouseholdJoined {
			why = c.Why
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return why
}

func FuzzParseChildrenGolden(f *testing.F) {
	for _, s := range []string{"", "consent", "always", "Consent", "never"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := resolver.ParseChildrenGolden(s)
		switch {
		case err == nil && got != s:
			t.Fatalf("%q read as %q", s, got)
		case err == nil && s != "" && s != resolver.ChildrenConsent && s != resolver.ChildrenAlways:
			t.Fatalf("%q accepted", s)
		case err != nil && !errors.Is(err, resindex.ErrInvalid):
			t.Fatalf("%q: error %v not of kind invalid", s, err)
		}
	})
}

// A child who turns 18 with no change to their records gets their golden
// record from the scheduled refresh; a child still under 18 does not.
func TestRefreshGoldenRecordsOnTurning18(t *testing.T) {
	clock := childrenClock()
	db := MustStore(t)
	eng := MustEngine(t, db, resolver.EngineOptions{Population: 10, Now: func() time.Time { return clock }})
	apply := applier(t, eng)
	home := resindex.Address{UPRN: "100021000001", Lines: []string{"4 Mill Lane"}, Postcode: "N7 8QT", Current: true}
	soon := resindex.Record{Source: resindex.SourceSchools, ID: "S1", Version: "2026-01-01T00:00:00Z", Name: resindex.Name{Given: "Amy", Family: "Okafor"},
		DOB: "2008-06-10", Addresses: []resindex.Address{home}}
	later := resindex.Record{Source: resindex.SourceSchools, ID: "S2", Version: "2026-01-01T00:00:00Z", Name: resindex.Name{Given: "Ben", Family: "Okafor"},
		DOB: "2012-07-08", Addresses: []resindex.Address{home}}
	apply(soon)
	apply(later)
	if n, err := eng.RefreshGoldenRecords(); n != 0 || err != nil {
		t.Fatalf("refresh before anyone turns 18: %d built, %v", n, err)
	}
	clock = clock.AddDate(0, 0, 10) // 11 June 2026: Amy is 18
	if n, err := eng.RefreshGoldenRecords(); n != 1 || err != nil {
		t.Fatalf("refresh after Amy's 18th birthday: %d built, %v; want 1", n, err)
	}
	if !hasGolden(t, db, eng, soon.Key()) || hasGolden(t, db, eng, later.Key()) {
		t.Errorf("after the refresh: Amy's golden record kept %v (want true), Ben's %v (want false)",
			hasGolden(t, db, eng, soon.Key()), hasGolden(t, db, eng, later.Key()))
	}
	clock = clock.Add(time.Hour)
	if n, err := eng.RefreshGoldenRecords(); n != 0 || err != nil {
		t.Errorf("a second refresh: %d built, %v; want none", n, err)
	}
	if hh, _ := eng.Household("uprn:100021000001"); len(hh) != 2 {
		t.Errorf("household after the refresh: %v", hh)
	}
}
