package resolver_test

import (
	"encoding/json"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
)

// joins reads the household.joined entries of the change feed.
func joins(t *testing.T, db *store.DB) []resindex.Change {
	t.Helper()
	var out []resindex.Change
	err := db.Outbox(0, 0, func(_ uint64, p []byte) error {
		var c resindex.Change
		if err := json.Unmarshal(p, &c); err != nil {
			return err
		}
		if c.Type == resindex.ChangeHouseholdJoined {
			out = append(out, c)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func resident(src, id, given, family, dob string, a resindex.Address) resindex.Record {
	a.Current = true
	return resindex.Record{Source: src, ID: id, Version: "2025-01-01T00:00:00Z", Name: resindex.Name{Given: given, Family: family},
		DOB: dob, Addresses: []resindex.Address{a}}
}

// TestAddressWithoutUPRNJoinsTheProperty: a person whose only address has
// no UPRN joins the household of the property other records give it for,
// however the source spells it, and the change feed says the UPRN was
// inferred and how surely. An address no UPRN is known for keeps its text
// key; a different flat at the same number is a different property.
func TestAddressWithoutUPRNJoinsTheProperty(t *testing.T) {
	const uprn = "100021000001"
	withUPRN := resindex.Address{UPRN: uprn, Lines: []string{"Flat 2 Carlton House", "10 High Street"}, Postcode: "N7 8QT"}
	cases := []struct {
		name    string
		address resindex.Address
		want    string // household key; "" for "not the UPRN's"
		sure    float64
	}{
		{"same text", resindex.Address{Lines: []string{"Flat 2 Carlton House", "10 High Street"}, Postcode: "N7 8QT"}, "uprn:" + uprn, 0.99},
		{"other spelling", resindex.Address{Lines: []string{"FLAT 2, CARLTON HSE, 10 HIGH ST"}, Postcode: "n78qt"}, "uprn:" + uprn, 0.99},
		{"no building", resindex.Address{Lines: []string{"2/10 High Street"}, Postcode: "N7 8QT"}, "uprn:" + uprn, 0.9},
		{"no postcode", resindex.Address{Lines: []string{"Flat 2 Carlton House", "10 High Street"}, Town: "London"}, "uprn:" + uprn, 0.8},
		{"unit mistyped", resindex.Address{Lines: []string{"Flat 2 Carlton House", "10 High Street"}, Postcode: "N7 8QZ"}, "uprn:" + uprn, 0.7},
		{"other flat", resindex.Address{Lines: []string{"Flat 3 Carlton House", "10 High Street"}, Postcode: "N7 8QT"}, "", 0},
		{"other district", resindex.Address{Lines: []string{"Flat 2 Carlton House", "10 High Street"}, Postcode: "E1 6AN"}, "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := MustStore(t)
			eng := MustEngine(t, db, resolver.EngineOptions{Population: 10})
			apply := applier(t, eng)
			apply(resident("ct", "1", "Ann", "Lee", "1970-01-02", withUPRN))
			apply(resident("hb", "2", "Raj", "Patel", "1968-03-04", c.address))
			pid := personByID(t, db)["2"]
			p, err := eng.Person(pid)
			if err != nil {
				t.Fatal(err)
			}
			j := joins(t, db)
			last := j[len(j)-1]
			if last.Person != pid || last.Why != resindex.JoinMoved || last.Property == nil {
				t.Fatalf("join = %+v; want %s moved in, with the property", last, pid)
			}
			if c.want == "" {
				if p.Household == "uprn:"+uprn || last.Property.Inferred {
					t.Fatalf("household %s (%+v); want a text key of its own", p.Household, last.Property)
				}
				return
			}
			if p.Household != c.want {
				t.Fatalf("household = %q; want %q", p.Household, c.want)
			}
			if pr := last.Property; !pr.Inferred || pr.UPRN != uprn || pr.Confidence < c.sure-0.001 || pr.Confidence > c.sure+0.001 {
				t.Errorf("property in the feed = %+v; want %s inferred at %.2f", pr, uprn, c.sure)
			}
			if got, err := eng.Property(c.address); err != nil || got.Key != c.want {
				t.Errorf("Property = %+v, %v", got, err)
			}
		})
	}
}

// TestInferenceFollowsTheMajority: when records disagree on an address's
// UPRN, the one most give wins, with a confidence to match; a tie is no
// answer.
func TestInferenceFollowsTheMajority(t *testing.T) {
	a := resindex.Address{Lines: []string{"10 High Street"}, Postcode: "N7 8QT"}
	with := func(u string) resindex.Address { b := a; b.UPRN = u; return b }
	db := MustStore(t)
	eng := MustEngine(t, db, resolver.EngineOptions{Population: 10})
	apply := applier(t, eng)
	apply(resident("ct", "1", "Ann", "Lee", "1970-01-02", with("100021000001")))
	apply(resident("er", "2", "Bob", "Ray", "1971-01-02", with("100021000002")))
	if p, _ := eng.Property(a); p.Inferred {
		t.Fatalf("a tie gave %+v", p)
	}
	apply(resident("er", "3", "Cat", "Sim", "1972-01-02", with("100021000001")))
	p, err := eng.Property(a)
	if err != nil || p.UPRN != "100021000001" || p.Confidence > 0.67 || p.Confidence < 0.65 {
		t.Fatalf("two to one gave %+v, %v; want 100021000001 at about 0.66", p, err)
	}
}

// TestJoinSaysWhy: a merge into a person already in the household, and
// an address newly resolved to its UPRN, are joins the feed tells apart
// from a move, so that no one is alerted about a person who was there.
func TestJoinSaysWhy(t *testing.T) {
	home := resindex.Address{UPRN: "100021000001", Lines: []string{"4 Mill Lane"}, Postcode: "N7 8QT"}
	text := resindex.Address{Lines: []string{"4 Mill Lane"}, Postcode: "N7 8QT"}
	db := MustStore(t)
	eng := MustEngine(t, db, resolver.EngineOptions{Population: 10})
	apply := applier(t, eng)
	// Raj is known first only by a record without a UPRN: a text key.
	raj := resident("hb", "2", "Raj", "Patel", "1968-03-04", text)
	apply(raj)
	if p, _ := eng.Person(personByID(t, db)["2"]); p.Household != "|4||mill lane|N78QT" {
		t.Fatalf("household before the UPRN is known = %q", p.Household)
	}
	apply(resident("ct", "1", "Ann", "Lee", "1970-01-02", home))
	// Raj's record changes nothing about where he lives: he is placed at
	// the UPRN, resolved, not moved.
	raj.Version, raj.LastActivity = "2025-02-01T00:00:00Z", "2025-02-01"
	apply(raj)
	j := joins(t, db)
	if last := j[len(j)-1]; last.Person != personByID(t, db)["2"] || last.Why != resindex.JoinResolved {
		t.Fatalf("last join = %+v; want Raj, resolved", last)
	}
	// Yan, known to the electoral roll elsewhere, and a library record
	// at the property under another name, joined by a steward: Yan's
	// person (the older) takes the library record and its address, which
	// was in the household already. A merge, not a move.
	yan := resident("er", "5", "Yan", "Xu", "1980-01-01", resindex.Address{UPRN: "100021000009", Lines: []string{"9 Kiln Road"}, Postcode: "E1 6AN"})
	yan.Version = "2024-01-01T00:00:00Z"
	apply(yan)
	lib := resident("lib", "9", "Zed", "Quill", "1990-07-08", home)
	apply(lib)
	ids := personByID(t, db)
	before := len(joins(t, db))
	if err := eng.SetOverride(yan.Key(), lib.Key(), resolver.Override{Kind: resolver.OverrideLink, Reason: "same"}, resindex.Position{Stream: "t", Offset: 99}); err != nil {
		t.Fatal(err)
	}
	after := personByID(t, db)
	if after["5"] != after["9"] || after["5"] != ids["5"] {
		t.Fatalf("override did not merge the library record into Yan: %v then %v", ids, after)
	}
	got := joins(t, db)[before:]
	if len(got) != 1 || got[0].Person != ids["5"] || got[0].Why != resindex.JoinMerged {
		t.Fatalf("joins after the merge = %+v; want Yan, merged", got)
	}
}
