package access

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/resindex/resindex"
)

// Erasure (issue 16, item 2; UK GDPR Art. 17): a role with the rights
// ability erases a person. What the index does is the Eraser's (the
// engine, the alert inbox and the fraud reviews, wired in cmd); what this
// file adds is the gate, the audit log's part and the order: erase, take
// the person's details out of earlier audit entries, record the erasure
// (what, when, who, why, counts by source: never an erased value), then
// compact the store so the bytes are gone from its files.

// Eraser erases a person from the index.
type Eraser interface {
	// Erase removes the person (by the index's ID) and everything derived
	// from them; a person not found is resindex.ErrNotFound.
	Erase(pid string) (Erasure, error)
	// Compact rewrites the store so that what was erased is gone from its
	// files, not merely unreachable.
	Compact() error
}

// Erasure is what an erasure removed, in counts: records by source, and
// the entries that went with them. It never holds an erased value.
type Erasure struct {
	Records      map[string]int `json:"records"` // by source
	Overrides    int            `json:"overrides"`
	ReviewPairs  int            `json:"review_pairs"`
	Redirects    int            `json:"redirects"`
	ChangeFeed   int            `json:"change_feed"`
	Notices      int            `json:"notices"`
	Rights       bool           `json:"rights"`
	Alerts       int            `json:"alerts_scrubbed"`
	Episodes     int            `json:"episodes"`
	FraudReviews int            `json:"fraud_reviews_scrubbed"`
	// AuditRedacted are earlier audit entries the person's details were
	// taken out of; AuditUnsealed those naming the person that were
	// written before audit entries were sealed, which cannot be redacted
	// without breaking the chain and are left.
	AuditRedacted int `json:"audit_redacted"`
	AuditUnsealed int `json:"audit_unsealed"`
	// Resumed: the person had no records left, an earlier erasure having
	// stopped after removing them; this one removed what still named them.
	Resumed bool `json:"resumed,omitempty"`
}

// AuditRedactor is an audit log whose entries can be redacted with the
// chain left verifying (the store is one).
type AuditRedactor interface {
	RedactAudit(fn func(seq uint64, payload []byte) ([]byte, bool, error)) (redacted, unsealed int, err error)
}

// ErrNoEraser answers an erasure by a service built without an Eraser.
var ErrNoEraser = resindex.NewError(resindex.ErrUnavailable, "erasure is not set up: the access service has no eraser")

// erased stands for a redacted value in the audit log.
const erased = "(erased)"

// Erase erases the person a reference names, for a role with the rights
// ability (forbidden otherwise), with a reason (required). It is audited
// either way; the entry names the person by ID and counts what went, by
// source. The store is compacted afterwards: an error from that is
// returned with the erasure done.
func (s *Service) Erase(p resindex.Principal, ref, reason string) (Erasure, error) {
	var out Erasure
	err := s.audited(p, "erase", "", redactReason(reason, nil), func(e *AuditEntry) error {
		role, err := s.roleAble(p, Rights)
		if err != nil {
			return err
		}
		pid, ok := s.personID(role, ref)
		if !ok {
			return resindex.ErrNotFound
		}
		out, err = s.erase(e, pid, reason)
		return err
	})
	return out, s.finishErasure(out, err)
}

// EraseByOperator is Erase for the command line, whose operator holds the
// store's files (and so every right over them): it takes the index's
// person ID or a reference, checks no ability, and is audited the same,
// as p.
func (s *Service) EraseByOperator(p resindex.Principal, id, reason string) (Erasure, error) {
	var out Erasure
	err := s.audited(p, "erase", "", redactReason(reason, nil), func(e *AuditEntry) error {
		pid, ok := s.refs.id(id)
		if !ok {
			pid = id
		}
		var err error
		out, err = s.erase(e, pid, reason)
		return err
	})
	return out, s.finishErasure(out, err)
}

