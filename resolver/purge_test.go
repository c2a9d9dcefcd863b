package resolver_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/resolver"
)

// TestPurgeRecords: purging one record of a person leaves the person with
// the rest; the record, its tombstone, its overrides and every index
// entry naming it are gone, and a term count only it held is deleted;
// purging the rest leaves no person and no redirect to them; a later
// upsert creates only the record it sends.
func TestPurgeRecords(t *testing.T) {
	db := MustStore(t)
	eng := MustEngine(t, db, resolver.EngineOptions{})
	apply := applier(t, eng)
	home := []resindex.Address{{UPRN: "100023336956", Lines: []string{"4 Mill Lane"}, Postcode: "N7 8QT", Current: true}}
	a := resindex.Record{Source: "council_tax", ID: "A1", Version: "1", Name: resindex.Name{Given: "Ottoline", Family: "Vexworth"},
		DOB: "1970-02-03", Identifiers: map[string]string{"nino": "JG103759A", "nhs": "9434765919"}, Addresses: home}
	b := a
	b.Source, b.ID, b.Identifiers = "libraries", "B1", map[string]string{"nhs": "9434765919"}
	b.Emails = []string{"ottoline@example.org"}
	other := resindex.Record{Source: "housing", ID: "H1", Version: "1", Name: resindex.Name{Given: "Pru", Family: "Vexworth"}, DOB: "1990-01-01", Addresses: home}
	apply(a)
	apply(b)
	apply(other)
	pid, _ := eng.PersonOf(a.Key())
	if pb, _ := eng.PersonOf(b.Key()); pb != pid {
		t.Fatalf("a and b not linked: %s, %s", pid, pb)
	}
	if err := eng.Override(b.Key(), other.Key(), resolver.OverrideUnlink, "not the same"); err != nil {
		t.Fatal(err)
	}
	rep, err := eng.PurgeRecords([]resindex.RecordKey{b.Key(), {Source: "parking", ID: "none"}})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Records["libraries"] != 1 || len(rep.Persons) != 1 || rep.Persons[0] != pid || rep.Overrides != 1 {
		t.Fatalf("purge of b: %+v", rep)
	}
	p, err := eng.Person(pid)
	if err != nil || len(p.Records) != 1 || p.Records[0].ID != "A1" {
		t.Fatalf("after purging b, the person: %+v, %v", p, err)
	}
	noTrace(t, db, "B1", "ottoline@example.org")
	if _, err := eng.PurgeRecords([]resindex.RecordKey{a.Key()}); err != nil {
		t.Fatal(err)
	}
	if _, err := eng.Person(pid); !errors.Is(err, resindex.ErrNotFound) {
		t.Fatalf("after purging every record, the person: %v", err)
	}
	noTrace(t, db, "A1", "ottoline", "jg103759a")
	b.Version = "2"
	apply(b)
	again, _ := eng.PersonOf(b.Key())
	if p, err := eng.Person(again); err != nil || len(p.Records) != 1 {
		t.Fatalf("a later upsert: %+v, %v", p, err)
	}
}

// noTrace fails if any key or value of the store holds one of the
// values (lower-cased), other than the change feed and the audit log,
// which the erasure (not a purge) deals with.
func noTrace(t *testing.T, db resolver.Store, values ...string) {
	t.Helper()
	err := db.View(func(tx resindex.Txn) error {
		return tx.Scan(nil, func(k, v []byte) error {
			if bytes.HasPrefix(k, []byte(layout.OutboxPrefix)) {
				return nil
			}
			kv := bytes.ToLower(append(append([]byte{}, k...), v...))
			for _, x := range values {
				if bytes.Contains(kv, []byte(x)) {
					t.Errorf("%q is still in a key of kind %s", x, layout.PrefixOf(k))
				}
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}
