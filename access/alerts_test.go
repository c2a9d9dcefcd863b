package access_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/alerts"
	"github.com/resindex/resindex/store"
)

// alertEnv is a service over a fake index whose alert inbox is a real
// store in a temporary directory.
type alertEnv struct {
	*env
	db *store.DB
}

func newAlertEnv(t *testing.T) *alertEnv {
	t.Helper()
	db, err := store.Open(store.Options{Dir: t.TempDir(), GCInterval: -1, MemTableSize: 1 << 20, BlockCacheSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := newEnv(t, mustDefault(t))
	svc, err := access.New(e.svc.Policy(), e.idx, e.ov, e.log, access.Options{Key: testKey, Now: func() time.Time { return *e.now }, Alerts: db})
	if err != nil {
		t.Fatal(err)
	}
	e.svc = svc
	return &alertEnv{env: e, db: db}
}

// raise stores a new-adult alert naming an adult and a child on a plan.
func (e *alertEnv) raise(t *testing.T, adult, child string) string {
	t.Helper()
	a := resindex.Alert{Kind: resindex.AlertNewAdult, Severity: resindex.SeverityHigh, Household: "uprn:100023336956", UPRN: "100023336956",
		Adult: &resindex.AlertPerson{Person: adult, Records: []resindex.RecordKey{{Source: srcCT, ID: "CT-1"}}, Age: 34},
		Children: []resindex.AlertPerson{{Person: child, Records: []resindex.RecordKey{{Source: srcCSC, ID: "CSC-9"}}, Age: 6,
			Flags: []string{resindex.FlagChildProtectionPlan}}},
		Evidence: &resindex.Provenance{Source: srcCT, Record: "CT-1"}, EvidenceDate: "2026-10-01"}
	var id string
	err := e.db.Update(func(tx resindex.Txn) error {
		var err error
		id, err = alerts.Raise(tx, &a, testNow, []string{"case-system"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// alertCalls are the four alert calls, on one alert.
func alertCalls(svc *access.Service, id string) map[string]func(resindex.Principal) error {
	return map[string]func(resindex.Principal) error{
		"alerts": func(p resindex.Principal) error { _, err := svc.Alerts(p, alerts.Filter{}); return err },
		"alert":  func(p resindex.Principal) error { _, err := svc.Alert(p, id); return err },
		"alert_acknowledge": func(p resindex.Principal) error {
			_, err := svc.AcknowledgeAlert(p, id, "", "")
			return err
		},
		"alert_close": func(p resindex.Principal) error {
			_, err := svc.CloseAlert(p, id, "no_action_needed", "checked")
			return err
		},
	}
}

// TestAlertsAbility: the shipped policy grants the alerts ability to
// safeguarding and children's services only, and every alert call of
// every other role is refused as forbidden, naming the ability, and
// recorded as denied.
func TestAlertsAbility(t *testing.T) {
	e := newAlertEnv(t)
	able := []string{"childrens_services", "safeguarding"}
	for _, name := range e.svc.Policy().Roles() {
		role, _ := e.svc.Policy().Role(name)
		if role.Can(access.Alerts) != slices.Contains(able, name) {
			t.Errorf("%s has the alerts ability: %v", name, role.Can(access.Alerts))
		}
		if slices.Contains(able, name) {
			continue
		}
		id := e.raise(t, "P0000000001", "P0000000002")
		for call, fn := range alertCalls(e.svc, id) {
			err := fn(as(name))
			var fe *access.ForbiddenError
			if !errors.As(err, &fe) || fe.Need != "the alerts ability" || !errors.Is(err, resindex.ErrForbidden) {
				t.Fatalf("%s as %s: %v, want forbidden for want of the alerts ability", call, name, err)
			}
			if last := e.log.last(t); last.Action != call || last.Outcome != "denied" || len(last.Persons) != 0 {
				t.Fatalf("%s as %s: audit entry %+v, want %s denied naming no one", call, name, last, call)
			}
		}
		if a, err := alerts.Get(e.db, id); err != nil || a.Status != resindex.AlertNew {
			t.Fatalf("after %s's refused calls the alert is %q (%v), want new", name, a.Status, err)
		}
	}
	for _, name := range able {
		id := e.raise(t, "P0000000001", "P0000000002")
		for _, call := range []string{"alerts", "alert", "alert_acknowledge", "alert_close"} {
			if err := alertCalls(e.svc, id)[call](as(name)); err != nil {
				t.Fatalf("%s as %s: %v", call, name, err)
			}
		}
	}
}

// TestAlertWorkflow takes an alert from new through acknowledged to
// closed: each step is the principal's, in their role, and each call is
// audited with the persons the alert names, who are shown by reference.
func TestAlertWorkflow(t *testing.T) {
	e := newAlertEnv(t)
	id := e.raise(t, "P0000000007", "P0000000009")
	sg, cs := as("safeguarding"), as("childrens_services")
	persons := []string{"P0000000007", "P0000000009"}
	inbox, err := e.svc.Alerts(sg, alerts.Filter{Status: resindex.AlertNew})
	if err != nil {
		t.Fatal(err)
	}
	if len(inbox.Alerts) != 1 || inbox.Counts != (access.AlertCounts{New: 1}) {
		t.Fatalf("inbox: %d alerts, counts %+v, want the one new", len(inbox.Alerts), inbox.Counts)
	}
	v := inbox.Alerts[0]
	if v.Adult == nil || v.Adult.Person != e.svc.Ref("P0000000007") || len(v.Children) != 1 || v.Children[0].Person != e.svc.Ref("P0000000009") {
		t.Fatalf("alert persons %+v %+v, want the adult's and the child's references", v.Adult, v.Children)
	}
	if v.UPRN != "100023336956" || v.Children[0].Records[0] != srcCSC+"/CSC-9" || v.Children[0].Flags[0] != resindex.FlagChildProtectionPlan || len(v.Deliveries) != 1 {
		t.Fatalf("child %+v, deliveries %+v", v.Children[0], v.Deliveries)
	}
	wantEntry(t, e.log.last(t), "alerts", "ok", persons, "inbox status=new kind=any: 1 alerts")
	if _, err := e.svc.Alert(cs, id); err != nil {
		t.Fatal(err)
	}
	wantEntry(t, e.log.last(t), "alert", "ok", persons, "alert "+id)

	*e.now = testNow.Add(time.Hour)
	v, err = e.svc.AcknowledgeAlert(cs, id, "", "looking into it")
	if err != nil {
		t.Fatal(err)
	}
	step := resindex.AlertStep{At: *e.now, By: cs.User, Role: cs.Role, Status: resindex.AlertAcknowledged, Note: "looking into it"}
	if v.Status != resindex.AlertAcknowledged || v.Assignee != cs.User || len(v.History) != 2 || v.History[1] != step {
		t.Fatalf("acknowledged: status %s, assignee %q, history %+v", v.Status, v.Assignee, v.History)
	}
	wantEntry(t, e.log.last(t), "alert_acknowledge", "ok", persons, "acknowledge alert "+id)
	// The note is case work: the audit log, which auditors read, has
	// only its length.
	if r := e.log.last(t).Reason; r != "a note of 15 characters" || strings.Contains(r, "looking") {
		t.Fatalf("the acknowledgement's audit reason is %q; want the note's length only", r)
	}
	if _, err := e.svc.AcknowledgeAlert(sg, id, "j.bloggs", ""); !errors.Is(err, resindex.ErrConflict) {
		t.Fatalf("acknowledging twice: %v, want a conflict", err)
	}
	wantEntry(t, e.log.last(t), "alert_acknowledge", "error", persons, "acknowledge alert "+id)

	*e.now = testNow.Add(2 * time.Hour)
	v, err = e.svc.CloseAlert(sg, id, "referred", "referred to the MASH")
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != resindex.AlertClosed || v.Outcome != "referred" || len(v.History) != 3 || v.History[2].By != sg.User || v.History[2].Role != sg.Role {
		t.Fatalf("closed: status %s, outcome %s, history %+v", v.Status, v.Outcome, v.History)
	}
	wantEntry(t, e.log.last(t), "alert_close", "ok", persons, "close alert "+id+" as referred")
	if inbox, _ = e.svc.Alerts(sg, alerts.Filter{}); inbox.Counts != (access.AlertCounts{Closed: 1}) || len(inbox.Alerts) != 1 {
		t.Fatalf("after closing: counts %+v, %d alerts", inbox.Counts, len(inbox.Alerts))
	}
	// A household keyed by its address text has no UPRN to show.
	var textual string
	err = e.db.Update(func(tx resindex.Txn) error {
		var err error
		textual, err = alerts.Raise(tx, &resindex.Alert{Kind: resindex.AlertNewAdult, Household: "1 high street ab1 2cd", UPRN: "1 high street ab1 2cd"}, testNow, nil)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if v, err := e.svc.Alert(sg, textual); err != nil || v.UPRN != "" {
		t.Fatalf("an alert for a household without a UPRN shows UPRN %q (%v)", v.UPRN, err)
	}
}

func wantEntry(t *testing.T, got access.AuditEntry, action, outcome string, persons []string, query string) {
	t.Helper()
	if got.Action != action || got.Outcome != outcome || !slices.Equal(got.Persons, persons) || got.Query != query {
		t.Fatalf("audit entry %s %s %v %q, want %s %s %v %q", got.Action, got.Outcome, got.Persons, got.Query, action, outcome, persons, query)
	}
}

// TestAlertRefusals: bad input is refused naming the field and never
// quoting it, an ID not in the alerts' form is not looked up, a closed
// alert is not closed again, and a service without an inbox says so.
func TestAlertRefusals(t *testing.T) {
	e := newAlertEnv(t)
	id := e.raise(t, "P0000000001", "P0000000002")
	sg := as("safeguarding")
	secret := "Ann Lee at 1 High Street"
	for _, tc := range []struct {
		name  string
		call  func() error
		field string
		kind  error
	}{
		{"unknown status", func() error { _, err := e.svc.Alerts(sg, alerts.Filter{Status: secret}); return err }, "status", resindex.ErrInvalid},
		{"unknown kind", func() error { _, err := e.svc.Alerts(sg, alerts.Filter{Kind: secret}); return err }, "kind", resindex.ErrInvalid},
		{"not an alert ID", func() error { _, err := e.svc.Alert(sg, secret); return err }, "", resindex.ErrNotFound},
		{"no such alert", func() error { _, err := e.svc.Alert(sg, "A0000009999"); return err }, "", resindex.ErrNotFound},
		{"close before acknowledging", func() error { _, err := e.svc.CloseAlert(sg, id, "duplicate", secret); return err }, "", resindex.ErrConflict},
		{"unknown outcome", func() error { _, err := e.svc.CloseAlert(sg, id, secret, "done"); return err }, "outcome", resindex.ErrInvalid},
		{"no note", func() error { _, err := e.svc.CloseAlert(sg, id, "duplicate", "  "); return err }, "note", resindex.ErrInvalid},
		{"a long note", func() error { _, err := e.svc.AcknowledgeAlert(sg, id, "", strings.Repeat("x", 2001)); return err }, "note", resindex.ErrInvalid},
		{"a long assignee", func() error { _, err := e.svc.AcknowledgeAlert(sg, id, strings.Repeat("x", 201), ""); return err }, "assignee", resindex.ErrInvalid},
	} {
		err := tc.call()
		var in *access.InputError
		switch {
		case !errors.Is(err, tc.kind):
			t.Errorf("%s: %v, want %v", tc.name, err, tc.kind)
		case tc.field != "" && (!errors.As(err, &in) || in.Field != tc.field):
			t.Errorf("%s: %v, want an input error naming %s", tc.name, err, tc.field)
		case strings.Contains(err.Error(), secret):
			t.Errorf("%s: the error quotes what was sent: %v", tc.name, err)
		}
		if q := e.log.last(t).Query; strings.Contains(q, secret) {
			t.Errorf("%s: the audit entry keeps a value that is no filter, ID or outcome: %q", tc.name, q)
		}
	}
	if a, _ := alerts.Get(e.db, id); a.Status != resindex.AlertNew || len(a.History) != 1 {
		t.Fatalf("after refused steps the alert is %s with %d steps, want new with 1", a.Status, len(a.History))
	}
	bare := newEnv(t, mustDefault(t))
	if _, err := bare.svc.Alerts(sg, alerts.Filter{}); !errors.Is(err, access.ErrNoInbox) {
		t.Errorf("without an alerts store: %v, want ErrNoInbox", err)
	}
	if _, err := bare.svc.NewAlerts(as("frontline")); !errors.Is(err, resindex.ErrForbidden) {
		t.Errorf("counting new alerts as frontline: %v, want forbidden", err)
	}
	if n, err := e.svc.NewAlerts(sg); err != nil || n != 1 {
		t.Errorf("new alerts: %d (%v), want 1", n, err)
	}
}
