package resolver

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// PersonView is what the store holds of one person.
type PersonView struct {
	ID      string
	Records []resindex.RecordKey
	Golden  resindex.Golden
}

// GetPerson reads a person, following the redirect of a merged-away ID to
// the person that absorbed it. A missing person is resindex.ErrNotFound.
func GetPerson(s Store, pid string) (PersonView, error) {
	var out PersonView
	err := s.View(func(t resindex.Txn) error {
		pid, err := followRedirects(t, pid)
		if err != nil {
			return err
		}
		p, err := loadPerson(t, pid)
		if err != nil {
			return err
		}
		out.ID, out.Golden = pid, p.Golden
		for _, id := range p.Records {
			out.Records = append(out.Records, layout.ParseRecID(id))
		}
		return nil
	})
	return out, err
}

// followRedirects returns the person a (possibly merged-away) ID now
// names; a missing person is resindex.ErrNotFound.
func followRedirects(t resindex.Txn, pid string) (string, error) {
	for hops := 0; ; hops++ {
		next, err := t.Get(layout.Redirect(pid))
		if errors.Is(err, resindex.ErrNotFound) {
			break // no redirect: pid is where the chain ends
		}
		if err != nil {
			return "", fmt.Errorf("follow redirect of %s: %w", pid, err)
		}
		if hops == 16 { // redirects never chain far: a loop is corruption
			return "", fmt.Errorf("resolver: the redirects from %s do not end: %w", pid, resindex.ErrInternal)
		}
		pid = string(next)
	}
	if _, err := t.Get(layout.Person(pid)); err != nil {
		return "", err
	}
	return pid, nil
}

// Person reads a person with every record linked to them, following the
// redirect of a merged-away ID. A missing person is resindex.ErrNotFound.
func (e *Engine) Person(pid string) (resindex.Person, error) {
	var out resindex.Person
	err := e.store.View(func(t resindex.Txn) error {
		var err error
		out, err = InTxn{}.Person(t, pid)
		return err
	})
	return out, err
}

// Property is the property an address places a household at, its UPRN
// inferred from other records' addresses when it carries none.
func (e *Engine) Property(a resindex.Address) (resindex.Property, error) {
	var out resindex.Property
	err := e.store.View(func(t resindex.Txn) error {
		var err error
		out, err = propertyOf(t, a)
		return err
	})
	return out, err
}

// Household lists the persons living at a property.
func (e *Engine) Household(key string) ([]string, error) {
	hh, err := GetHousehold(e.store, key)
	return hh.Persons, err
}

// PersonOf returns the person a stored record belongs to.
func (e *Engine) PersonOf(k resindex.RecordKey) (string, bool) {
	e.state.RLock()
	defer e.state.RUnlock()
	pid := e.members.get(k)
	return pid, pid != ""
}

// Thresholds returns the match model's review and link weights.
func (e *Engine) Thresholds() (review, link float64) {
	return e.opts.Model.ReviewThreshold, e.opts.Model.LinkThreshold
}

// Override records a steward's link or unlink of two records (an
// access.Overrider). Each is a change of its own, in a stream of its own:
// positions in one shared stream, taken before the change, let two
// overrides at once (or a clock stepping back) be skipped as repeats.
func (e *Engine) Override(a, b resindex.RecordKey, kind, reason string) error {
	id := make([]byte, 8)
	if _, err := rand.Read(id); err != nil {
		return err
	}
	return e.SetOverride(a, b, Override{Kind: kind, Reason: reason}, resindex.Position{Stream: "override:" + hex.EncodeToString(id), Offset: 1})
}
