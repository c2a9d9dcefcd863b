package resolver

import (
	"errors"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// A Watcher sees the change-feed entries of each change in the change's
// own transaction, before it commits, so that what it writes (alerts,
// their outbox entries) commits with the change or not at all: a crash
// never loses an alert nor raises one twice.
type Watcher interface {
	Watch(t resindex.Txn, changes []resindex.Change) error
}

// A CommitWatcher is a Watcher told when the change it last watched has
// committed: what it did in the change's transaction is done only then
// (a transaction may be tried again, and Watch run again with it).
// Changes are applied one at a time, so Watch and Committed never run at
// once.
type CommitWatcher interface {
	Watcher
	Committed()
}

// feedTxn is a change's transaction that also keeps the feed entries the
// change emits, for the Watcher.
type feedTxn struct {
	resindex.Txn
	changes []resindex.Change
}

// InTxn reads persons and households inside a transaction, for a Watcher
// that needs more than the feed entries.
type InTxn struct{}

// Person reads a person's live records and household, following the
// redirect of a merged-away ID; a missing person is resindex.ErrNotFound.
func (InTxn) Person(t resindex.Txn, pid string) (resindex.Person, error) {
	id, err := followRedirects(t, pid)
	if err != nil {
		return resindex.Person{}, err
	}
	p, err := loadMembership(t, id)
	if err != nil {
		return resindex.Person{}, err
	}
	out := resindex.Person{ID: id, Household: p.Household, NoGolden: p.withheld}
	for _, rid := range p.Records {
		r, found, err := loadRecord(t, layout.ParseRecID(rid))
		if err != nil {
			return out, err
		}
		if found && !r.Deleted {
			out.Records = append(out.Records, r)
		}
	}
	return out, nil
}

// Household lists the persons at a property.
func (InTxn) Household(t resindex.Txn, key string) ([]string, error) {
	hh, err := loadHousehold(t, key)
	return hh.Persons, err
}

// PersonOf is the person a record belongs to ("" for none).
func (InTxn) PersonOf(t resindex.Txn, k resindex.RecordKey) (string, error) {
	v, err := t.Get(layout.Member(k))
	if errors.Is(err, resindex.ErrNotFound) {
		return "", nil
	}
	return string(v), err
}
