package main

import (
	"encoding/binary"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/store"
)

// TestAuditCommands: every command-line search and override is in the
// audit log; audit list finds them by person and user; audit verify
// passes, and fails once an entry is edited in the store.
func TestAuditCommands(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "gen", "--persons", "200", "--seed", "6", "--out", dir, "--quiet", "--no-events")
	data := filepath.Join(dir, "store")
	mustRun(t, "ingest", "--canonical", filepath.Join(dir, "canonical"), "--data", data, "--quiet")
	var rec resindex.Record
	line, _, _ := strings.Cut(mustReadFile(t, filepath.Join(dir, "canonical", "council_tax.ndjson")), "\n")
	if err := json.Unmarshal([]byte(line), &rec); err != nil {
		t.Fatal(err)
	}
	out, _ := mustRun(t, "search", "--data", data, "--family", rec.Name.Family, "--given", rec.Name.Given, "--limit", "3")
	mustRun(t, "search", "--data", data, "--family", "Nobodyatall")
	first := strings.Fields(strings.Split(out, "\n")[1])[0] // the first person found
	out, _ = mustRun(t, "audit", "verify", "--data", data)
	if !strings.Contains(out, "intact: 2 entries") {
		t.Fatalf("audit verify: %s", out)
	}
	user, _ := operator()
	list, _ := mustRun(t, "audit", "list", "--data", data, "--user", user)
	if n := strings.Count(list, "\n"); n != 2 || !strings.Contains(list, `"action":"search"`) || !strings.Contains(list, `"role":"operator"`) {
		t.Fatalf("audit list by user: %d entries\n%s", n, list)
	}
	byPerson, _ := mustRun(t, "audit", "list", "--data", data, "--person", first)
	if !strings.Contains(byPerson, first) || !strings.Contains(byPerson, `"query":"--data`) {
		t.Fatalf("audit list by person %s:\n%s", first, byPerson)
	}
	if none, _ := mustRun(t, "audit", "list", "--data", data, "--since", "2999-01-01T00:00:00Z"); none != "" {
		t.Fatalf("entries from the future: %s", none)
	}
	db, err := store.Open(store.Options{Dir: data, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Update(func(tx resindex.Txn) error {
		k := binary.BigEndian.AppendUint64([]byte("a/"), 1)
		v, err := tx.Get(k)
		if err != nil {
			return err
		}
		return tx.Set(k, []byte(strings.Replace(string(v), `"search"`, `"export"`, 1)))
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	_, errs, code := runCLI(t, "audit", "verify", "--data", data)
	if code != 1 || !strings.Contains(errs, "entry 1 was changed") {
		t.Fatalf("audit verify after an edit: exit %d\n%s", code, errs)
	}
	if _, _, code := runCLI(t, "audit", "list", "--data", data, "--since", "yesterday"); code != 2 {
		t.Errorf("a malformed --since: exit %d, want 2", code)
	}
}
