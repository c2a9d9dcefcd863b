package alerts

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// raise stores a new alert, numbered, with its first step, queues its
// webhook deliveries and puts it on the change feed (for the alerts
// topic), all in the caller's transaction.
func (r *Rule) raise(t resindex.Txn, a *resindex.Alert) (string, error) {
	id, err := Raise(t, a, r.opts.Now(), r.opts.Endpoints)
	if err == nil {
		r.raised = append(r.raised, a.Kind)
	}
	return id, err
}

// Committed counts the alerts raised by the change the rule last
// watched, now that it has committed (resolver.CommitWatcher).
func (r *Rule) Committed() {
	for _, kind := range append(r.kept, r.raised...) {
		r.Metrics.raisedOne(kind)
	}
	r.Forget()
}

// Keep keeps the kinds of alert the change just watched raised, for a
// group of changes that commit together (resolver.GroupWatcher).
func (r *Rule) Keep() {
	r.kept = append(r.kept, r.raised...)
	r.raised = r.raised[:0]
}

// Forget drops what was kept: the group's transaction is tried again.
func (r *Rule) Forget() {
	r.kept, r.raised = r.kept[:0], r.raised[:0]
}

// Raise stores a new alert in a transaction: it numbers it, marks it new
// at now, queues a delivery to each endpoint and emits alert.raised.
func Raise(t resindex.Txn, a *resindex.Alert, now time.Time, endpoints []string) (string, error) {
	n, err := nextSeq(t)
	if err != nil {
		return "", err
	}
	a.ID = fmt.Sprintf("A%010d", n)
	a.Status, a.RaisedAt = resindex.AlertNew, now.UTC()
	a.Deliveries = nil // made afresh: a retried transaction must not queue twice
	a.History = []resindex.AlertStep{{At: a.RaisedAt, By: "resindex", Status: resindex.AlertNew}}
	for _, e := range endpoints {
		a.Deliveries = append(a.Deliveries, resindex.Delivery{Endpoint: e, Status: DeliveryPending, Next: a.RaisedAt})
		if err := t.Set(layout.Delivery(a.ID, e), nil); err != nil {
			return "", err
		}
	}
	if err := save(t, a); err != nil {
		return "", err
	}
	c := resindex.Change{Type: resindex.ChangeAlertRaised, Household: a.Household, Alert: a}
	if a.Adult != nil {
		c.Person = a.Adult.Person
	}
	data, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	_, err = t.Emit(data)
	return a.ID, err
}

// RaiseLookup stores a notification that someone looked up a child on a
// plan, unless the same looker's look at the same child was notified the
// same day: social workers need to know that someone looked, not every
// page they opened. It reports whether one was raised.
func RaiseLookup(t resindex.Txn, a *resindex.Alert, now time.Time, endpoints []string) (bool, error) {
	if a.LookedUp == nil || len(a.Children) != 1 {
		return false, fmt.Errorf("alerts: a lookup notification names one child and who looked")
	}
	day := now.UTC().Format(time.DateOnly)
	seen := layout.Episode(lookupMark+a.Children[0].Person, a.LookedUp.By)
	if v, err := t.Get(seen); err == nil && string(v) == day {
		return false, nil
	} else if err != nil && !errors.Is(err, resindex.ErrNotFound) {
		return false, err
	}
	if _, err := Raise(t, a, now, endpoints); err != nil {
		return false, err
	}
	return true, t.Set(seen, []byte(day))
}

// lookupMark starts the household part of a lookup's episode key: the
// looks at one child, by looker.
const lookupMark = "lookup:"

// Delivery statuses.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed" // dead letter: given up after the attempts allowed
)

func nextSeq(t resindex.Txn) (uint64, error) {
	var n uint64
	v, err := t.Get(layout.AlertSeq)
	switch {
	case err == nil:
		if n, err = strconv.ParseUint(string(v), 10, 64); err != nil {
			return 0, fmt.Errorf("alerts: the alert sequence is corrupt: %w", err)
		}
	case !errors.Is(err, resindex.ErrNotFound):
		return 0, err
	}
	n++
	return n, t.Set(layout.AlertSeq, []byte(strconv.FormatUint(n, 10)))
}

func save(t resindex.Txn, a *resindex.Alert) error {
	data, err := json.Marshal(a)
	if err != nil {
		return err
	}
	return t.Set(layout.Alert(a.ID), data)
}

// load reads one alert; a missing one is resindex.ErrNotFound.
func load(t resindex.Txn, id string) (resindex.Alert, error) {
	var a resindex.Alert
	v, err := t.Get(layout.Alert(id))
	if err != nil {
		return a, err
	}
	if err := json.Unmarshal(v, &a); err != nil {
		return a, fmt.Errorf("alerts: alert %s is corrupt: %w", id, err)
	}
	return a, nil
}

// closeAlert closes an alert with an outcome.
func closeAlert(t resindex.Txn, a *resindex.Alert, step resindex.AlertStep, outcome string) error {
	a.Status, a.Outcome = resindex.AlertClosed, outcome
	a.History = append(a.History, step)
	return save(t, a)
}
