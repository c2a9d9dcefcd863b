package resolver

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// Purging removes source records from the index entirely: not deleted (a
// delete keeps a tombstone, the record's key and version, so that an
// older version arriving later is refused) but gone, with everything the
// index derived from them. Erasure (Erase) purges a person's records;
// retention purges records past their retention period. Each record is
// deleted through the engine's normal change path, so the blocking index,
// term counts (a count that reaches zero is deleted: its key holds the
// value), postcode and UPRN index entries, households, golden records and
// the persons of other records that were linked through it are re-derived
// as for any delete; then, in the same transaction, its tombstone and the
// stewards' overrides naming it are removed. After the last record, the
// review-queue pairs naming any of the records (in one pass over the
// queue) and redirects that lead only to a person who no longer exists
// are removed too. A later event from the record's source creates
// it afresh, with only what that event holds.

// PurgeReport is what a purge removed.
type PurgeReport struct {
	// Records purged, by source (records that were already gone are not
	// counted).
	Records map[string]int `json:"records"`
	// Persons are the persons the records belonged to before the purge.
	Persons     []string `json:"persons,omitempty"`
	Overrides   int      `json:"overrides"`
	ReviewPairs int      `json:"review_pairs"`
	Redirects   int      `json:"redirects"`
	// Purged are the records purged (in memory only: never logged or
	// shown, they are the erased person's), for the scrubs that follow.
	Purged []resindex.RecordKey `json:"-"`
}

// PurgeRecords purges source records (see above), one change each, in a
// stream of their own. A record not in the store is skipped. It stops at
// the first failure: the records purged so far stay purged, and purging
// again finishes the rest.
//
// It runs without the engine's watcher (no alert is weighed): an erasure
// removes the person entirely, and the states they pass through as their
// records go one by one never happened (an erased person "moving back" to
// an old address must not raise a safeguarding alert).
func (e *Engine) PurgeRecords(keys []resindex.RecordKey) (PurgeReport, error) {
	return e.purge(keys, nil, nil)
}

// PurgeRecordsWhere is PurgeRecords of the records for which still (if
// set) holds of their stored version when each is purged: a version that
// arrived after the keys were chosen (retention chose them as past their
// period; the source has since sent a fresh one) is left. The engine's
// watcher sees each purge, as any change: a person whose old record goes
// may leave a household, which closes its episodes.
func (e *Engine) PurgeRecordsWhere(keys []resindex.RecordKey, still func(*resindex.Record) bool) (PurgeReport, error) {
	return e.purge(keys, still, e.opts.Watcher)
}

func (e *Engine) purge(keys []resindex.RecordKey, still func(*resindex.Record) bool, watcher Watcher) (PurgeReport, error) {
	rep := PurgeReport{Records: map[string]int{}}
	if err := e.refuseOnReplica(); err != nil {
		return rep, err
	}
	stream, err := purgeStream()
	if err != nil {
		return rep, err
	}
	persons, gone := map[string]bool{}, map[resindex.RecordKey]bool{}
	for i, k := range keys {
		if err := k.Check(); err != nil {
			return rep, fmt.Errorf("resolver: purge: %w", err)
		}
		pos := resindex.Position{Stream: stream, Offset: int64(i + 1)}
		var done purged
		_, err := e.transactWatched(pos, watcher, func(c *change, t resindex.Txn) (err error) {
			done, err = c.purge(t, k, still) // afresh if the transaction is tried again
			return err
		})
		if err != nil {
			// The key is a source's record ID: resident data, not for
			// an error that may be logged above debug.
			return rep, fmt.Errorf("resolver: purge a record of %s: %w", k.Source, err)
		}
		if done.record {
			rep.Records[k.Source]++
			rep.Purged = append(rep.Purged, k)
		}
		if done.person != "" {
			persons[done.person] = true
		}
		rep.Overrides += done.overrides
		gone[k] = true
	}
	for pid := range persons {
		rep.Persons = append(rep.Persons, pid)
	}
	slices.Sort(rep.Persons)
	if rep.ReviewPairs, err = e.dropReviewPairs(gone); err != nil {
		return rep, err
	}
	rep.Redirects, err = e.dropDeadRedirects(persons)
	return rep, err
}

