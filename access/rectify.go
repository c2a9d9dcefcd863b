package access

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// Rectification told once (issue 16, item 3): a role with the rights
// ability records a correction for a person, and a numbered notice of it
// is kept for every source system holding a live record of the person
// (but the one the resident told). The serve command publishes notices
// to Kafka and the notices command writes one source's as CSV; nothing
// here changes a record or a golden record: each source corrects its own.

// NoticeStore is the store notices are kept in (the index's store).
type NoticeStore interface {
	View(fn func(resindex.Txn) error) error
	Update(fn func(resindex.Txn) error) error
}

// ErrNoNotices answers the rectification calls of a service built
// without a store for notices (Options.Notices).
var ErrNoNotices = resindex.NewError(resindex.ErrUnavailable, "rectification is not set up: the access service has no store for notices")

// RectifyView is a person as the rectification form shows them: a
// summary, and the source systems a correction would be sent to.
type RectifyView struct {
	Person  PersonView              `json:"person"`
	Targets []resindex.NoticeTarget `json:"targets"`
}

// Rectify records a correction for a person (by reference) and returns
// its notice, kept in the same transaction as the notice's number. The
// audit entry names the field and the sources told, never the corrected
// values or the reason (which may hold them): those stay with the notice.
func (s *Service) Rectify(p resindex.Principal, ref string, c resindex.Correction) (*resindex.Notice, error) {
	var out *resindex.Notice
	query := "rectify " + filterValue(c.Field, resindex.CorrectionFields) + " of person " + s.refs.show(ref)
	err := s.audited(p, "rectify", query, "", func(e *AuditEntry) error {
		role, err := s.rightsCall(p)
		if err == nil {
			err = CheckCorrection(&c, s.opts.Now())
		}
		if err != nil {
			return err
		}
		sub, targets, err := s.noticeTargets(role, ref, c.Reason, e)
		if err != nil {
			return err
		}
		n := &resindex.Notice{Person: sub.id, Correction: c, IssuedAt: s.opts.Now().UTC(), By: p.User, Role: p.Role,
			Targets: slices.DeleteFunc(targets, func(t resindex.NoticeTarget) bool { return t.Source == c.ReportedVia })}
		if err := s.opts.Notices.Update(func(t resindex.Txn) error { return saveNotice(t, n) }); err != nil {
			return fmt.Errorf("access: keep the notice of a correction: %w", err)
		}
		out = n
		e.Query += fmt.Sprintf(": notice %d to %s", n.Seq, describeTargets(n.Targets, c.ReportedVia))
		e.Reason = "kept with notice " + strconv.FormatUint(n.Seq, 10)
		return nil
	})
	return out, err
}

// RectifyForm shows a person to a role with the rights ability as the
// rectification form needs them: a summary to check it is the right
// person, and every source system holding a live record of them. reason
// is asked for a shielded person, as for any other view.
func (s *Service) RectifyForm(p resindex.Principal, ref, reason string) (RectifyView, error) {
	var out RectifyView
	err := s.audited(p, "rectify_form", "person "+s.refs.show(ref), reason, func(e *AuditEntry) error {
		role, err := s.rightsCall(p)
		if err != nil {
			return err
		}
		sub, targets, err := s.noticeTargets(role, ref, reason, e)
		if err == nil {
			out = RectifyView{Person: s.view(role, sub, append(slices.Clone(summaryFields), "sources")), Targets: targets}
		}
		return err
	})
	return out, err
}

// MayRectify refuses, audited, a principal whose role lacks the rights
// ability: callers ask before they read a request's body, so that
// another role learns nothing from how a malformed one is answered.
func (s *Service) MayRectify(p resindex.Principal) error {
	if _, err := s.roleAble(p, Rights); err != nil {
		return s.audited(p, "rectify", "refused before the request was read", "", func(*AuditEntry) error { return err })
	}
	return nil
}

// rightsCall checks the principal's role has the rights ability and the
// service a store for notices.
func (s *Service) rightsCall(p resindex.Principal) (*Role, error) {
	role, err := s.roleAble(p, Rights)
	if err == nil && s.opts.Notices == nil {
		err = ErrNoNotices
	}
	return role, err
}

// noticeTargets finds a person the role may see and lists, by source,
// the IDs of their live records in the sources the role sees: all of
// them, not only those inside the activity window, since a source holds
// a record however long ago the person was last active in it.
func (s *Service) noticeTargets(role *Role, ref, reason string, e *AuditEntry) (*subject, []resindex.NoticeTarget, error) {
	pid, ok := s.personID(role, ref)
	if !ok {
		return nil, nil, resindex.ErrNotFound
	}
	p, err := s.index.Person(pid)
	if errors.Is(err, resindex.ErrNotFound) {
		return nil, nil, resindex.ErrNotFound
	}
	if err != nil {
		return nil, nil, fmt.Errorf("access: read a person to rectify: %w", err)
	}
	sub, err := s.rightsSubjectOf(role, &p, reason)
	if err != nil {
		return nil, nil, err
	}
	e.Persons = appendOnce(e.Persons, sub.id)
	return sub, targetsOf(role, p.Records), nil
}

