package access

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/alerts"
	"github.com/resindex/resindex/matcher"
)

// The safeguarding alert inbox (issue 14): the alerts the alert rule
// raises, listed, read, acknowledged and closed by roles with the alerts
// ability. The ability is the whole grant: an alert names persons by
// reference, with the ages and children's flags that made it, for roles
// whose work it is to act on them; what else they see of a person is
// their person page's to decide, under the usual rules.

// ErrNoInbox answers the alert calls of a service built without an
// alerts store (Options.Alerts).
var ErrNoInbox = resindex.NewError(resindex.ErrUnavailable, "the alert inbox is not set up: the access service has no alerts store")

// AlertPersonView is a person an alert names, by the reference the rest
// of the API uses (so that a link to their page works), with the records
// that placed them (SOURCE/ID), their age at the evidence date and, for
// a child, their children's social care flags.
type AlertPersonView struct {
	Person     string   `json:"person"`
	Records    []string `json:"records"`
	Age        int      `json:"age"`
	AgeUnknown bool     `json:"age_unknown,omitempty"`
	Flags      []string `json:"flags,omitempty"`
}

// AlertView is an alert as the inbox shows it: the stored alert, its
// persons named by reference rather than by the index's own IDs.
type AlertView struct {
	ID       string    `json:"id"`
	Kind     string    `json:"kind"`
	Severity string    `json:"severity"`
	Status   string    `json:"status"`
	RaisedAt time.Time `json:"raised_at"`
	// UPRN is the household's property reference, when it has one;
	// Property says whether the adult's place there rests on a UPRN
	// inferred from their address.
	UPRN         string               `json:"uprn,omitempty"`
	Property     *resindex.Property   `json:"property,omitempty"`
	Adult        *AlertPersonView     `json:"adult,omitempty"`
	Children     []AlertPersonView    `json:"children,omitempty"`
	Evidence     *resindex.Provenance `json:"evidence,omitempty"`
	EvidenceDate string               `json:"evidence_date,omitempty"`
	LookedUp     *resindex.Lookup     `json:"looked_up,omitempty"`
	Assignee     string               `json:"assignee,omitempty"`
	Outcome      string               `json:"outcome,omitempty"`
	History      []resindex.AlertStep `json:"history"`
	Deliveries   []resindex.Delivery  `json:"deliveries,omitempty"`
}

// AlertCounts are the inbox's alerts by status, whatever the filter.
type AlertCounts struct {
	New          int `json:"new"`
	Acknowledged int `json:"acknowledged"`
	Closed       int `json:"closed"`
}

// AlertsView is the inbox: the alerts a filter picks, most severe then
// newest first, and the counts of all of them.
type AlertsView struct {
	Alerts []AlertView `json:"alerts"`
	Counts AlertCounts `json:"counts"`
}

// Alert statuses and kinds a filter may name.
var (
	alertStatuses = []string{resindex.AlertNew, resindex.AlertAcknowledged, resindex.AlertClosed}
	alertKinds    = []string{resindex.AlertNewAdult, resindex.AlertChildLookedUp}
)

// Bounds of what staff type into an alert's steps.
const (
	maxAssignee = 200
	maxNote     = 2000
)

// Alerts lists the inbox for a role with the alerts ability.
func (s *Service) Alerts(p resindex.Principal, f alerts.Filter) (AlertsView, error) {
	var out AlertsView
	err := s.audited(p, "alerts", describeFilter(f), "", func(e *AuditEntry) error {
		if err := s.inbox(p); err != nil {
			return err
		}
		if err := checkFilter(f); err != nil {
			return err
		}
		list, c, err := alerts.List(s.opts.Alerts, f)
		if err != nil {
			return fmt.Errorf("access: list alerts: %w", err)
		}
		out = AlertsView{Alerts: make([]AlertView, 0, len(list)), Counts: AlertCounts(c)}
		for i := range list {
			out.Alerts = append(out.Alerts, s.alertView(&list[i], e))
		}
		e.Query += fmt.Sprintf(": %d alerts", len(list))
		return nil
	})
	return out, err
}

