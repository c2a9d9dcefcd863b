package resolver

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/matcher"
)

// Children's golden record policies (EngineOptions.ChildrenGolden, the
// configuration's children.golden_records). A council may hold single
// customer records about children only with a parent's or guardian's
// consent (Camden's notice): under ChildrenConsent a person who may be
// under 18 gets no golden record unless one of their records carries
// the consent attribute. Their records are still stored, blocked, linked
// and placed in households, for children's services and safeguarding.
const (
	ChildrenConsent = "consent" // the default: none without recorded consent
	ChildrenAlways  = "always"  // every person gets a golden record
)

// AttrGoldenConsent is the record attribute that records consent to a
// child's golden record (a source field mapped to
// attributes.golden_record_consent); "yes" or "true" consents. It is the
// root's (resindex.GoldenConsent), shared with the pseudonymised export.
const AttrGoldenConsent = resindex.AttrGoldenConsent

// ParseChildrenGolden checks a children's golden record policy ("" is
// the default: the store's, or for a new store consent).
func ParseChildrenGolden(s string) (string, error) {
	switch s {
	case "", ChildrenConsent, ChildrenAlways:
		return s, nil
	}
	return "", fmt.Errorf("children.golden_records %q: want %s or %s: %w", s, ChildrenConsent, ChildrenAlways, resindex.ErrInvalid)
}

// withholdGolden reports whether a person's golden record is withheld
// under the engine's policy: they may be under 18 on the engine's clock
// and none of their records records consent.
func (e *reader) withholdGolden(recs []resindex.Record) bool {
	if e.opts.ChildrenGolden == ChildrenAlways {
		return false
	}
	return MayBeMinor(recs, e.opts.Now()) && !resindex.GoldenConsent(recs)
}

// MayBeMinor reports whether any record says (or may say) its subject is
// under 18 on a day: a date of birth counted from its latest possible day
// (a partial "2010" may be December), or an electoral-register attainment
// date still to come. Whoever might be a child is treated as one.
func MayBeMinor(recs []resindex.Record, now time.Time) bool {
	for i := range recs {
		if d, err := resindex.ParsePartialDate(recs[i].DOB); err == nil && !d.IsZero() && now.Before(d.Latest().AddDate(18, 0, 0)) {
			return true
		}
		if d, err := resindex.ParsePartialDate(recs[i].Attributes["attainment_date"]); err == nil && !d.IsZero() && now.Before(d.Latest()) {
			return true
		}
	}
	return false
}

// A withheld person's membership (p/) keeps, in place of the stored
// golden record's hash, a marker, a hash of the address their household
// rests on (so that a later move can be told from the same address newly
// resolved, as joinWhy does with a stored golden record) and a hash of
// the unstored golden record (so that a change to it is still news). Its
// length (18 bytes) tells it from a stored record's hash (16).
const withheldMark = "\x00w"

// withheldSum is the membership's golden hash for a withheld person.
func withheldSum(g *resindex.Golden, data []byte) string {
	sum := sha256.Sum256(data)
	return withheldMark + addressSum(g.Address) + string(sum[:8])
}

// addressSum hashes what makes two golden addresses the same for
// joinWhy: the property key of its text and its UPRN. No address: zeros.
func addressSum(a *resindex.GoldenValue[resindex.Address]) string {
	if a == nil {
		return string(make([]byte, 8))
	}
	sum := sha256.Sum256([]byte(matcher.PropertyKey(a.Value) + "\x00" + a.Value.UPRN))
	return string(sum[:8])
}

// isWithheld reports whether a membership's golden hash is a withheld
// person's.
func isWithheld(goldenSum string) bool {
	return len(goldenSum) == len(withheldMark)+16 && strings.HasPrefix(goldenSum, withheldMark)
}

// sameWithheldAddress reports whether a withheld person's stored address
// hash is that of an address (nil: none, never the same).
func sameWithheldAddress(goldenSum string, a *resindex.GoldenValue[resindex.Address]) bool {
	if a == nil || !isWithheld(goldenSum) {
		return false
	}
	stored := goldenSum[len(withheldMark) : len(withheldMark)+8]
	return stored != string(make([]byte, 8)) && stored == addressSum(a)
}

// RefreshGoldenRecords builds the golden records the policy no longer
// withholds without a change to the person's records: children who have
// turned 18 since their records last changed. It is run on a schedule
// (serve, daily); each person it builds is a person.updated in the change
// feed. It returns how many it built.
func (e *Engine) RefreshGoldenRecords() (int, error) {
	var pids []string
	err := e.store.View(func(t resindex.Txn) error {
		return t.ScanKeys([]byte(layout.PersonPrefix), func(k []byte) error {
			pid := string(k[len(layout.PersonPrefix):])
			m, err := loadMembership(t, pid)
			if err == nil && m.withheld {
				pids = append(pids, pid)
			}
			return err
		})
	})
	if err != nil || len(pids) == 0 {
		return 0, err
	}
	built := 0
	// One stream, positions by the clock: a refresh is applied once, and a
	// later run (a later time) is a new position.
	pos := resindex.Position{Stream: "golden-refresh", Offset: e.opts.Now().UnixNano()}
	_, err = e.transact(pos, func(c *change, t resindex.Txn) error {
		built = 0
		for _, pid := range pids {
			ok, err := c.refreshGolden(t, pid)
			if err != nil {
				return fmt.Errorf("person %s: %w", pid, err)
			}
			if ok {
				built++
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("resolver: refresh golden records: %w", err)
	}
	return built, nil
}

// refreshGolden builds a withheld person's golden record if the policy no
// longer withholds it, reporting whether it did.
func (c *change) refreshGolden(t resindex.Txn, pid string) (bool, error) {
	old, err := loadMembership(t, pid)
	if err != nil || !old.withheld {
		return false, err
	}
	var recs []resindex.Record
	for _, id := range old.Records {
		r, found, err := loadRecord(t, layout.ParseRecID(id))
		if err != nil {
			return false, err
		}
		if found && !r.Deleted {
			recs = append(recs, r)
		}
	}
	if c.withholdGolden(recs) {
		return false, nil
	}
	p := person{Records: old.Records, Household: old.Household}
	p.Golden = resindex.GoldenRecordWhere(recs, c.opts.Trust, c.active)
	changed, err := savePerson(t, pid, &old, &p)
	if err != nil || !changed {
		return false, err
	}
	return true, emit(t, resindex.Change{Type: resindex.ChangePersonUpdated, Person: pid, Records: len(recs)})
}
