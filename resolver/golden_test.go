package resolver_test

import (
	"errors"
	"testing"

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
	g := resolver.GoldenRecord(recs, resolver.DefaultTrust)
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
}

func TestGetPersonFollowsRedirects(t *testing.T) {
	db := MustStore(t)
	eng := MustEngine(t, db, resolver.EngineOptions{Population: 10})
	a := resindex.Record{Source: "ct", ID: "1", Version: "1", Name: resindex.Name{Given: "Ann", Family: "Lee"}, DOB: "1990-01-02",
		Identifiers: map[string]string{"nino": "AB123456C"}}
	b := resindex.Record{Source: "er", ID: "2", Version: "1", Name: resindex.Name{Given: "Zed", Family: "Quill"}}
	eng.Apply(a, resindex.Position{Stream: "t", Offset: 1})
	eng.Apply(b, resindex.Position{Stream: "t", Offset: 2})
	ids := map[string]string{}
	for _, as := range exportAll(t, db) {
		ids[as.Key.ID] = as.PersonID
	}
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
