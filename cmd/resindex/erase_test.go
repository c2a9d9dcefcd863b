package main

import (
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/alerts"
	"github.com/resindex/resindex/internal/config"
)

// The person erased in these tests: records in six sources, all linked by
// name, date of birth and NHS number; a current address shared with
// another Quartermaine, and a previous one no one else has.
var (
	eraseTarget = resindex.Name{Given: "Zephaniah", Family: "Quartermaine"}
	eraseIDs    = map[string]string{
		"council_tax": "CTZQ88231", "housing": "HSGZQ4411", "electoral_roll": "ERZQ7070",
		"libraries": "LIBZQ5150", "parking": "PKZQ3141", "adult_social_care": "ASCZQ2718",
	}
	// eraseGone: every value of the person's that no one else shares, as
	// the store may hold it (lower case; normalised forms too).
	eraseGone = []string{"zephaniah", "9434765919", "jg103759a", "zeph.q@example.org", "7700900123",
		"obscure mews", "e9 4xq", "e94xq", "100023336956",
		// the corrected address of a rectification, and the reason given
		// for a restriction (seedErase)
		"wyvern yard", "e9 7zy", "zeph asked by letter"}
	erasePrincipal = resindex.Principal{User: "ig.officer", Role: "information_governance", Via: "token", Surface: "api"}
)

// eraseRecords are the person's records and their neighbours'.
func eraseRecords() []resindex.Record {
	home := resindex.Address{Lines: []string{"17 Wistful Vista"}, Postcode: "N7 9ZZ", From: "2023-01-01", Current: true}
	before := resindex.Address{UPRN: "100023336956", Lines: []string{"3 Obscure Mews"}, Postcode: "E9 4XQ", From: "2015-01-01", To: "2022-12-31"}
	var out []resindex.Record
	for src, id := range eraseIDs {
		r := resindex.Record{Source: src, ID: id, Version: "2026-01-01T00:00:00Z", Name: eraseTarget, DOB: "1971-03-14", Sex: "M",
			Addresses: []resindex.Address{home, before}, Identifiers: map[string]string{"nhs": "9434765919"}, LastActivity: "2026-01-01"}
		switch src {
		case "council_tax", "housing":
			r.Identifiers["nino"] = "JG103759A"
		case "libraries":
			r.Emails = []string{"zeph.q@example.org"}
		case "parking":
			r.Phones = []string{"07700 900123"}
		}
		out = append(out, r)
	}
	others := []resindex.Record{
		{Source: "council_tax", ID: "CTMQ1", Name: resindex.Name{Given: "Mary", Family: "Quartermaine"}, DOB: "1974-06-02", Sex: "F",
			Addresses: []resindex.Address{home}, Identifiers: map[string]string{"nino": "JG103760C"}},
		{Source: "electoral_roll", ID: "ERMQ1", Name: resindex.Name{Given: "Mary", Family: "Quartermaine"}, DOB: "1974-06-02", Sex: "F",
			Addresses: []resindex.Address{home}},
		{Source: "housing", ID: "HSGAB1", Name: resindex.Name{Given: "Abel", Family: "Brightwater"}, DOB: "1980-01-01",
			Addresses: []resindex.Address{{Lines: []string{"19 Wistful Vista"}, Postcode: "N7 9ZZ", Current: true}}},
	}
	for _, r := range others {
		r.Version, r.LastActivity = "2026-01-01T00:00:00Z", "2026-01-01"
		out = append(out, r)
	}
	return out
}

