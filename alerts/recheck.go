package alerts

import (
	"errors"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// recheck closes, as no longer applying, the new alerts of a household
// whose reason a merge or a split took away, judged by the records alone:
// the adult's records are now one person with every child's, or are
// gone. Where people live now is not judged here: an adult or a child
// who moved away since leaves the alert standing, as news for the social
// worker. An acknowledged alert is someone's case: it stays theirs.
func (r *Rule) recheck(t resindex.Txn, household string) error {
	var ids []string
	err := t.Scan(layout.EpisodesOf(household), func(k, v []byte) error {
		if a := episodeAlert(string(v)); a != "" {
			ids = append(ids, a)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, id := range ids {
		a, err := load(t, id)
		if errors.Is(err, resindex.ErrNotFound) || err == nil && a.Status != resindex.AlertNew {
			continue
		}
		if err != nil {
			return err
		}
		applies, err := r.stillApplies(t, &a)
		if err != nil {
			return err
		}
		if applies {
			continue
		}
		step := resindex.AlertStep{At: r.opts.Now().UTC(), By: "resindex", Status: resindex.AlertClosed,
			Note: "a merge or split of records made the adult one person with the child, or removed the adult's records"}
		if err := closeAlert(t, &a, step, resindex.OutcomeNoLongerApplies); err != nil {
			return err
		}
	}
	return nil
}

// stillApplies reports whether an alert's adult is still a person, apart
// from at least one of its children.
func (r *Rule) stillApplies(t resindex.Txn, a *resindex.Alert) (bool, error) {
	adult, _, err := r.holder(t, a.Adult)
	if err != nil || adult == "" {
		return false, err
	}
	for i := range a.Children {
		child, _, err := r.holder(t, &a.Children[i])
		if err != nil {
			return false, err
		}
		if child != adult {
			return true, nil
		}
	}
	return false, nil
}

// holder is the person who now holds most of an alert person's records
// ("" when none does).
func (r *Rule) holder(t resindex.Txn, ap *resindex.AlertPerson) (string, resindex.Person, error) {
	count := map[string]int{}
	best := ""
	for _, k := range ap.Records {
		pid, err := r.idx.PersonOf(t, k)
		if err != nil {
			return "", resindex.Person{}, err
		}
		if pid == "" {
			continue
		}
		count[pid]++
		if n := count[pid]; best == "" || n > count[best] || n == count[best] && pid < best {
			best = pid
		}
	}
	if best == "" {
		return "", resindex.Person{}, nil
	}
	p, err := r.idx.Person(t, best)
	if errors.Is(err, resindex.ErrNotFound) {
		return "", p, nil
	}
	return p.ID, p, err
}
