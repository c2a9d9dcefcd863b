package alerts_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/alerts"
	"github.com/resindex/resindex/layout"
)

// TestScrubPerson: after the new adult of an alert is erased, the alert
// stays, with the adult replaced by "erased" and nothing of theirs (no
// record, no evidence, no note), and their household episode is gone;
// the children are still named.
func TestScrubPerson(t *testing.T) {
	b := newBorough(t)
	family(b)
	b.apply(newAdult())
	if len(b.alerts()) != 1 {
		t.Fatal("no alert raised")
	}
	adult := newAdult()
	pid, _ := b.eng.PersonOf(adult.Key())
	id := b.alerts()[0].ID
	if _, err := alerts.Acknowledge(b.db, id, resindex.AlertStep{By: "sw", Role: "safeguarding", Note: "visited Dave Hart"}, "sw"); err != nil {
		t.Fatal(err)
	}
	rep, err := b.eng.Erase(pid)
	if err != nil {
		t.Fatal(err)
	}
	var n, eps int
	err = b.db.Update(func(tx resindex.Txn) error {
		n, eps, err = alerts.ScrubPerson(tx, append(rep.Persons, pid), rep.Purged)
		return err
	})
	if err != nil || n != 1 {
		t.Fatalf("scrubbed %d alerts, %d episodes: %v", n, eps, err)
	}
	a, err := alerts.Get(b.db, id)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(a)
	if a.Adult == nil || a.Adult.Person != alerts.Erased || a.Evidence != nil || bytes.Contains(data, []byte("ER7")) ||
		bytes.Contains(data, []byte("Dave")) || bytes.Contains(data, []byte(pid)) || len(a.Children) != 1 || a.Children[0].Person == alerts.Erased {
		t.Fatalf("the alert after the erasure: %s", data)
	}
	b.db.View(func(tx resindex.Txn) error {
		return tx.Scan([]byte(layout.EpisodePrefix), func(k, _ []byte) error {
			if bytes.Contains(k, []byte(pid)) {
				t.Errorf("an episode of the erased person is left")
			}
			return nil
		})
	})
}
