package access

import (
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/resindex/resindex"
)

// AuditVerifier checks the audit log's hash chain; a log that can (the
// store's) implements it.
type AuditVerifier interface {
	VerifyAudit() (int, error)
}

// ChainStatus is the result of checking the audit log's hash chain.
type ChainStatus struct {
	Intact    bool      `json:"intact"`
	Entries   int       `json:"entries"`
	Problem   string    `json:"problem,omitempty"`
	CheckedAt time.Time `json:"checked_at"`
}

// chainCheck keeps the last check of the chain: checking reads the whole
// log (about a second at 250,000 entries), too much for every page an
// auditor turns.
type chainCheck struct {
	mu   sync.Mutex
	last ChainStatus
}

// VerifyAudit checks the audit log's chain for an auditor, or gives the
// last check when it is younger than maxAge (0: always check). A broken
// chain is a result, not an error: the auditor is told where it breaks.
func (s *Service) VerifyAudit(p resindex.Principal, maxAge time.Duration) (ChainStatus, error) {
	var st ChainStatus
	err := s.audited(p, "audit", "verify chain", "", func(*AuditEntry) error {
		if _, err := s.roleAble(p, ReadAudit); err != nil {
			return err
		}
		s.chain.mu.Lock()
		defer s.chain.mu.Unlock()
		if last := s.chain.last; !last.CheckedAt.IsZero() && maxAge > 0 && time.Since(last.CheckedAt) < maxAge {
			st = last
			return nil
		}
		var err error
		st, err = s.checkChain()
		if err == nil {
			s.chain.last = st
		}
		return err
	})
	return st, err
}

// checkChain reads the whole log and checks its hash chain.
func (s *Service) checkChain() (ChainStatus, error) {
	var st ChainStatus
	err := func() error {
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
	}()
	st.CheckedAt = time.Now().UTC()
	return st, err
}
