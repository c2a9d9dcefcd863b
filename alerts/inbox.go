package alerts

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// Store is the store the inbox reads and writes.
type Store interface {
	View(fn func(resindex.Txn) error) error
	Update(fn func(resindex.Txn) error) error
}

// Filter picks alerts from the inbox; zero fields pick all.
type Filter struct {
	Status string
	Kind   string
}

// Counts are the inbox's alerts by status.
type Counts struct {
	New, Acknowledged, Closed int
}

// List returns the alerts the filter picks, most severe first, then
// newest, with the counts by status of all of them.
func List(s Store, f Filter) ([]resindex.Alert, Counts, error) {
	var out []resindex.Alert
	var c Counts
	err := s.View(func(t resindex.Txn) error {
		return t.Scan([]byte(layout.AlertPrefix), func(k, v []byte) error {
			var a resindex.Alert
			if err := json.Unmarshal(v, &a); err != nil {
				return fmt.Errorf("alerts: alert %s is corrupt: %w", k[len(layout.AlertPrefix):], err)
			}
			c.add(a.Status)
			if (f.Status == "" || a.Status == f.Status) && (f.Kind == "" || a.Kind == f.Kind) {
				out = append(out, a)
			}
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b resindex.Alert) int {
		return cmp.Or(rank(b.Severity)-rank(a.Severity), b.RaisedAt.Compare(a.RaisedAt), strings.Compare(b.ID, a.ID))
	})
	return out, c, err
}

func rank(severity string) int {
	switch severity {
	case resindex.SeverityHigh:
		return 3
	case resindex.SeverityMedium:
		return 2
	case resindex.SeverityLow:
		return 1
	}
	return 0
}

// Get reads one alert; a missing one is resindex.ErrNotFound.
func Get(s Store, id string) (resindex.Alert, error) {
	var a resindex.Alert
	err := s.View(func(t resindex.Txn) error {
		var err error
		a, err = load(t, id)
		return err
	})
	return a, err
}

// Outcomes an alert may be closed with.
var Outcomes = []string{"action_taken", "no_action_needed", "referred", "duplicate", resindex.OutcomeNoLongerApplies}

// Acknowledge moves a new alert to acknowledged, assigned to someone
// (the acknowledger when assignee is empty).
func Acknowledge(s Store, id string, step resindex.AlertStep, assignee string) (resindex.Alert, error) {
	return edit(s, id, func(a *resindex.Alert) error {
		if a.Status != resindex.AlertNew {
			return resindex.NewError(resindex.ErrConflict, fmt.Sprintf("alert %s is %s: only a new alert can be acknowledged", id, a.Status))
		}
		step.Status = resindex.AlertAcknowledged
		a.Status, a.Assignee = resindex.AlertAcknowledged, cmp.Or(strings.TrimSpace(assignee), step.By)
		a.History = append(a.History, step)
		return nil
	})
}

// Close closes an acknowledged alert with an outcome and a note.
func Close(s Store, id string, step resindex.AlertStep, outcome string) (resindex.Alert, error) {
	if !slices.Contains(Outcomes, outcome) {
		return resindex.Alert{}, resindex.NewError(resindex.ErrInvalid, fmt.Sprintf("field outcome: want one of %s", strings.Join(Outcomes, ", ")))
	}
	if strings.TrimSpace(step.Note) == "" {
		return resindex.Alert{}, resindex.NewError(resindex.ErrInvalid, "field note: missing (say what was done)")
	}
	return edit(s, id, func(a *resindex.Alert) error {
		if a.Status != resindex.AlertAcknowledged {
			return resindex.NewError(resindex.ErrConflict, fmt.Sprintf("alert %s is %s: acknowledge it before closing it", id, a.Status))
		}
		step.Status = resindex.AlertClosed
		a.Status, a.Outcome = resindex.AlertClosed, outcome
		a.History = append(a.History, step)
		return nil
	})
}

func edit(s Store, id string, fn func(*resindex.Alert) error) (resindex.Alert, error) {
	var a resindex.Alert
	err := s.Update(func(t resindex.Txn) error {
		var err error
		if a, err = load(t, id); err != nil {
			return err
		}
		if err := fn(&a); err != nil {
			return err
		}
		return save(t, &a)
	})
	if errors.Is(err, resindex.ErrNotFound) {
		return a, resindex.NewError(resindex.ErrNotFound, "alert "+id+": no such alert")
	}
	return a, err
}

// add counts one alert of a status.
func (c *Counts) add(status string) {
	switch status {
	case resindex.AlertNew:
		c.New++
	case resindex.AlertAcknowledged:
		c.Acknowledged++
	case resindex.AlertClosed:
		c.Closed++
	}
}