// finishErasure runs afterErasure once anything was removed, even by an
// erasure that then failed: what went must leave the store's files, and
// no finding may show it.
func (s *Service) finishErasure(out Erasure, err error) error {
	if err != nil && !out.removedAny() {
		return err
	}
	return errors.Join(err, s.afterErasure())
}

// removedAny reports whether an erasure removed or redacted anything.
func (e Erasure) removedAny() bool {
	n := e.Overrides + e.ReviewPairs + e.Redirects + e.ChangeFeed + e.Notices + e.Alerts + e.Episodes + e.FraudReviews + e.AuditRedacted
	for _, c := range e.Records {
		n += c
	}
	return n > 0 || e.Rights
}

// erase checks the reason, redacts and erases, filling the audit entry.
// The audit log is redacted first, while the person's values can still
// be read, so that an erasure stopped halfway is finished by asking
// again: the person's ID, with no records left, still names what is left
// of them (resolver.Engine.Erase).
func (s *Service) erase(e *AuditEntry, pid, reason string) (Erasure, error) {
	if strings.TrimSpace(reason) == "" {
		return Erasure{}, &InputError{"reason", "required: why the person is erased"}
	}
	if s.opts.Eraser == nil {
		return Erasure{}, ErrNoEraser
	}
	var vals []string
	person, err := s.index.Person(pid)
	switch {
	case err == nil:
		pid, vals = person.ID, personValues(&person)
	case !errors.Is(err, resindex.ErrNotFound):
		return Erasure{}, fmt.Errorf("access: erase: read the person: %w", err)
	}
	e.Persons, e.Reason = []string{pid}, redactReason(reason, vals)
	ids, err := s.knownAs(pid)
	if err != nil {
		return Erasure{}, err
	}
	var out Erasure
	if out.AuditRedacted, out.AuditUnsealed, err = s.redactAudit(ids, vals); err != nil {
		return out, err
	}
	rep, err := s.opts.Eraser.Erase(pid)
	rep.AuditRedacted, rep.AuditUnsealed = out.AuditRedacted, out.AuditUnsealed
	e.Query = describeErasure(rep)
	if errors.Is(err, resindex.ErrNotFound) {
		return rep, resindex.ErrNotFound
	}
	if err != nil {
		return rep, fmt.Errorf("access: erase: %w", err)
	}
	// Again: a look recorded while the records were purged (a search for
	// the person by name, say) was not there the first time.
	n, unsealed, err := s.redactAudit(ids, vals)
	rep.AuditRedacted, rep.AuditUnsealed = rep.AuditRedacted+n, max(rep.AuditUnsealed, unsealed)
	e.Query = describeErasure(rep)
	return rep, err
}

// knownAs are the IDs a person is known by: theirs and those of persons
// merged into them, which earlier audit entries name.
func (s *Service) knownAs(pid string) ([]string, error) {
	merged, err := s.redirects()
	if err != nil {
		return nil, err
	}
	ids := []string{pid}
	for from := range merged {
		if followMerges(from, merged) == pid {
			ids = append(ids, from)
		}
	}
	return ids, nil
}

// afterErasure drops the fraud findings held, so that none shows the
// person (the checks run again when next read; a command line's cache,
// never read, runs nothing), and compacts the store.
func (s *Service) afterErasure() error {
	if s.opts.Fraud != nil {
		s.opts.Fraud.Forget()
	}
	if err := s.opts.Eraser.Compact(); err != nil {
		return fmt.Errorf("access: erased, but the store could not be compacted (once the cause is fixed, run resindex compact --data DIR): %w", err)
	}
	return nil
}

// describeErasure is what the audit entry says was removed: counts only.
func describeErasure(out Erasure) string {
	parts := []string{"records"}
	for _, src := range slices.Sorted(maps.Keys(out.Records)) {
		parts = append(parts, src+"="+strconv.Itoa(out.Records[src]))
	}
	parts = append(parts, "alerts_scrubbed="+strconv.Itoa(out.Alerts), "change_feed="+strconv.Itoa(out.ChangeFeed),
		"audit_redacted="+strconv.Itoa(out.AuditRedacted))
	return strings.Join(parts, " ")
}