// NewAlerts counts the inbox's new alerts, for the staff pages' link to
// it. It is not audited: a count names no one, and it is drawn on every
// page a role with the ability opens.
func (s *Service) NewAlerts(p resindex.Principal) (int, error) {
	if err := s.inbox(p); err != nil {
		return 0, err
	}
	_, c, err := alerts.List(s.opts.Alerts, alerts.Filter{Status: resindex.AlertNew})
	if err != nil {
		return 0, fmt.Errorf("access: count new alerts: %w", err)
	}
	return c.New, nil
}

// Alert reads one alert of the inbox.
func (s *Service) Alert(p resindex.Principal, id string) (AlertView, error) {
	var v AlertView
	err := s.audited(p, "alert", "alert "+showAlertID(id), "", func(e *AuditEntry) error {
		if err := s.inbox(p); err != nil {
			return err
		}
		if !isAlertID(id) {
			return resindex.ErrNotFound
		}
		a, err := alerts.Get(s.opts.Alerts, id)
		if err != nil {
			return fmt.Errorf("access: alert %s: %w", id, err)
		}
		v = s.alertView(&a, e)
		return nil
	})
	return v, err
}

// AcknowledgeAlert takes a new alert on, assigned to assignee (the
// principal when blank), with an optional note.
func (s *Service) AcknowledgeAlert(p resindex.Principal, id, assignee, note string) (AlertView, error) {
	assignee, note = strings.TrimSpace(assignee), strings.TrimSpace(note)
	query := "acknowledge alert " + showAlertID(id)
	return s.alertStep(p, "alert_acknowledge", id, query, note, func(step resindex.AlertStep) (resindex.Alert, error) {
		if len(assignee) > maxAssignee {
			return resindex.Alert{}, &InputError{"assignee", fmt.Sprintf("longer than %d characters", maxAssignee)}
		}
		return alerts.Acknowledge(s.opts.Alerts, id, step, assignee)
	})
}

// CloseAlert closes an acknowledged alert with an outcome (one of
// alerts.Outcomes) and a note saying what was done.
func (s *Service) CloseAlert(p resindex.Principal, id, outcome, note string) (AlertView, error) {
	note = strings.TrimSpace(note)
	query := "close alert " + showAlertID(id) + " as " + showOutcome(outcome, alerts.Outcomes)
	return s.alertStep(p, "alert_close", id, query, note, func(step resindex.AlertStep) (resindex.Alert, error) {
		if !slices.Contains(alerts.Outcomes, outcome) {
			return resindex.Alert{}, &InputError{"outcome", "want one of " + strings.Join(alerts.Outcomes, ", ")}
		}
		if note == "" {
			return resindex.Alert{}, &InputError{"note", "missing: say what was done"}
		}
		return alerts.Close(s.opts.Alerts, id, step, outcome)
	})
}

// alertStep runs one step of an alert's workflow for the principal,
// audited under action; the step is made in the principal's name and
// role. The note is case work: it is kept on the alert, for the roles
// that work alerts, and the audit log (which auditors read) has only its
// length.
func (s *Service) alertStep(p resindex.Principal, action, id, query, note string, do func(resindex.AlertStep) (resindex.Alert, error)) (AlertView, error) {
	var v AlertView
	reason := ""
	if note != "" {
		reason = fmt.Sprintf("a note of %d characters", len([]rune(note)))
	}
	err := s.audited(p, action, query, reason, func(e *AuditEntry) error {
		if err := s.inbox(p); err != nil {
			return err
		}
		if !isAlertID(id) {
			return resindex.ErrNotFound
		}
		if len(note) > maxNote {
			return &InputError{"note", fmt.Sprintf("longer than %d characters", maxNote)}
		}
		a, err := do(resindex.AlertStep{At: s.opts.Now().UTC(), By: p.User, Role: p.Role, Note: note})
		if a.ID != "" {
			v = s.alertView(&a, e) // a refused step still names whom it touched
		}
		if err != nil {
			return fmt.Errorf("access: %s %s: %w", strings.ReplaceAll(action, "_", " "), id, err)
		}
		return nil
	})
	return v, err
}

