package access

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// AuditEntry is one look at, or change to, resident data: who, in what
// role, when, what they did and asked, which persons it returned, why,
// and how it ended.
type AuditEntry struct {
	At   time.Time `json:"at"`
	User string    `json:"user"`
	Role string    `json:"role"`
	// Action: search, view, household, explain, verify, export, review,
	// override, audit, me; alerts (the inbox), alert (one alert),
	// alert_acknowledge and alert_close (its steps); fraud_findings (a
	// check's findings listed), fraud_finding (one finding), fraud_review
	// (an investigator's outcome) and fraud_run (a run asked for);
	// subject_access (a subject access report) and rights (the residents'
	// rights hub's look at a person);
	// rectify (a correction recorded), rectify_form (the rectification
	// page) and notices (one source's notices listed);
	// request for a request turned away before it reached a view; signin
	// and signout for a browser's sign-in and sign-out; erase for a
	// person erased (their ID, the reason and counts by source only);
	// admin for a command run through a server's admin socket (its
	// arguments without resident data, the exit status as the reason).
	Action  string   `json:"action"`
	Query   string   `json:"query,omitempty"`
	Persons []string `json:"persons,omitempty"`
	Reason  string   `json:"reason,omitempty"`
	// Outcome: ok, denied, not_found, bad_request, error; for refused
	// requests unauthenticated or denied.
	Outcome string `json:"outcome"`
	// Redacted: a person in the entry was erased, and their details were
	// taken out of its query and reason (which then read "(erased)").
	Redacted bool `json:"redacted,omitempty"`
}

// AuditLog is the append-only, hash-chained log the store keeps.
type AuditLog interface {
	AppendAudit(payload []byte) (uint64, error)
	AuditEntries(fn func(seq uint64, payload []byte) error) error
}

// Record appends an entry to the log.
func Record(log AuditLog, e AuditEntry) error {
	data, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	if _, err := log.AppendAudit(data); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// AuditFilter picks entries: by person, by user, and in a time range
// (zero values match everything).
type AuditFilter struct {
	Person, User, Action string
	Since, Until         time.Time
}

func (f AuditFilter) match(e *AuditEntry) bool {
	return (f.Person == "" || slices.Contains(e.Persons, f.Person)) && (f.User == "" || e.User == f.User) &&
		(f.Action == "" || e.Action == f.Action) &&
		(f.Since.IsZero() || !e.At.Before(f.Since)) && (f.Until.IsZero() || e.At.Before(f.Until))
}

// Entries calls fn for the log's entries that match, in order.
func Entries(log AuditLog, f AuditFilter, fn func(seq uint64, e AuditEntry) error) error {
	return log.AuditEntries(func(seq uint64, payload []byte) error {
		var e AuditEntry
		if err := json.Unmarshal(payload, &e); err != nil {
			return fmt.Errorf("audit: entry %d: %w", seq, err)
		}
		if !f.match(&e) {
			return nil
		}
		return fn(seq, e)
	})
}
