package resolver_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/resolver"
)

func TestGoldenRecordTrustRecencyProvenance(t *testing.T) {
	recs := []resindex.Record{
		{Source: resindex.SourceContactCentre, ID: "cc", Version: "2026-09-01", Name: resindex.Name{Given: "Peg", Family: "Okafor"},
			Addresses: []resindex.Address{{Lines: []string{"9 New Road"}, Postcode: "E1 6AN", Current: true}}, Phones: []string{"07700 900000"}},
		{Source: resindex.SourceElectoralRoll, ID: "er", Version: "2025-12-01", Name: resindex.Name{Given: "Margaret", Family: "Okafor"},
			DOB: "1975-06-30", Addresses: []resindex.Address{{Lines: []string{"4 Mill Lane"}, Postcode: "N7 8QT", Current: true}}},
		{Source: resindex.SourceCouncilTax, ID: "ct", Version: "2026-01-01", DOB: "not a date", Identifiers: map[string]string{"nino": "AB123456C"}},
	}
	g := resindex.GoldenRecord(recs, resindex.DefaultTrust, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	if g.Name.Value.Given != "Margaret" || g.Name.From.Source != resindex.SourceElectoralRoll {
		t.Errorf("name from %+v, want the electoral register's", g.Name)
	}
	if g.DOB.Value != "1975-06-30" {
		t.Errorf("dob %q: an unparseable date must not win", g.DOB.Value)
	}
	if g.Address.Value.Postcode != "E1 6AN" || g.Address.From.Record != "cc" {
		t.Errorf("address %+v, want the most recent residence evidence", g.Address)
	}
	if g.Identifiers["nino"].From.Source != resindex.SourceCouncilTax || g.Phones.From.Record != "cc" {
		t.Errorf("identifiers %+v phones %+v", g.Identifiers, g.Phones)
	}
	// Outside the activity window the newest record no longer says where
	// the person lives.
	recs[0].LastActivity = "2023-06-01"
	g = resindex.GoldenRecord(recs, resindex.DefaultTrust, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	if g.Address.Value.Postcode != "N7 8QT" {
		t.Errorf("stale record gave the address %+v", g.Address)
	}
}

func TestGetPersonFollowsRedirects(t *testing.T) {
	db := MustStore(t)
	eng := MustEngine(t, db, resolver.EngineOptions{Population: 10})
	a := resindex.Record{Source: "ct", ID: "1", Version: "1", Name: resindex.Name{Given: "Ann", Family: "Lee"}, DOB: "1990-01-02",
		Identifiers: map[string]string{"nino": "AB123456C"}}
	b := resindex.Record{Source: "er", ID: "2", Version: "1", Name: resindex.Name{Given: "Zed", Family: "Quill"}}
	eng.Apply(a, resindex.Position{Stream: "t", Offset: 1})
	eng.Apply(b, resindex.Position{Stream: "t", Offset: 2})
	ids := personByID(t, db)
	if err := eng.SetOverride(a.Key(), b.Key(), resolver.Override{Kind: resolver.OverrideLink, Reason: "test"}, resindex.Position{Stream: "t", Offset: 3}); err != nil {
		t.Fatal(err)
	}
	p, err := resolver.GetPerson(db, ids["2"])
	if err != nil || p.ID != ids["1"] || len(p.Records) != 2 {
		t.Fatalf("person %s after merge = %+v, %v; want %s with both records", ids["2"], p, err, ids["1"])
	}
	if p.Golden.Name == nil || p.Golden.Identifiers["nino"].Value != "AB123456C" {
		t.Errorf("golden record %+v", p.Golden)
	}
	if _, err := resolver.GetPerson(db, "P9999999999"); !errors.Is(err, resindex.ErrNotFound) {
		t.Errorf("missing person: %v", err)
	}
}

// TestAddressByMoveInDate: the current address is the one the person
// moved to last, by the from date the address gives, not the record
// written last: a library card renewed this year at the old address does
// not move them back.
func TestAddressByMoveInDate(t *testing.T) {
	recs := []resindex.Record{
		{Source: resindex.SourceLibraries, ID: "lb", Version: "2026-09-01",
			Addresses: []resindex.Address{{Lines: []string{"4 Mill Lane"}, Postcode: "N7 8QT", From: "2019-03-01", Current: true}}},
		{Source: resindex.SourceCouncilTax, ID: "ct", Version: "2026-02-01",
			Addresses: []resindex.Address{{Lines: []string{"9 New Road"}, Postcode: "E1 6AN", From: "2026-01-15", Current: true}}},
	}
	g := resindex.GoldenRecord(recs, resindex.DefaultTrust, time.Time{})
	if g.Address == nil || g.Address.From.Record != "ct" {
		t.Fatalf("address %+v; want the council tax's, moved into last", g.Address)
	}
	// Without from dates, the record written last says.
	recs[0].Addresses[0].From, recs[1].Addresses[0].From = "", ""
	if g := resindex.GoldenRecord(recs, resindex.DefaultTrust, time.Time{}); g.Address.From.Record != "lb" {
		t.Errorf("without from dates: address %+v; want the newest record's", g.Address)
	}
}

// TestHouseholdsJoinAndLeave: people at one property form a household; a
// move is a leave and a join, with the record that showed it.
func TestHouseholdsJoinAndLeave(t *testing.T) {
	db := MustStore(t)
	eng := MustEngine(t, db, resolver.EngineOptions{Population: 10})
	home := resindex.Address{UPRN: "100021000001", Lines: []string{"4 Mill Lane"}, Postcode: "N7 8QT", Current: true}
	mum := resindex.Record{Source: "ct", ID: "1", Version: "1", Name: resindex.Name{Given: "Ann", Family: "Lee"}, DOB: "1970-01-02",
		Addresses: []resindex.Address{home}}
	son := resindex.Record{Source: "sch", ID: "2", Version: "1", Name: resindex.Name{Given: "Tom", Family: "Lee"}, DOB: "2012-05-06",
		Addresses: []resindex.Address{home}}
	for i, r := range []resindex.Record{mum, son} {
		if _, err := eng.Apply(r, resindex.Position{Stream: "t", Offset: int64(i + 1)}); err != nil {
			t.Fatal(err)
		}
	}
	hh, err := resolver.GetHousehold(db, "uprn:100021000001")
	if err != nil || len(hh.Persons) != 2 {
		t.Fatalf("household = %+v, %v; want two persons", hh, err)
	}
	son.Version = "2"
	son.Addresses = []resindex.Address{{UPRN: "100021000002", Lines: []string{"6 Mill Lane"}, Postcode: "N7 8QT", Current: true}}
	if _, err := eng.Apply(son, resindex.Position{Stream: "t", Offset: 3}); err != nil {
		t.Fatal(err)
	}
	if hh, _ := resolver.GetHousehold(db, "uprn:100021000001"); len(hh.Persons) != 1 {
		t.Fatalf("old household after the move = %+v", hh)
	}
	if hh, _ := resolver.GetHousehold(db, "uprn:100021000002"); len(hh.Persons) != 1 {
		t.Fatalf("new household after the move = %+v", hh)
	}
	var changes []string
	db.Outbox(0, 0, func(_ uint64, p []byte) error { changes = append(changes, string(p)); return nil })
	last := strings.Join(changes[len(changes)-3:], "\n")
	left := strings.Index(last, `"household.left"`)
	joined := strings.Index(last, `"household.joined","person"`)
	if left < 0 || joined < left || !strings.Contains(last[joined:], `"record":"2"`) {
		t.Errorf("move not in the change feed, left then joined with its evidence:\n%s", last)
	}
}