// purgeStream names a purge's positions: a stream of its own, as an
// override's, so that two purges never take each other for repeats.
func purgeStream() (string, error) {
	id := make([]byte, 8)
	if _, err := rand.Read(id); err != nil {
		return "", err
	}
	return "purge:" + hex.EncodeToString(id), nil
}

// purged is what purging one record removed.
type purged struct {
	record    bool   // a live record (not a tombstone)
	person    string // its person
	overrides int
}

// purge deletes one record through the change path, then its tombstone
// and overrides (its review pairs go after the last record).
func (c *change) purge(t resindex.Txn, k resindex.RecordKey, still func(*resindex.Record) bool) (purged, error) {
	var out purged
	old, found, err := loadRecord(t, k)
	if err != nil || !found || still != nil && !still(&old) {
		return out, err
	}
	out.record, out.person = !old.Deleted, c.personOf(k)
	if _, err := c.apply(t, resindex.Record{Source: k.Source, ID: k.ID, Deleted: true}); err != nil {
		return out, err
	}
	if err := t.Delete(layout.Record(k)); err != nil {
		return out, err
	}
	out.overrides, err = c.dropOverrides(t, k)
	return out, err
}

// dropOverrides deletes the stewards' overrides naming k (the engine
// knows each record's override partners), staging their removal from
// memory.
func (c *change) dropOverrides(t resindex.Txn, k resindex.RecordKey) (int, error) {
	n := 0
	for _, other := range slices.Clone(c.overridePartners(k)) {
		if _, ok := c.overrideOf(k, other); !ok {
			continue
		}
		if err := t.Delete(layout.Override(k, other)); err != nil {
			return n, err
		}
		c.cache.overrides = append(c.cache.overrides, overrideEdit{a: k, b: other, removed: true})
		n++
	}
	return n, nil
}