// openErase opens a store with an engine and access service, encrypted
// when key is not nil.
func openErase(t *testing.T, data string, key []byte) *Main {
	t.Helper()
	c := config.Config{Data: data}
	if key != nil {
		c.KeyFile = filepath.Join(filepath.Dir(data), "key")
		if err := os.WriteFile(c.KeyFile, []byte(hex.EncodeToString(key)), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	m := &Main{Config: c, Create: true}
	if err := m.OpenAccess(); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestErasureLeavesNothing is issue 16's proof of erasure: a person with
// records in six sources, looked up by name (so the audit log holds it),
// with an alert and a steward's decision naming them, is erased; after
// compaction no file of the store and no version of any key holds a value
// of theirs that no one else shares; no call finds them; the audit log
// verifies; their neighbours are untouched. Encrypted and not.
func TestErasureLeavesNothing(t *testing.T) {
	for _, encrypted := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "encrypted"}[encrypted], func(t *testing.T) {
			var key []byte
			if encrypted {
				key = bytes.Repeat([]byte{0x5a}, 32)
			}
			data := filepath.Join(t.TempDir(), "store")
			m := openErase(t, data, key)
			pid := seedErase(t, m)
			ref := m.Access.Ref(pid)
			out, err := m.Access.Erase(erasePrincipal, ref, "Art. 17 request 2026-123")
			if err != nil {
				t.Fatal(err)
			}
			if n := sum(out.Records); n != 6 || len(out.Records) != 6 || out.Alerts != 1 || out.AuditRedacted == 0 {
				t.Fatalf("erasure removed %+v", out)
			}
			// The store was compacted in place, under the open engine and
			// service, as under a running server: they go on working.
			checkErasedUnseen(t, m, ref)
			if err := m.Close(); err != nil {
				t.Fatal(err)
			}
			if !encrypted {
				scanEraseFiles(t, data, "wistful vista") // (a), plain: every byte of every file
			} else {
				scanEraseFiles(t, data, "") // (a), encrypted: ciphertext, checked all the same
			}
			scanEraseVersions(t, data, key) // (b): every version of every key
			m = openErase(t, data, key)
			defer m.Close()
			checkErasedUnseen(t, m, ref)
			if n, err := m.DB.VerifyAudit(); err != nil || n == 0 { // (d)
				t.Fatalf("audit verify after erasure: %d, %v", n, err)
			}
			checkEraseAudit(t, m, pid)
			// A later event from one source creates only what it sends.
			hsg := eraseRecords()[0]
			for _, r := range eraseRecords() {
				if r.Source == "housing" && r.ID == eraseIDs["housing"] {
					hsg = r
				}
			}
			hsg.Version = "2026-02-01T00:00:00Z"
			if _, err := m.Engine.Apply(hsg, resindex.Position{Stream: "later", Offset: 1}); err != nil {
				t.Fatal(err)
			}
			again, ok := m.Engine.PersonOf(hsg.Key())
			p, err := m.Engine.Person(again)
			if !ok || err != nil || len(p.Records) != 1 {
				t.Fatalf("after a later upsert the person has %d records (%v, %v); want only the one sent", len(p.Records), ok, err)
			}
		})
	}
}

