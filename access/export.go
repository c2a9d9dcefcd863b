package access

import (
	"errors"
	"strconv"
	"strings"

	"github.com/resindex/resindex"
)

// MaxExport bounds the persons one export names.
const MaxExport = 1000

// Export returns the full views of the persons named, for a case file:
// it needs the export ability and a reason; persons the principal may not
// see are left out, uncounted.
func (s *Service) Export(p resindex.Principal, refs []string, reason string) ([]PersonView, error) {
	out := []PersonView{}
	err := s.audited(p, "export", strconv.Itoa(len(refs))+" persons", reason, func(e *AuditEntry) error {
		role, err := s.roleAble(p, Export)
		if err != nil {
			return err
		}
		switch {
		case strings.TrimSpace(reason) == "":
			return &InputError{"reason", "an export needs a reason"}
		case len(refs) == 0 || len(refs) > MaxExport:
			return &InputError{"persons", "want 1 to " + strconv.Itoa(MaxExport) + " persons"}
		}
		for _, ref := range refs {
			if pid, ok := s.refs.id(ref); ok {
				e.Persons = appendOnce(e.Persons, pid) // asked for, whether exported or not
			}
			sub, err := s.person(role, ref, reason)
			if errors.Is(err, resindex.ErrNotFound) || errors.Is(err, ErrReasonRequired) {
				continue
			}
			if err != nil {
				return err
			}
			e.Persons = appendOnce(e.Persons, sub.id) // a merged-away ID's survivor, too
			out = append(out, s.view(role, sub, nil))
		}
		return nil
	})
	return out, err
}

// AuditPage is one page of audit entries, oldest first.
type AuditPage struct {
	Entries  []NumberedEntry `json:"entries"`
	NextPage string          `json:"next_page,omitempty"`
}

// NumberedEntry is an audit entry with its place in the log.
type NumberedEntry struct {
	Seq uint64 `json:"seq"`
	AuditEntry
}

// Audit lets an auditor read the log by person (a reference or a person
// ID), user and time. Reading it is itself recorded.
func (s *Service) Audit(p resindex.Principal, f AuditFilter, pg Page) (AuditPage, error) {
	out := AuditPage{Entries: []NumberedEntry{}}
	err := s.audited(p, "audit", "person="+f.Person+" user="+f.User+" action="+f.Action, "", func(e *AuditEntry) error {
		if _, err := s.roleAble(p, ReadAudit); err != nil {
			return err
		}
		size, err := pg.size()
		if err != nil {
			return err
		}
		after := uint64(0)
		if pg.Token != "" {
			if after, err = strconv.ParseUint(pg.Token, 10, 64); err != nil {
				return &InputError{"page_token", "not a token this service gave"}
			}
		}
		if id, ok := s.refs.id(f.Person); ok {
			f.Person = id
		}
		err = Entries(s.log, f, func(seq uint64, en AuditEntry) error {
			if seq <= after {
				return nil
			}
			if len(out.Entries) == size {
				out.NextPage = strconv.FormatUint(out.Entries[size-1].Seq, 10)
				return errPageDone
			}
			out.Entries = append(out.Entries, NumberedEntry{seq, en})
			return nil
		})
		if errors.Is(err, errPageDone) {
			return nil
		}
		return err
	})
	return out, err
}

var errPageDone = errors.New("page done")
