package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// The audit log is append-only and hash-chained: entry n is stored as its
// hash (32 bytes) and a body, where the hash covers entry n-1's hash, n
// and what the body commits to. The head (s/audit-head) holds the last
// sequence number and hash, so removing the last entries is detected too.
// Bodies come in three forms (audit_redact.go): a plain payload (entries
// written before erasure existed), a sealed payload (a random nonce and
// the payload, the chain covering their digest), and a redacted one (the
// digest kept, the payload replaced), so that erasure can take a
// person's details out of old entries and the chain still verifies.

func auditHash(prev []byte, seq uint64, payload []byte) []byte {
	h := sha256.New()
	h.Write(prev)
	h.Write(binary.BigEndian.AppendUint64(nil, seq))
	h.Write(payload)
	return h.Sum(nil)
}

// AppendAudit appends an entry to the audit log and returns its sequence
// number. Appends are serialised by the head key: two at once conflict
// and one is retried.
func (db *DB) AppendAudit(payload []byte) (uint64, error) {
	var seq uint64
	err := db.Update(func(t resindex.Txn) error {
		prev, last, err := auditHead(t)
		if err != nil {
			return err
		}
		seq = last + 1
		body, err := sealAudit(payload)
		if err != nil {
			return err
		}
		hash := auditHash(prev, seq, chained(body))
		if err := t.Set(layout.Audit(seq), append(append([]byte{}, hash...), body...)); err != nil {
			return err
		}
		return t.Set(layout.AuditHead, binary.BigEndian.AppendUint64(append([]byte{}, hash...), seq))
	})
	if err != nil {
		return 0, fmt.Errorf("store: append audit entry: %w", err)
	}
	return seq, nil
}

// auditHead returns the last entry's hash and number (none: nil, 0).
func auditHead(t resindex.Txn) ([]byte, uint64, error) {
	v, err := t.Get(layout.AuditHead)
	switch {
	case errors.Is(err, resindex.ErrNotFound):
		return nil, 0, nil
	case err != nil:
		return nil, 0, err
	case len(v) != sha256.Size+8:
		return nil, 0, errors.New("store: the audit log's head is corrupt")
	}
	return v[:sha256.Size], binary.BigEndian.Uint64(v[sha256.Size:]), nil
}

// AuditEntries calls fn for each audit entry in order.
func (db *DB) AuditEntries(fn func(seq uint64, payload []byte) error) error {
	return db.View(func(t resindex.Txn) error {
		return t.Scan([]byte(layout.AuditPrefix), func(k, v []byte) error {
			if len(k) != 10 || len(v) < sha256.Size {
				return fmt.Errorf("store: audit entry %x is corrupt", k)
			}
			payload, _, err := openAudit(v[sha256.Size:])
			if err != nil {
				return fmt.Errorf("store: audit entry %d: %w", layout.Seq(k), err)
			}
			return fn(layout.Seq(k), payload)
		})
	})
}

// ErrAuditBroken is an audit log that was changed: an entry edited,
// removed or inserted.
// It is of kind resindex.ErrInternal.
var ErrAuditBroken = resindex.ErrAuditBroken

// VerifyAudit checks the whole chain and returns how many entries it
// holds, or an error wrapping ErrAuditBroken that names the first entry
// at fault.
func (db *DB) VerifyAudit() (int, error) {
	n := 0
	err := db.View(func(t resindex.Txn) error {
		headHash, headSeq, err := auditHead(t)
		if err != nil {
			return err
		}
		var prev []byte
		var want uint64 = 1
		err = t.Scan([]byte(layout.AuditPrefix), func(k, v []byte) error {
			if err := checkAuditEntry(k, v, want, prev); err != nil {
				return err
			}
			prev, want, n = append(prev[:0], v[:sha256.Size]...), want+1, n+1
			return nil
		})
		if err != nil {
			return err
		}
		if uint64(n) != headSeq || !bytes.Equal(prev, headHash) {
			return fmt.Errorf("%w: the log ends at entry %d but its head records entry %d (entries removed from the end?)", ErrAuditBroken, n, headSeq)
		}
		return nil
	})
	return n, err
}

func checkAuditEntry(k, v []byte, want uint64, prev []byte) error {
	if len(k) != 10 || len(v) < sha256.Size {
		return fmt.Errorf("%w: entry %x is malformed", ErrAuditBroken, k)
	}
	seq := layout.Seq(k)
	if seq != want {
		return fmt.Errorf("%w: entry %d is missing (the next is %d)", ErrAuditBroken, want, seq)
	}
	if _, _, err := openAudit(v[sha256.Size:]); err != nil {
		return fmt.Errorf("%w: entry %d is malformed", ErrAuditBroken, seq)
	}
	if !bytes.Equal(v[:sha256.Size], auditHash(prev, seq, chained(v[sha256.Size:]))) {
		return fmt.Errorf("%w: entry %d was changed", ErrAuditBroken, seq)
	}
	return nil
}