// seedErase applies the records, looks the person up by name and by
// reference, raises an alert naming them and records a steward's
// decision about them; it returns their person ID.
func seedErase(t *testing.T, m *Main) string {
	t.Helper()
	for i, r := range eraseRecords() {
		if _, err := m.Engine.Apply(r, resindex.Position{Stream: "seed", Offset: int64(i + 1)}); err != nil {
			t.Fatal(err)
		}
	}
	keyOf := resindex.RecordKey{Source: "council_tax", ID: eraseIDs["council_tax"]}
	pid, ok := m.Engine.PersonOf(keyOf)
	if !ok {
		t.Fatal("the person was not indexed")
	}
	if p, err := m.Engine.Person(pid); err != nil || len(p.Records) != 6 {
		t.Fatalf("the person's records are not linked: %d, %v", len(p.Records), err)
	}
	page, err := m.Access.Search(erasePrincipal, resindex.Query{Given: "Zephaniah", Family: "Quartermaine", DOB: "1971-03-14"}, access.Page{}, "")
	if err != nil || len(page.Results) == 0 {
		t.Fatalf("search before erasure: %d, %v", len(page.Results), err)
	}
	if _, err := m.Access.Person(erasePrincipal, m.Access.Ref(pid), ""); err != nil {
		t.Fatal(err)
	}
	err = m.DB.Update(func(tx resindex.Txn) error {
		_, err := alerts.Raise(tx, &resindex.Alert{Kind: "adult_joined", Severity: "high", Household: "n7 9zz",
			Adult:    &resindex.AlertPerson{Person: pid, Records: []resindex.RecordKey{keyOf}, Age: 54},
			Evidence: &resindex.Provenance{Source: keyOf.Source, Record: keyOf.ID}, EvidenceDate: "2026-01-01"}, time.Now(), nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	mary := resindex.RecordKey{Source: "council_tax", ID: "CTMQ1"}
	if err := m.Engine.Override(keyOf, mary, "unlink", "checked by phone"); err != nil {
		t.Fatal(err)
	}
	seedRights(t, m, m.Access.Ref(pid))
	return pid
}

// seedRights records a rectification (a notice naming a new address) and
// a restriction of the person, both of which erasure must take too.
func seedRights(t *testing.T, m *Main, ref string) {
	t.Helper()
	c := resindex.Correction{Field: "address", Reason: "the resident wrote in",
		Address: &resindex.CorrectedAddress{Lines: []string{"3 Wyvern Yard"}, Postcode: "E9 7ZY"}}
	if n, err := m.Access.Rectify(erasePrincipal, ref, c); err != nil || len(n.Targets) < 5 {
		t.Fatalf("rectify before erasure: %+v, %v", n, err)
	}
	if _, err := m.Access.Restrict(erasePrincipal, ref, "Zeph asked by letter"); err != nil {
		t.Fatalf("restrict before erasure: %v", err)
	}
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// eraseGoneAll is eraseGone with the person's source record IDs.
func eraseGoneAll() []string {
	out := append([]string{}, eraseGone...)
	for _, id := range eraseIDs {
		out = append(out, strings.ToLower(id))
	}
	return out
}

// scanEraseFiles reads every byte of every file in the store's directory
// (and fails on anything left beside it); want, if given, must be found,
// so that the scan is known to read the data.
func scanEraseFiles(t *testing.T, data, want string) {
	t.Helper()
	found := want == ""
	err := filepath.WalkDir(data, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		low := bytes.ToLower(raw)
		for _, g := range eraseGoneAll() {
			if bytes.Contains(low, []byte(g)) {
				t.Errorf("%q is still in %s", g, d.Name())
			}
		}
		found = found || bytes.Contains(low, []byte(want))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !found {
		t.Fatalf("the raw scan found no trace of the neighbours' %q: it reads nothing", want)
	}
	siblings, _ := filepath.Glob(data + ".compact-*")
	if len(siblings) > 0 {
		t.Fatalf("compaction left %v", siblings)
	}
}

// scanEraseVersions opens the store with Badger itself and reads every
// version of every key and value.
func scanEraseVersions(t *testing.T, data string, key []byte) {
	t.Helper()
	opts := badger.DefaultOptions(data).WithLogger(nil)
	if key != nil {
		opts = opts.WithEncryptionKey(key).WithIndexCacheSize(1 << 20)
	}
	bdb, err := badger.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	n, neighbour := 0, false
	err = bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{AllVersions: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			n++
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			kv := bytes.ToLower(append(it.Item().KeyCopy(nil), v...))
			for _, g := range eraseGoneAll() {
				if bytes.Contains(kv, []byte(g)) {
					t.Errorf("%q is in a version of a key of kind %q: %q", g, kv[:min(2, len(kv))], kv)
				}
			}
			neighbour = neighbour || bytes.Contains(kv, []byte("brightwater"))
		}
		return nil
	})
	if err != nil || n == 0 || !neighbour {
		t.Fatalf("versions read: %d (a neighbour's found: %v), %v", n, neighbour, err)
	}
}

// checkErasedUnseen: (c) no call finds the person; the neighbours are
// still there.
func checkErasedUnseen(t *testing.T, m *Main, ref string) {
	t.Helper()
	page, err := m.Access.Search(erasePrincipal, resindex.Query{Family: "Quartermaine"}, access.Page{}, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range page.Results {
		if r.Name != nil && r.Name.Value.Given == "Zephaniah" {
			t.Fatalf("search found the erased person: %+v", r)
		}
	}
	if len(page.Results) == 0 {
		t.Fatal("search no longer finds the neighbour who shares the surname")
	}
	if _, err := m.Access.Person(erasePrincipal, ref, ""); !errors.Is(err, resindex.ErrNotFound) {
		t.Fatalf("the erased person's reference: %v, want not found", err)
	}
	list, _, err := alerts.List(m.DB, alerts.Filter{})
	if err != nil || len(list) != 1 || list[0].Adult.Person != alerts.Erased || list[0].Evidence != nil {
		t.Fatalf("the alert after erasure: %+v, %v", list, err)
	}
}

// checkEraseAudit: the erasure's entry names the person by ID, the
// reason and counts; the entries before it that name the person are
// redacted (those after, the checks' own looks, are not).
func checkEraseAudit(t *testing.T, m *Main, pid string) {
	t.Helper()
	var erase, redacted int
	err := access.Entries(m.DB, access.AuditFilter{Person: pid}, func(_ uint64, e access.AuditEntry) error {
		switch {
		case erase > 0:
		case e.Action == "erase":
			erase++
			if e.Outcome != "ok" || e.Reason != "Art. 17 request 2026-123" || !strings.Contains(e.Query, "council_tax=1") {
				t.Errorf("the erasure's audit entry: %+v", e)
			}
		case e.Redacted:
			redacted++
		default:
			t.Errorf("an entry naming the person left unredacted: %+v", e)
		}
		return nil
	})
	if err != nil || erase != 1 || redacted == 0 {
		t.Fatalf("audit: %d erase entries, %d redacted, %v", erase, redacted, err)
	}
}

// TestEraseCommand: usage mistakes exit 2 naming the flag; an unknown
// person is not found (exit 1); the person erased by ID prints counts by
// source and no value of theirs, the store is compacted and the audit
// log verifies.
func TestEraseCommand(t *testing.T) {
	data := filepath.Join(t.TempDir(), "store")
	m := openErase(t, data, nil)
	pid := seedErase(t, m)
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"erase", "--person", pid, "--reason", "r"}, 2, "--data is required"},
		{[]string{"erase", "--data", data, "--reason", "r"}, 2, "--person and --reason are required"},
		{[]string{"erase", "--data", data, "--person", pid}, 2, "--person and --reason are required"},
		{[]string{"erase", "--data", data, "--person", pid, "--reason", "  "}, 2, "--person and --reason are required"},
		{[]string{"erase", "--data", data, "--person", pid, "--reason", "r", "extra"}, 2, ""},
		{[]string{"erase", "--data", data, "--person", "P0000009999", "--reason", "r"}, 1, "not found"},
	} {
		_, errs, code := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("resindex %v: exit %d, stderr %q; want exit %d mentioning %q", c.args, code, errs, c.code, c.want)
		}
	}
	out, _ := mustRun(t, "erase", "--data", data, "--person", pid, "--reason", "Art. 17 request 2026-5")
	if !strings.Contains(out, "council_tax") || !strings.Contains(out, "compacted") {
		t.Errorf("erase output:\n%s", out)
	}
	for _, g := range eraseGoneAll() {
		if strings.Contains(strings.ToLower(out), g) {
			t.Errorf("erase printed %q", g)
		}
	}
	scanEraseFiles(t, data, "wistful vista")
	if out, _ := mustRun(t, "audit", "verify", "--data", data); !strings.Contains(out, "intact") {
		t.Errorf("audit verify after erase: %s", out)
	}
	// The erasure is finished: asking again finds nothing to erase; a
	// compaction on its own (one that failed, finished later) is usable.
	if _, errs, code := runCLI(t, "erase", "--data", data, "--person", pid, "--reason", "again"); code != 1 || !strings.Contains(errs, "not found") {
		t.Errorf("erasing an erased person again: exit %d, %s", code, errs)
	}
	if out, _ := mustRun(t, "compact", "--data", data); !strings.Contains(out, "compacted") {
		t.Errorf("compact: %s", out)
	}
	if _, errs, code := runCLI(t, "compact"); code != 2 || !strings.Contains(errs, "--data is required") {
		t.Errorf("compact without --data: exit %d, %s", code, errs)
	}
	scanEraseFiles(t, data, "wistful vista")
}
