package resolver_test

import (
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/resolver"
)

// TestLiveRecordsReadsEveryLiveRecordOnce: each live record of each
// source comes once, with its person and its property (a UPRN-less
// address placed at the UPRN other records give it); a deleted record
// does not come at all.
func TestLiveRecordsReadsEveryLiveRecordOnce(t *testing.T) {
	const uprn = "100021000001"
	withUPRN := resindex.Address{UPRN: uprn, Lines: []string{"Flat 2 Carlton House", "10 High Street"}, Postcode: "N7 8QT"}
	noUPRN := resindex.Address{Lines: []string{"FLAT 2, CARLTON HSE, 10 HIGH ST"}, Postcode: "N7 8QT"}
	elsewhere := resindex.Address{Lines: []string{"1 Low Road"}, Postcode: "E1 6AN"}
	db := MustStore(t)
	eng := MustEngine(t, db, resolver.EngineOptions{Population: 10})
	apply := applier(t, eng)
	apply(resident("ct", "1", "Ann", "Lee", "1970-01-02", withUPRN))
	apply(resident("hb", "2", "Raj", "Patel", "1968-03-04", noUPRN))
	apply(resident("lib", "3", "Cat", "Sim", "1972-05-06", elsewhere))
	apply(resident("lib", "4", "Dee", "Ola", "1975-07-08", elsewhere))
	apply(resindex.Record{Source: "lib", ID: "4", Version: "2025-02-01T00:00:00Z", Deleted: true})
	owners := personByID(t, db)
	got := map[string]resindex.Property{}
	err := resolver.LiveRecords(db, func(pid string, r *resindex.Record, p resindex.Property) error {
		if _, dup := got[r.ID]; dup {
			t.Errorf("record %s came twice", r.Key())
		}
		if owners[r.ID] != pid {
			t.Errorf("record %s came with person %s, want %s", r.Key(), pid, owners[r.ID])
		}
		got[r.ID] = p
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("got records %v; want 1, 2 and 3", got)
	}
	if got["1"].UPRN != uprn || got["2"].UPRN != uprn || !got["2"].Inferred || got["3"].UPRN != "" || got["3"].Key == "" {
		t.Errorf("places %+v", got)
	}
}
