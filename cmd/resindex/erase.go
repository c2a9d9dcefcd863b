package main

import (
	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/alerts"
	"github.com/resindex/resindex/fraud"
)

// eraser is the access service's Eraser over the components: the engine
// erases the person from the index, then the alert inbox and the fraud
// reviews are scrubbed of them, and Compact compacts the store.
type eraser struct{ m *Main }

// Erase erases a person (access.Eraser).
func (x eraser) Erase(pid string) (access.Erasure, error) {
	rep, err := x.m.Engine.Erase(pid)
	out := access.Erasure{Records: rep.Records, Overrides: rep.Overrides, ReviewPairs: rep.ReviewPairs,
		Redirects: rep.Redirects, ChangeFeed: rep.ChangeFeed, Notices: rep.Notices, Rights: rep.Rights, Resumed: rep.Resumed}
	if err != nil {
		return out, err
	}
	err = x.m.DB.Update(func(t resindex.Txn) error {
		var err error
		if out.Alerts, out.Episodes, err = alerts.ScrubPerson(t, rep.IDs, rep.Purged); err != nil {
			return err
		}
		out.FraudReviews, err = fraud.ScrubReviews(t, rep.Purged)
		return err
	})
	return out, err
}

// Compact compacts the store (access.Eraser).
func (x eraser) Compact() error { return x.m.DB.Compact() }
