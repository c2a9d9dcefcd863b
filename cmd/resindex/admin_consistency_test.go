package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
)

// checkStoreConsistent opens a store (a restored copy: nothing else
// holds it) and checks that its persons and memberships agree both
// ways (storeProblems).
func checkStoreConsistent(t *testing.T, data string) {
	t.Helper()
	db, err := store.Open(store.Options{Dir: data})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	problems, err := storeProblems(db)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s: %s", data, p)
	}
}

// storeProblems: every record's person exists under its own ID (not
// merged away) and lists exactly the records that name it, each of them
// stored, and no stored person lists a record that does not name it.
func storeProblems(db *store.DB) ([]string, error) {
	members := map[string]map[resindex.RecordKey]bool{}
	if err := resolver.Export(db, func(a resindex.Assignment) error {
		if members[a.PersonID] == nil {
			members[a.PersonID] = map[resindex.RecordKey]bool{}
		}
		members[a.PersonID][a.Key] = true
		return nil
	}); err != nil {
		return nil, err
	}
	problems := []string{}
	if len(members) == 0 {
		problems = append(problems, "no persons")
	}
	for pid, keys := range members {
		problems = append(problems, personProblems(db, pid, keys)...)
	}
	err := db.View(func(tx resindex.Txn) error {
		return tx.Scan([]byte(layout.PersonPrefix), func(key, _ []byte) error {
			if pid := strings.TrimPrefix(string(key), layout.PersonPrefix); members[pid] == nil {
				problems = append(problems, personProblems(db, pid, nil)...)
			}
			return nil
		})
	})
	return problems, err
}

// personProblems: pid is stored under its own ID and lists exactly
// keys, each a stored record.
func personProblems(db *store.DB, pid string, keys map[resindex.RecordKey]bool) []string {
	p, err := resolver.GetPerson(db, pid)
	if len(keys) == 0 && (err != nil || len(p.Records) == 0) {
		return nil // neither a member's person nor a person with records
	}
	if err != nil || p.ID != pid {
		return []string{fmt.Sprintf("records name person %s: read as %q, %v", pid, p.ID, err)}
	}
	var problems []string
	if len(p.Records) != len(keys) {
		problems = append(problems, fmt.Sprintf("person %s lists %d records, %d name it", pid, len(p.Records), len(keys)))
	}
	for _, k := range p.Records {
		if !keys[k] {
			problems = append(problems, fmt.Sprintf("person %s lists %v, whose membership names another person", pid, k))
		}
		if err := db.View(func(tx resindex.Txn) error { _, err := tx.Get(layout.Record(k)); return err }); err != nil {
			problems = append(problems, fmt.Sprintf("person %s lists %v, not stored: %v", pid, k, err))
		}
	}
	return problems
}

// TestStoreProblems: the check finds a store whose person and
// membership disagree, and passes one ingest made.
func TestStoreProblems(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "gen", "--persons", "30", "--seed", "3", "--out", dir, "--quiet", "--no-events")
	data := filepath.Join(dir, "store")
	mustRun(t, "ingest", "--canonical", filepath.Join(dir, "canonical"), "--data", data, "--quiet")
	db, err := store.Open(store.Options{Dir: data})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if p, err := storeProblems(db); err != nil || len(p) != 0 {
		t.Fatalf("a store ingest made: %v %v", p, err)
	}
	var first resindex.Assignment
	resolver.Export(db, func(a resindex.Assignment) error {
		if first.PersonID == "" {
			first = a
		}
		return nil
	})
	if err := db.Update(func(tx resindex.Txn) error { return tx.Delete(layout.Record(first.Key)) }); err != nil {
		t.Fatal(err)
	}
	if p, _ := storeProblems(db); len(p) == 0 || !strings.Contains(strings.Join(p, "\n"), "not stored") {
		t.Errorf("a person listing a deleted record: %v", p)
	}
}
