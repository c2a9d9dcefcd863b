package resolver_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/resolver"
)

// TestEraseResumes: an erasure stopped after its purge (a crash, a
// conflict, a failed scrub) is finished by erasing the same ID again;
// erasing it once more is not found.
func TestEraseResumes(t *testing.T) {
	db := MustStore(t)
	eng, _ := resolver.NewEngine(db, resolver.EngineOptions{})
	a := resindex.Record{Source: "council_tax", ID: "A1", Version: "1", Name: resindex.Name{Given: "Ottoline", Family: "Vexworth"}, DOB: "1970-02-03"}
	eng.Apply(a, resindex.Position{Stream: "t", Offset: 1})
	pid, _ := eng.PersonOf(a.Key())
	db.Update(func(tx resindex.Txn) error {
		return tx.Set(layout.Notice(1), []byte(`{"person":"`+pid+`","correction":{"name":"Ottoline Vexworth-Smith"}}`))
	})
	if _, err := eng.PurgeRecords([]resindex.RecordKey{a.Key()}); err != nil { // Erase's first step; then the process dies
		t.Fatal(err)
	}
	rep, err := eng.Erase(pid)
	if err != nil || !rep.Resumed || rep.Notices != 1 {
		t.Fatalf("erase after the purge: %+v, %v", rep, err)
	}
	if _, err := eng.Erase(pid); !errors.Is(err, resindex.ErrNotFound) {
		t.Errorf("erasing a finished erasure again: %v, want not found", err)
	}
	db.View(func(tx resindex.Txn) error {
		v, err := tx.Get(layout.Notice(1))
		if err == nil {
			t.Errorf("the notice naming %s survives: %s", pid, v)
		}
		return nil
	})
}

// TestEraseReachesMergedAwayIDs: a restriction and a notice recorded under
// an ID later merged into the person are erased with them.
func TestEraseReachesMergedAwayIDs(t *testing.T) {
	db := MustStore(t)
	eng, err := resolver.NewEngine(db, resolver.EngineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	home := []resindex.Address{{UPRN: "100023336956", Lines: []string{"4 Mill Lane"}, Postcode: "N7 8QT", Current: true}}
	a := resindex.Record{Source: "council_tax", ID: "A1", Version: "1", Name: resindex.Name{Given: "Ottoline", Family: "Vexworth"}, DOB: "1970-02-03", Addresses: home}
	b := resindex.Record{Source: "housing", ID: "B1", Version: "1", Name: resindex.Name{Given: "Otty", Family: "Smith"}, DOB: "1971-05-05"}
	eng.Apply(a, resindex.Position{Stream: "t", Offset: 1})
	eng.Apply(b, resindex.Position{Stream: "t", Offset: 2})
	pa, _ := eng.PersonOf(a.Key())
	pb, _ := eng.PersonOf(b.Key())
	if pa == pb {
		t.Fatal("the two records linked without the override: the test needs two persons")
	}
	db.Update(func(tx resindex.Txn) error {
		tx.Set(layout.Rights(pb), []byte(`{"restriction":{"by":"ig","reason":"Otty Smith asked, 07700900123"}}`))
		return tx.Set(layout.Notice(1), []byte(`{"person":"`+pb+`","correction":{"name":"Otty Smith","address":"9 Kiln Road"}}`))
	})
	if err := eng.Override(a.Key(), b.Key(), resolver.OverrideLink, "same"); err != nil {
		t.Fatal(err)
	}
	pa2, _ := eng.PersonOf(a.Key())
	pb2, _ := eng.PersonOf(b.Key())
	if pa2 != pb2 {
		t.Fatalf("the override did not merge %s and %s", pa2, pb2)
	}
	rep, err := eng.Erase(pa2)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Rights || rep.Notices != 1 {
		t.Errorf("report: rights=%v notices=%d, want the merged-away ID's restriction and notice", rep.Rights, rep.Notices)
	}
	db.View(func(tx resindex.Txn) error {
		return tx.Scan(nil, func(k, v []byte) error {
			if strings.Contains(strings.ToLower(string(v)), "otty") {
				t.Errorf("after erasure %q = %s", k, v)
			}
			return nil
		})
	})
}