// dropReviewPairs deletes the review-queue pairs naming any of the
// records, in one pass over the queue (the queue is read from the store,
// and may hold stale pairs, so none is in memory).
func (e *Engine) dropReviewPairs(purged map[resindex.RecordKey]bool) (int, error) {
	if len(purged) == 0 {
		return 0, nil
	}
	var drop [][]byte
	err := e.store.View(func(t resindex.Txn) error {
		return t.Scan([]byte(layout.ReviewPrefix), func(key, _ []byte) error {
			if a, b, ok := layout.ParsePair(key); ok && (purged[a] || purged[b]) {
				drop = append(drop, slices.Clone(key))
			}
			return nil
		})
	})
	if err == nil && len(drop) > 0 {
		err = e.store.Update(func(t resindex.Txn) error {
			for _, key := range drop {
				if err := t.Delete(key); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err != nil {
		return 0, fmt.Errorf("resolver: purge: drop review pairs: %w", err)
	}
	return len(drop), nil
}

// dropDeadRedirects removes redirects that lead to a person who no
// longer exists and who held purged records, and those that lead to
// them in turn.
func (e *Engine) dropDeadRedirects(persons map[string]bool) (int, error) {
	n := 0
	err := e.store.Update(func(t resindex.Txn) error {
		n = 0
		dead := map[string]bool{}
		for pid := range persons {
			if _, err := t.Get(layout.Person(pid)); errors.Is(err, resindex.ErrNotFound) {
				dead[pid] = true
			} else if err != nil {
				return err
			}
		}
		redirects := map[string]string{}
		err := t.Scan([]byte(layout.RedirectPrefix), func(key, val []byte) error {
			redirects[string(key[len(layout.RedirectPrefix):])] = string(val)
			return nil
		})
		if err != nil {
			return err
		}
		for more := true; more; {
			more = false
			for from, to := range redirects {
				if dead[to] && !dead[from] {
					dead[from], more = true, true
				}
			}
		}
		for from, to := range redirects {
			if dead[to] {
				if err := t.Delete(layout.Redirect(from)); err != nil {
					return err
				}
				n++
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("resolver: purge: drop redirects: %w", err)
	}
	return n, nil
}

// ErasureReport is what Erase removed: the purge, and the person-level
// entries that went with it.
type ErasureReport struct {
	PurgeReport
	ChangeFeed int  `json:"change_feed"` // change-feed entries naming the person or their records
	Rights     bool `json:"rights"`      // the person's restriction or objection
	Notices    int  `json:"notices"`     // rectification notices naming the person
	// IDs are every person ID the person was known by: theirs, those
	// merged into them, and those their records had during the purge (in
	// memory only, for the scrubs that follow).
	IDs []string `json:"-"`
	// Resumed: the person had no records left (an erasure stopped after
	// its purge); only the person-level entries were removed.
	Resumed bool `json:"resumed,omitempty"`
}

// Erase erases a person from the index: it purges every record of theirs
// (PurgeRecords), removes the change-feed entries that name them (by any
// ID they were known by, merged-away ones too) or their records (and
// emits one person.deleted entry naming only their ID, so that consumers
// drop them too), their restriction or objection and the rectification
// notices naming them. Alerts and fraud reviews belong to their
// packages, which scrub them (alerts.ScrubPerson, fraud.ScrubReviews);
// the caller runs those too, with rep.IDs.
//
// An erasure that stopped after its purge is finished by erasing the
// same ID again: with no records left, the person-level entries naming
// the ID are removed. An ID that names nothing at all is
// resindex.ErrNotFound.
func (e *Engine) Erase(pid string) (ErasureReport, error) {
	var rep ErasureReport
	if err := e.refuseOnReplica(); err != nil {
		return rep, err
	}
	p, err := GetPerson(e.store, pid)
	if errors.Is(err, resindex.ErrNotFound) {
		return e.resumeErase(pid)
	}
	if err != nil {
		return rep, fmt.Errorf("resolver: erase %s: %w", pid, err)
	}
	aliases, err := mergedInto(e.store, p.ID)
	if err != nil {
		return rep, fmt.Errorf("resolver: erase %s: %w", p.ID, err)
	}
	rep.PurgeReport, err = e.PurgeRecords(p.Records)
	if err != nil {
		return rep, fmt.Errorf("resolver: erase %s: %w", p.ID, err)
	}
	rep.IDs = slices.Compact(slices.Sorted(slices.Values(append(append(slices.Clone(rep.Persons), p.ID, pid), aliases...))))
	if err := e.store.Update(func(t resindex.Txn) error {
		return eraseLeftovers(t, rep.IDs, p.Records, &rep)
	}); err != nil {
		return rep, fmt.Errorf("resolver: erase %s: %w", p.ID, err)
	}
	return rep, nil
}

// ErasureScope is what erasing pid reaches, read before anything is
// removed: every ID the person is known by (theirs, the one asked for,
// those merged into them) and their records. For an ID naming no person,
// the ID alone. The caller scrubs alerts and fraud reviews with it first,
// so that an erasure stopped later still has them scrubbed.
func (e *Engine) ErasureScope(pid string) ([]string, []resindex.RecordKey, error) {
	p, err := GetPerson(e.store, pid)
	if errors.Is(err, resindex.ErrNotFound) {
		return []string{pid}, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("resolver: erase %s: %w", pid, err)
	}
	aliases, err := mergedInto(e.store, p.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("resolver: erase %s: %w", p.ID, err)
	}
	return slices.Compact(slices.Sorted(slices.Values(append(aliases, p.ID, pid)))), p.Records, nil
}

// resumeErase finishes the erasure of a person with no records left.
func (e *Engine) resumeErase(pid string) (ErasureReport, error) {
	rep := ErasureReport{PurgeReport: PurgeReport{Records: map[string]int{}}, IDs: []string{pid}, Resumed: true}
	err := e.store.Update(func(t resindex.Txn) error {
		if err := eraseLeftovers(t, rep.IDs, nil, &rep); err != nil {
			return err
		}
		if rep.ChangeFeed == 0 && rep.Notices == 0 && !rep.Rights {
			return resindex.ErrNotFound // nothing names it: no erasure to finish
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("resolver: erase %s: %w", pid, err)
	}
	return rep, nil
}

// mergedInto are the IDs whose redirects lead to a person: the IDs of
// persons merged into them, which entries written before the merge name.
func mergedInto(s Store, pid string) ([]string, error) {
	redirects := map[string]string{}
	err := s.View(func(t resindex.Txn) error {
		return t.Scan([]byte(layout.RedirectPrefix), func(key, val []byte) error {
			redirects[string(key[len(layout.RedirectPrefix):])] = string(val)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read redirects: %w", err)
	}
	var out []string
	for from := range redirects {
		to := from
		for hops := 0; hops < 16 && redirects[to] != ""; hops++ {
			to = redirects[to]
		}
		if to == pid {
			out = append(out, from)
		}
	}
	slices.Sort(out)
	return out, nil
}

// eraseLeftovers removes the person-level entries Erase names.
func eraseLeftovers(t resindex.Txn, persons []string, records []resindex.RecordKey, rep *ErasureReport) error {
	rep.ChangeFeed, rep.Notices, rep.Rights = 0, 0, false
	n, err := dropNaming(t, layout.OutboxPrefix, func(v []byte) bool { return changeNames(v, persons, records) })
	if err != nil {
		return err
	}
	rep.ChangeFeed = n
	rep.Notices, err = dropNaming(t, layout.NoticePrefix, func(v []byte) bool { return noticeNames(v, persons) })
	if err != nil {
		return err
	}
	for _, pid := range persons {
		if _, err := t.Get(layout.Rights(pid)); err == nil {
			rep.Rights = true
		}
		if err := t.Delete(layout.Rights(pid)); err != nil {
			return err
		}
	}
	for _, pid := range slices.Compact(slices.Sorted(slices.Values(persons))) {
		if err := emit(t, resindex.Change{Type: resindex.ChangePersonDeleted, Person: pid}); err != nil {
			return err
		}
	}
	return nil
}

// dropNaming deletes the entries of a kind whose value names the person.
func dropNaming(t resindex.Txn, prefix string, names func([]byte) bool) (int, error) {
	var drop [][]byte
	err := t.Scan([]byte(prefix), func(key, val []byte) error {
		if names(val) {
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

// changeNames reports whether a change-feed entry names one of the
// persons or records: as the person, the one merged away, the evidence,
// or in the alert it carries. An entry that cannot be read is dropped
// too: it cannot be shown not to.
func changeNames(v []byte, persons []string, records []resindex.RecordKey) bool {
	var c resindex.Change
	if err := json.Unmarshal(v, &c); err != nil {
		return true
	}
	if c.Type == resindex.ChangePersonDeleted && c.From == "" && c.Evidence == nil && c.Alert == nil {
		return false // the ID alone: what erasure itself publishes
	}
	if slices.Contains(persons, c.Person) || c.From != "" && slices.Contains(persons, c.From) {
		return true
	}
	if provNames(c.Evidence, records) {
		return true
	}
	return c.Alert != nil && alertNames(c.Alert, persons, records)
}

// alertNames reports whether an alert names one of the persons, or one
// of the records as its evidence or a person's.
func alertNames(a *resindex.Alert, persons []string, records []resindex.RecordKey) bool {
	aps := slices.Clone(a.Children)
	if a.Adult != nil {
		aps = append(aps, *a.Adult)
	}
	for _, ap := range aps {
		if slices.Contains(persons, ap.Person) || slices.ContainsFunc(ap.Records, func(k resindex.RecordKey) bool { return slices.Contains(records, k) }) {
			return true
		}
	}
	return provNames(a.Evidence, records)
}

// provNames reports whether a provenance is one of the records.
func provNames(p *resindex.Provenance, records []resindex.RecordKey) bool {
	return p != nil && slices.Contains(records, resindex.RecordKey{Source: p.Source, ID: p.Record})
}

// noticeNames reports whether a rectification notice (JSON with a
// "person" field) names one of the persons; one that cannot be read is
// dropped too.
func noticeNames(v []byte, persons []string) bool {
	var n struct {
		Person string `json:"person"`
	}
	if err := json.Unmarshal(v, &n); err != nil {
		return true
	}
	return slices.Contains(persons, n.Person)
}
