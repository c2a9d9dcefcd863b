package alerts

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// Erased stands in an alert for a person who was erased.
const Erased = "erased"

// ScrubPerson takes an erased person out of the alerts in a transaction:
// each alert that names them (as the adult or a child, or by one of their
// records as evidence) stays, for the team's record, but with the person
// replaced by Erased, their records and the evidence dropped, and the
// notes of its steps dropped (a note may describe the person). The
// household episodes of the person, and the lookup marks of a look at
// them, are deleted. It returns how many alerts it changed and episodes
// it deleted.
func ScrubPerson(t resindex.Txn, persons []string, records []resindex.RecordKey) (alerts, episodes int, err error) {
	var changed []resindex.Alert
	err = t.Scan([]byte(layout.AlertPrefix), func(key, val []byte) error {
		var a resindex.Alert
		if err := json.Unmarshal(val, &a); err != nil {
			return fmt.Errorf("alerts: alert %s is corrupt: %w", key[len(layout.AlertPrefix):], err)
		}
		if scrubAlert(&a, persons, records) {
			changed = append(changed, a)
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	for i := range changed {
		if err := save(t, &changed[i]); err != nil {
			return 0, 0, err
		}
	}
	episodes, err = dropEpisodes(t, persons)
	return len(changed), episodes, err
}

// scrubAlert scrubs one alert, reporting whether it named the person.
func scrubAlert(a *resindex.Alert, persons []string, records []resindex.RecordKey) bool {
	named := false
	scrub := func(ap *resindex.AlertPerson) {
		if slices.Contains(persons, ap.Person) || slices.ContainsFunc(ap.Records, func(k resindex.RecordKey) bool { return slices.Contains(records, k) }) {
			*ap = resindex.AlertPerson{Person: Erased, Age: ap.Age, AgeUnknown: ap.AgeUnknown}
			named = true
		}
	}
	if a.Adult != nil {
		scrub(a.Adult)
	}
	for i := range a.Children {
		scrub(&a.Children[i])
	}
	if a.Evidence != nil && slices.Contains(records, resindex.RecordKey{Source: a.Evidence.Source, ID: a.Evidence.Record}) {
		a.Evidence, a.EvidenceDate, named = nil, "", true
	}
	if named {
		for i := range a.History {
			a.History[i].Note = ""
		}
	}
	return named
}

// dropEpisodes deletes the episode keys naming one of the persons: as the
// adult of a household episode, or as the child of a lookup mark.
func dropEpisodes(t resindex.Txn, persons []string) (int, error) {
	var drop [][]byte
	err := t.Scan([]byte(layout.EpisodePrefix), func(key, _ []byte) error {
		household, pid, _ := strings.Cut(string(key[len(layout.EpisodePrefix):]), "\x00")
		child, isLookup := strings.CutPrefix(household, lookupMark)
		if slices.Contains(persons, pid) || isLookup && slices.Contains(persons, child) {
			drop = append(drop, slices.Clone(key))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, k := range drop {
		if err := t.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(drop), nil
}
