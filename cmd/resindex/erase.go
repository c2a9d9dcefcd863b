package main

import (
	"errors"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/alerts"
	"github.com/resindex/resindex/fraud"
)

// eraser is the access service's Eraser over the components: the engine
// erases the person from the index, then the alert inbox and the fraud
// reviews are scrubbed of them, and Compact compacts the store.
type eraser struct{ m *Main }

// Erase erases a person (access.Eraser). Alerts and fraud reviews are
// scrubbed first, while the person's IDs and records can still be read:
// an erasure stopped after its purge is finished by asking again, which
// then finds only the person-level entries left.
func (x eraser) Erase(pid string) (access.Erasure, error) {
	ids, keys, err := x.m.Engine.ErasureScope(pid)
	if err != nil {
		return access.Erasure{}, err
	}
	var out access.Erasure
	err = x.m.DB.Update(func(t resindex.Txn) error {
		var err error
		if out.Alerts, out.Episodes, err = alerts.ScrubPerson(t, ids, keys); err != nil {
			return err
		}
		out.FraudReviews, err = fraud.ScrubReviews(t, keys)
		return err
	})
	if err != nil {
		return out, err
	}
	rep, err := x.m.Engine.Erase(pid)
	out.Records, out.Overrides, out.ReviewPairs, out.Redirects = rep.Records, rep.Overrides, rep.ReviewPairs, rep.Redirects
	out.ChangeFeed, out.Notices, out.Rights, out.Resumed = rep.ChangeFeed, rep.Notices, rep.Rights, rep.Resumed
	if errors.Is(err, resindex.ErrNotFound) && out.Alerts+out.Episodes+out.FraudReviews > 0 {
		err = nil // only alerts named the ID, and they are scrubbed now
	}
	return out, err
}

// Compact compacts the store (access.Eraser).
func (x eraser) Compact() error { return x.m.DB.Compact() }