// inbox checks the principal may work the inbox, and that there is one.
func (s *Service) inbox(p resindex.Principal) error {
	if _, err := s.roleAble(p, Alerts); err != nil {
		return err
	}
	if s.opts.Alerts == nil {
		return ErrNoInbox
	}
	return nil
}

// alertView shows an alert, recording the persons it names in the audit
// entry.
func (s *Service) alertView(a *resindex.Alert, e *AuditEntry) AlertView {
	v := AlertView{ID: a.ID, Kind: a.Kind, Severity: a.Severity, Status: a.Status, RaisedAt: a.RaisedAt, UPRN: uprnOnly(a.UPRN),
		Property: a.Property, Evidence: a.Evidence, EvidenceDate: a.EvidenceDate, LookedUp: a.LookedUp,
		Assignee: a.Assignee, Outcome: a.Outcome, History: a.History, Deliveries: a.Deliveries}
	if v.History == nil {
		v.History = []resindex.AlertStep{}
	}
	if a.Adult != nil {
		adult := s.alertPerson(*a.Adult, e)
		v.Adult = &adult
	}
	for _, c := range a.Children {
		v.Children = append(v.Children, s.alertPerson(c, e))
	}
	return v
}

// uprnOnly keeps a UPRN and drops anything else: a household without one
// is keyed by its address text, which is no property reference.
func uprnOnly(u string) string {
	if n, ok := matcher.ValidUPRN(u); ok {
		return n
	}
	return ""
}

func (s *Service) alertPerson(ap resindex.AlertPerson, e *AuditEntry) AlertPersonView {
	e.Persons = appendOnce(e.Persons, ap.Person)
	v := AlertPersonView{Person: s.refs.ref(ap.Person), Records: make([]string, len(ap.Records)), Age: ap.Age,
		AgeUnknown: ap.AgeUnknown, Flags: ap.Flags}
	for i, k := range ap.Records {
		v.Records[i] = k.String()
	}
	return v
}

// checkFilter refuses a status or kind the inbox does not have, naming
// the field.
func checkFilter(f alerts.Filter) error {
	if f.Status != "" && !slices.Contains(alertStatuses, f.Status) {
		return &InputError{"status", "want one of " + strings.Join(alertStatuses, ", ")}
	}
	if f.Kind != "" && !slices.Contains(alertKinds, f.Kind) {
		return &InputError{"kind", "want one of " + strings.Join(alertKinds, ", ")}
	}
	return nil
}

// describeFilter renders a filter for the audit log, keeping only values
// the inbox knows (a caller's garbage is not kept).
func describeFilter(f alerts.Filter) string {
	return "inbox status=" + filterValue(f.Status, alertStatuses) + " kind=" + filterValue(f.Kind, alertKinds)
}

// filterValue is a filter's value as the audit log records it: any, a
// value the filter knows, or a mark for anything else (a caller's garbage
// is not kept in the log).
func filterValue(v string, known []string) string {
	switch {
	case v == "":
		return "any"
	case slices.Contains(known, v):
		return v
	}
	return "(unknown)"
}

// showOutcome is an outcome as the audit log records it: one of the
// outcomes a step takes, or a mark for anything else.
func showOutcome(o string, outcomes []string) string {
	if slices.Contains(outcomes, o) {
		return o
	}
	return "(unknown outcome)"
}

// isAlertID reports whether id is in the form alerts are numbered in, A
// and ten digits; anything else names no alert and is not looked up.
func isAlertID(id string) bool {
	if len(id) != 11 || id[0] != 'A' {
		return false
	}
	for _, c := range id[1:] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func showAlertID(id string) string {
	if isAlertID(id) {
		return id
	}
	return "(not an alert ID)"
}