// redactReason keeps an erasure's reason unless it quotes the person's
// details (the officer's words are kept, but not an erased value).
func redactReason(reason string, vals []string) string {
	if mentions(reason, vals) {
		return "(a reason was given; it quoted the person's details, so it is not kept)"
	}
	return reason
}

// redactAudit takes the person's details out of earlier audit entries:
// those that name the person lose their query and reason; any other
// whose query or reason quotes one of the person's distinctive values
// (an identifier, email or phone, or a name with a date of birth) loses
// that field.
func (s *Service) redactAudit(ids []string, vals []string) (int, int, error) {
	r, ok := s.log.(AuditRedactor)
	if !ok {
		return 0, 0, errors.New("access: erase: the audit log cannot redact entries")
	}
	n, unsealed, err := r.RedactAudit(func(seq uint64, payload []byte) ([]byte, bool, error) {
		var e AuditEntry
		if err := json.Unmarshal(payload, &e); err != nil {
			return nil, false, fmt.Errorf("audit: entry %d: %w", seq, err)
		}
		if !redactEntry(&e, ids, vals) {
			return nil, false, nil
		}
		e.Redacted = true
		out, err := json.Marshal(e)
		return out, err == nil, err
	})
	if err != nil {
		return 0, 0, fmt.Errorf("access: erase: %w", err)
	}
	if unsealed > 0 {
		slog.Warn("access: erase: audit entries written before sealing name the person and were left", "entries", unsealed)
	}
	return n, unsealed, nil
}

// redactEntry redacts one entry, reporting whether it changed.
func redactEntry(e *AuditEntry, ids []string, vals []string) bool {
	named := slices.ContainsFunc(e.Persons, func(p string) bool { return slices.Contains(ids, p) })
	changed := false
	if e.Query != "" && e.Query != erased && (named || mentions(e.Query, vals)) {
		e.Query, changed = erased, true
	}
	if e.Reason != "" && e.Reason != erased && (named || mentions(e.Reason, vals)) {
		e.Reason, changed = erased, true
	}
	return changed
}

// mentions reports whether s quotes one of vals, ignoring case.
func mentions(s string, vals []string) bool {
	s = strings.ToLower(s)
	return slices.ContainsFunc(vals, func(v string) bool { return strings.Contains(s, v) })
}

// personValues are the person's distinctive values, lower-cased, that an
// audit entry not naming them may still quote: identifiers, emails,
// phones, source record IDs, and full names ("given family", and the
// family name as a search gives it with the date of birth).
func personValues(p *resindex.Person) []string {
	var out []string
	add := func(v string) {
		if v = strings.ToLower(strings.TrimSpace(v)); len(v) >= 4 && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	for _, r := range p.Records {
		for _, v := range r.Identifiers {
			add(v)
		}
		for _, v := range slices.Concat(r.Emails, r.Phones) {
			add(v)
		}
		add(r.ID)
		for _, n := range append([]resindex.Name{r.Name}, r.OtherNames...) {
			if n.Given != "" && n.Family != "" {
				add(n.Given + " " + n.Family)
				add("given=" + n.Given + " family=" + n.Family)
			}
			if r.DOB != "" && n.Family != "" {
				add("family=" + n.Family + " dob=" + r.DOB)
			}
		}
	}
	return out
}

// MayErase refuses, audited, a principal whose role lacks the rights
// ability: the erasure page asks before it shows its form.
func (s *Service) MayErase(p resindex.Principal) error {
	if _, err := s.roleAble(p, Rights); err != nil {
		return s.audited(p, "erase", "refused before the request was read", "", func(*AuditEntry) error { return err })
	}
	return nil
}