// targetsOf groups live records by source, sources and IDs sorted.
func targetsOf(role *Role, recs []resindex.Record) []resindex.NoticeTarget {
	by := map[string][]string{}
	for i := range recs {
		if r := &recs[i]; !r.Deleted && role.Source(r.Source) {
			by[r.Source] = append(by[r.Source], r.ID)
		}
	}
	out := make([]resindex.NoticeTarget, 0, len(by))
	for src, ids := range by {
		slices.Sort(ids)
		out = append(out, resindex.NoticeTarget{Source: src, Records: ids})
	}
	slices.SortFunc(out, func(a, b resindex.NoticeTarget) int { return cmp.Compare(a.Source, b.Source) })
	return out
}

// describeTargets names the sources a notice goes to, for the audit log.
func describeTargets(ts []resindex.NoticeTarget, via string) string {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = t.Source
	}
	out := strconv.Itoa(len(ts)) + " sources (" + strings.Join(names, ", ") + ")"
	if via != "" {
		out += ", reported via " + via
	}
	return out
}

// saveNotice numbers a notice (layout.NoticeSeq) and keeps it
// (layout.Notice), in one transaction.
func saveNotice(t resindex.Txn, n *resindex.Notice) error {
	var last uint64
	v, err := t.Get(layout.NoticeSeq)
	switch {
	case err == nil:
		if last, err = strconv.ParseUint(string(v), 10, 64); err != nil {
			return fmt.Errorf("the notice sequence is corrupt: %w", err)
		}
	case !errors.Is(err, resindex.ErrNotFound):
		return err
	}
	n.Seq = last + 1
	data, err := json.Marshal(n)
	if err != nil {
		return err
	}
	if err := t.Set(layout.NoticeSeq, []byte(strconv.FormatUint(n.Seq, 10))); err != nil {
		return err
	}
	return t.Set(layout.Notice(n.Seq), data)
}

// ScanNotices calls fn for each notice after a number, in order: the
// Kafka publisher and the notices command read them this way.
func ScanNotices(t resindex.Txn, after uint64, fn func(n *resindex.Notice) error) error {
	return t.ScanKeysFrom([]byte(layout.NoticePrefix), layout.Notice(after+1), func(key []byte) error {
		v, err := t.Get(key)
		if err != nil {
			return err
		}
		var n resindex.Notice
		if err := json.Unmarshal(v, &n); err != nil {
			return fmt.Errorf("access: notice %d is corrupt: %w", layout.Seq(key), err)
		}
		return fn(&n)
	})
}

// SourceNotices lists, for a role with the rights ability, the notices
// after a number that are for one source system, as that source is sent
// them: the notices command writes them as the CSV a source without Kafka
// imports. The audit entry names the persons listed.
func (s *Service) SourceNotices(p resindex.Principal, source string, after uint64) ([]resindex.NoticeMessage, error) {
	var out []resindex.NoticeMessage
	shown := "(not a source's name)"
	if sourceName.MatchString(source) {
		shown = source
	}
	query := fmt.Sprintf("notices for %s after %d", shown, after)
	err := s.audited(p, "notices", query, "", func(e *AuditEntry) error {
		if _, err := s.rightsCall(p); err != nil {
			return err
		}
		if !sourceName.MatchString(source) {
			return &InputError{"source", "want a source's name, like council_tax"}
		}
		err := s.opts.Notices.View(func(t resindex.Txn) error {
			return ScanNotices(t, after, func(n *resindex.Notice) error {
				for _, m := range n.Messages() {
					if m.Source == source {
						out = append(out, m)
						e.Persons = appendOnce(e.Persons, n.Person)
					}
				}
				return nil
			})
		})
		e.Query += fmt.Sprintf(": %d notices", len(out))
		return err
	})
	return out, err
}

// PersonNotices are the notices recorded for a person (by index ID), in
// order: a subject access request reports them.
func PersonNotices(t resindex.Txn, pid string) ([]*resindex.Notice, error) {
	var out []*resindex.Notice
	err := ScanNotices(t, 0, func(n *resindex.Notice) error {
		if n.Person == pid {
			out = append(out, n)
		}
		return nil
	})
	return out, err
}

// DeleteNotices removes the notices recorded for a person (by index ID)
// and returns how many: an erasure leaves no corrected value behind. The
// numbering goes on (layout.NoticeSeq is kept), so that a number is never
// given twice. Messages already published stay with the topic's retention.
func DeleteNotices(t resindex.Txn, pid string) (int, error) {
	list, err := PersonNotices(t, pid)
	for _, n := range list {
		if err == nil {
			err = t.Delete(layout.Notice(n.Seq))
		}
	}
	return len(list), err
}
