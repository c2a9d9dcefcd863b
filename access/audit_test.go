package access_test

import (
	"testing"
	"time"

	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/store"
)

func TestAuditRecordAndQuery(t *testing.T) {
	db, err := store.Open(store.Options{Dir: t.TempDir(), GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	t0 := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	entries := []access.AuditEntry{
		{At: t0, User: "ann", Role: "frontline", Action: "search", Query: "family=Lee", Persons: []string{"P1", "P2"}, Outcome: "ok"},
		{At: t0.Add(time.Hour), User: "bob", Role: "fraud", Action: "view", Persons: []string{"P2"}, Outcome: "ok"},
		{At: t0.Add(2 * time.Hour), User: "ann", Role: "frontline", Action: "view", Persons: []string{"P3"}, Reason: "", Outcome: "denied"},
	}
	for _, e := range entries {
		if err := access.Record(db, e); err != nil {
			t.Fatal(err)
		}
	}
	count := func(f access.AuditFilter) int {
		n := 0
		if err := access.Entries(db, f, func(uint64, access.AuditEntry) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, tc := range []struct {
		name string
		f    access.AuditFilter
		want int
	}{
		{"all", access.AuditFilter{}, 3},
		{"by person", access.AuditFilter{Person: "P2"}, 2},
		{"by user", access.AuditFilter{User: "ann"}, 2},
		{"since", access.AuditFilter{Since: t0.Add(30 * time.Minute)}, 2},
		{"until", access.AuditFilter{Until: t0.Add(time.Hour)}, 1},
		{"user and person", access.AuditFilter{User: "ann", Person: "P3"}, 1},
	} {
		if got := count(tc.f); got != tc.want {
			t.Errorf("%s: %d entries, want %d", tc.name, got, tc.want)
		}
	}
	if n, err := db.VerifyAudit(); err != nil || n != 3 {
		t.Fatalf("verify: %d, %v", n, err)
	}
}
