package access

import (
	"errors"
	"fmt"

	"github.com/resindex/resindex"
)

// AuditVerifier checks the audit log's hash chain; a log that can (the
// store's) implements it.
type AuditVerifier interface {
	VerifyAudit() (int, error)
}

// ChainStatus is the result of checking the audit log's hash chain.
type ChainStatus struct {
	Intact  bool   `json:"intact"`
	Entries int    `json:"entries"`
	Problem string `json:"problem,omitempty"`
}

// VerifyAudit checks the audit log's chain for an auditor. A broken chain
// is a result, not an error: the auditor is told where it breaks.
func (s *Service) VerifyAudit(p resindex.Principal) (ChainStatus, error) {
	var st ChainStatus
	err := s.audited(p, "audit", "verify chain", "", func(*AuditEntry) error {
		if _, err := s.roleAble(p, ReadAudit); err != nil {
			return err
		}
		v, ok := s.log.(AuditVerifier)
		if !ok {
			return errors.New("access: this audit log cannot verify its chain")
		}
		n, err := v.VerifyAudit()
		switch {
		case errors.Is(err, resindex.ErrAuditBroken):
			st = ChainStatus{Entries: n, Problem: err.Error()} // names sequence numbers, never resident data
			return nil
		case err != nil:
			return fmt.Errorf("access: verifying the audit log: %w", err) // not a verdict on the chain
		}
		st = ChainStatus{Intact: true, Entries: n}
		return nil
	})
	return st, err
}
