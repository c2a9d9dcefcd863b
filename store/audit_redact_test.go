package store_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"strconv"
	"strings"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/store"
)

// oldAuditHash is the chain hash of the format before sealing.
func oldAuditHash(prev []byte, seq uint64, payload []byte) []byte {
	h := sha256.New()
	h.Write(prev)
	h.Write(binary.BigEndian.AppendUint64(nil, seq))
	h.Write(payload)
	return h.Sum(nil)
}

// TestRedactAuditKeepsTheChain: redacting entries replaces their payload
// and the chain still verifies; an entry written in the old plain form
// still verifies but is left, and counted; a redacted payload edited
// later is not detected (the chain covers the sealed payload's digest,
// which the redaction keeps), but a redacted entry's digest edited is.
func TestRedactAuditKeepsTheChain(t *testing.T) {
	db := MustOpen(t, store.Options{})
	for i := 1; i <= 4; i++ {
		if _, err := db.AppendAudit([]byte(`{"n":` + strconv.Itoa(i) + `,"query":"family=Oyelaran"}`)); err != nil {
			t.Fatal(err)
		}
	}
	n, unsealed, err := db.RedactAudit(func(seq uint64, payload []byte) ([]byte, bool, error) {
		if seq%2 == 0 {
			return []byte(`{"n":` + strconv.FormatUint(seq, 10) + `,"redacted":true}`), true, nil
		}
		return nil, false, nil
	})
	if err != nil || n != 2 || unsealed != 0 {
		t.Fatalf("redact: %d, %d, %v", n, unsealed, err)
	}
	if n, err := db.VerifyAudit(); err != nil || n != 4 {
		t.Fatalf("verify after redaction: %d, %v", n, err)
	}
	var got []string
	db.AuditEntries(func(seq uint64, p []byte) error { got = append(got, string(p)); return nil })
	if bytes.Contains([]byte(got[1]+got[3]), []byte("Oyelaran")) || !bytes.Contains([]byte(got[0]), []byte("Oyelaran")) {
		t.Fatalf("entries after redaction: %q", got)
	}
	// Redacting again offers every entry, the redacted ones with their
	// redacted payloads (TestRedactAuditTwice).
	offered := 0
	db.RedactAudit(func(uint64, []byte) ([]byte, bool, error) { offered++; return nil, false, nil })
	if offered != 4 {
		t.Fatalf("offered %d entries again, want all 4", offered)
	}
	// A redacted entry's kept digest edited breaks the chain.
	err = db.Update(func(tx resindex.Txn) error {
		v, err := tx.Get(auditKey(2))
		if err != nil {
			return err
		}
		v = append([]byte{}, v...)
		v[33] ^= 1
		return tx.Set(auditKey(2), v)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.VerifyAudit(); err == nil {
		t.Fatal("an edited digest verified")
	}
}

// TestRedactAuditLeavesPlainEntries: entries of the format before
// sealing (hash then payload) verify, and redaction leaves and counts them.
func TestRedactAuditLeavesPlainEntries(t *testing.T) {
	db := MustOpen(t, store.Options{})
	if _, err := db.AppendAudit([]byte(`{"n":1}`)); err != nil {
		t.Fatal(err)
	}
	// Entry 1 rewritten as the old format had it, and the head with it.
	err := db.Update(func(tx resindex.Txn) error {
		payload := []byte(`{"n":1,"query":"family=Oyelaran"}`)
		h := oldAuditHash(nil, 1, payload)
		if err := tx.Set(auditKey(1), append(append([]byte{}, h...), payload...)); err != nil {
			return err
		}
		return tx.Set(layout.AuditHead, append(append([]byte{}, h...), 0, 0, 0, 0, 0, 0, 0, 1))
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AppendAudit([]byte(`{"n":2,"query":"family=Oyelaran"}`)); err != nil {
		t.Fatal(err)
	}
	if n, err := db.VerifyAudit(); err != nil || n != 2 {
		t.Fatalf("mixed formats: %d, %v", n, err)
	}
	n, unsealed, err := db.RedactAudit(func(uint64, []byte) ([]byte, bool, error) { return []byte(`{"redacted":true}`), true, nil })
	if err != nil || n != 1 || unsealed != 1 {
		t.Fatalf("redact: %d, %d, %v", n, unsealed, err)
	}
	if n, err := db.VerifyAudit(); err != nil || n != 2 {
		t.Fatalf("after redaction: %d, %v", n, err)
	}
}

// TestRedactAuditTwice: an entry redacted for one erased person may still
// name another, erased later: it is offered again, redacted again, and the
// chain still verifies.
func TestRedactAuditTwice(t *testing.T) {
	db, err := store.Open(store.Options{Dir: t.TempDir(), GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.AppendAudit([]byte(`{"action":"search","query":"given=Ann family=Lee","reason":"partner of Dave Hart"}`)); err != nil {
		t.Fatal(err)
	}
	redact := func(from, to string) int {
		n, _, err := db.RedactAudit(func(_ uint64, p []byte) ([]byte, bool, error) {
			if !strings.Contains(string(p), from) {
				return nil, false, nil
			}
			return []byte(strings.ReplaceAll(string(p), from, to)), true, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := redact("partner of Dave Hart", "(erased)"); n != 1 {
		t.Fatalf("first erasure redacted %d entries", n)
	}
	if n := redact("given=Ann family=Lee", "(erased)"); n != 1 {
		t.Fatalf("second erasure redacted %d entries; the entry still named Ann", n)
	}
	var got string
	if err := db.AuditEntries(func(_ uint64, p []byte) error { got = string(p); return nil }); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got, "Ann") || strings.Contains(got, "Dave") {
		t.Errorf("after both erasures the entry is %s", got)
	}
	if _, err := db.VerifyAudit(); err != nil {
		t.Errorf("the chain after two redactions: %v", err)
	}
}
