package store

import (
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// An audit entry's body, after its 32-byte chain hash, is one of:
//
//	plain     PAYLOAD                          chain covers PAYLOAD
//	sealed    0x01 NONCE(16) PAYLOAD           chain covers 0x01 SHA-256(NONCE PAYLOAD)
//	redacted  0x02 DIGEST(32) REDACTED         chain covers 0x01 DIGEST
//
// Plain bodies are those written before erasure existed (their payload is
// JSON, so never starts with 0x01 or 0x02); they still verify, but cannot
// be redacted without breaking the chain. Every entry is now sealed. The
// nonce keeps the digest from confirming a guess at the payload (a name
// and date of birth are easy to guess). Redacting a sealed entry keeps
// its digest, so the chain verifies as before, drops the nonce and the
// payload, and keeps a redacted payload, which the chain does not cover
// (the caller marks it redacted; access does).

const (
	bodySealed   = 0x01
	bodyRedacted = 0x02
	nonceSize    = 16
)

// sealAudit makes a payload's sealed body, with a fresh nonce.
func sealAudit(payload []byte) ([]byte, error) {
	body := make([]byte, 1+nonceSize, 1+nonceSize+len(payload))
	body[0] = bodySealed
	if _, err := rand.Read(body[1 : 1+nonceSize]); err != nil {
		return nil, fmt.Errorf("store: audit nonce: %w", err)
	}
	return append(body, payload...), nil
}

// chained is what the chain hash covers of a body.
func chained(body []byte) []byte {
	switch {
	case len(body) > 1+nonceSize && body[0] == bodySealed:
		d := sha256.Sum256(body[1:])
		return append([]byte{bodySealed}, d[:]...)
	case len(body) > 1+sha256.Size && body[0] == bodyRedacted:
		return append([]byte{bodySealed}, body[1:1+sha256.Size]...)
	}
	return body
}

// openAudit returns a body's payload (the redacted payload of a redacted
// entry) and whether it was redacted.
func openAudit(body []byte) (payload []byte, redacted bool, err error) {
	if len(body) == 0 {
		return nil, false, errors.New("empty entry")
	}
	switch body[0] {
	case bodySealed:
		if len(body) <= 1+nonceSize {
			return nil, false, errors.New("sealed entry too short")
		}
		return body[1+nonceSize:], false, nil
	case bodyRedacted:
		if len(body) <= 1+sha256.Size {
			return nil, false, errors.New("redacted entry too short")
		}
		return body[1+sha256.Size:], true, nil
	}
	return body, false, nil
}

// redactBody makes the redacted body of a sealed one.
func redactBody(body, payload []byte) []byte {
	out := append([]byte{bodyRedacted}, chained(body)[1:]...)
	return append(out, payload...)
}

// RedactAudit offers fn every audit entry (a redacted one with its
// redacted payload: an entry redacted for one erasure may still name
// another person, erased later); where fn
// returns a payload and true, the entry's payload is replaced by it (see
// above), the chain left verifying. It returns how many entries it
// redacted, and how many fn wanted redacted that were written before
// entries were sealed, so could not be without breaking the chain (they
// are left). An entry appended meanwhile is offered only if it was there
// when the scan began.
func (db *DB) RedactAudit(fn func(seq uint64, payload []byte) ([]byte, bool, error)) (redacted, unsealed int, err error) {
	var res struct{ Redacted, Unsealed int }
	edits := map[uint64][]byte{}
	err = db.View(func(t resindex.Txn) error {
		return t.Scan([]byte(layout.AuditPrefix), func(k, v []byte) error {
			if len(k) != 10 || len(v) < sha256.Size {
				return fmt.Errorf("store: audit entry %x is corrupt", k)
			}
			body := v[sha256.Size:]
			payload, _, err := openAudit(body)
			if err != nil {
				return err
			}
			out, ok, err := fn(layout.Seq(k), payload)
			switch {
			case err != nil || !ok:
				return err
			case body[0] != bodySealed && body[0] != bodyRedacted:
				res.Unsealed++
				return nil
			}
			edits[layout.Seq(k)] = append(append([]byte{}, v[:sha256.Size]...), redactBody(body, out)...)
			return nil
		})
	})
	if err != nil {
		return 0, 0, fmt.Errorf("store: redact audit entries: %w", err)
	}
	if err := db.writeRedactions(edits); err != nil {
		return 0, 0, err
	}
	return len(edits), res.Unsealed, nil
}

func (db *DB) writeRedactions(edits map[uint64][]byte) error {
	err := db.Update(func(t resindex.Txn) error {
		for seq, v := range edits {
			if err := t.Set(layout.Audit(seq), v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: redact audit entries: %w", err)
	}
	return nil
}
