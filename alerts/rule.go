package alerts

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// Index reads persons and households inside a change's transaction (the
// resolver's InTxn).
type Index interface {
	Person(t resindex.Txn, pid string) (resindex.Person, error)
	Household(t resindex.Txn, key string) ([]string, error)
	PersonOf(t resindex.Txn, k resindex.RecordKey) (string, error)
}

// Options tune the rule; zero values take the defaults.
type Options struct {
	// ReturnWindow: a person who left a household and is back within it
	// is no new arrival (default 90 days).
	ReturnWindow time.Duration
	// StaleAfter: evidence of a move dated more than this before the
	// newest evidence the rule has seen, or recorded more than this after
	// the move it reports, is old news resurfacing (default 365 days: electoral registers learn of moves at the yearly canvass).
	StaleAfter time.Duration
	// Endpoints are the webhook endpoints' names: each alert is queued
	// for delivery to every one.
	Endpoints []string
	Now       func() time.Time
	// Restricted reports a person (by current ID) whose processing is
	// restricted at their request (access.RestrictedIn): the rule
	// neither raises an alert about them as the adult nor counts them as
	// the child. Nil: nobody is.
	Restricted func(t resindex.Txn, pid string) (bool, error)
}

// Defaults of Options.
const (
	DefaultReturnWindow = 90 * 24 * time.Hour
	DefaultStaleAfter   = 365 * 24 * time.Hour
)

// Rule raises an alert when an adult joins a household with a child known
// to children's services. It runs in each change's transaction
// (resolver.Watcher), so an alert commits with the change that raised it.
type Rule struct {
	opts Options
	idx  Index
	// Metrics, if set, count the alerts the rule raises, once the change
	// that raised them has committed.
	Metrics *Metrics
	// raised are the kinds of alert the change being watched raised,
	// counted when it commits (Committed): its transaction may be tried
	// again, and watched again.
	raised []string
	// kept are those of earlier changes of a group not yet committed
	// (Keep).
	kept []string
}

// NewRule makes the rule over an index.
func NewRule(idx Index, opts Options) *Rule {
	if opts.ReturnWindow <= 0 {
		opts.ReturnWindow = DefaultReturnWindow
	}
	if opts.StaleAfter <= 0 {
		opts.StaleAfter = DefaultStaleAfter
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Rule{opts: opts, idx: idx}
}

// Watch evaluates one change's feed entries: joins may raise alerts,
// leaves end episodes, and merges and splits may take away the reason for
// an open alert.
func (r *Rule) Watch(t resindex.Txn, changes []resindex.Change) error {
	r.raised = r.raised[:0]
	recheck := map[string]bool{}
	for _, c := range changes {
		var err error
		switch c.Type {
		case resindex.ChangeHouseholdJoined:
			// A split is a person the records had hidden in another, who
			// may have just arrived; the rule's freshness and age tests
			// decide. A merge or a newly resolved address is no arrival.
			if c.Why == resindex.JoinMoved || c.Why == resindex.JoinSplit || c.Why == "" {
				if err = r.joined(t, c); err == nil && c.Why != resindex.JoinSplit {
					err = r.childArrived(t, c)
				}
			} else {
				recheck[c.Household] = true
			}
		case resindex.ChangeHouseholdLeft:
			err = r.left(t, c)
			recheck[c.Household] = true
		case resindex.ChangePersonMerged:
			err = r.homesOf(t, recheck, c.Person, c.From)
		case resindex.ChangePersonSplit:
			if err = r.homesOf(t, recheck, c.Person, c.From); err == nil {
				err = r.splitApart(t, c.Person, c.From)
			}
		}
		if err != nil {
			return fmt.Errorf("alerts: %s of %s: %w", c.Type, c.Person, err)
		}
	}
	if !slices.ContainsFunc(changes, reshaped) {
		return nil
	}
	for _, h := range sortedKeys(recheck) {
		if err := r.recheck(t, h); err != nil {
			return fmt.Errorf("alerts: recheck a household: %w", err)
		}
	}
	return nil
}

// splitApart weighs both sides of a split as arrivals: a person the
// records had hidden in another (a false merge) is seen apart for the
// first time, whichever side kept the old ID. Each side is dated by its
// earliest evidence at the property, so a long-standing resident whose
// records a steward parts stays old news; the freshness and age tests
// decide as for a move, and an alerted move is not raised again.
func (r *Rule) splitApart(t resindex.Txn, pids ...string) error {
	return r.weighAsOf(t, time.Time{}, pids...)
}

// weighAsOf weighs persons as arrivals at their households, each dated
// by their earliest evidence there, fresh as of a day (zero: by their
// source's clock).
func (r *Rule) weighAsOf(t resindex.Txn, asOf time.Time, pids ...string) error {
	return r.eachPerson(t, pids, func(p *resindex.Person) error {
		from, ok := earliestAt(p, strings.TrimPrefix(p.Household, "uprn:"))
		if p.Household == "" || !ok {
			return nil
		}
		return r.joinedAsOf(t, resindex.Change{Type: resindex.ChangeHouseholdJoined, Person: p.ID, Household: p.Household,
			Evidence: &from, Why: resindex.JoinSplit}, asOf)
	})
}

// eachPerson calls fn with each of the persons that still exist.
func (r *Rule) eachPerson(t resindex.Txn, pids []string, fn func(*resindex.Person) error) error {
	for _, pid := range pids {
		p, err := r.idx.Person(t, pid)
		if errors.Is(err, resindex.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if err := fn(&p); err != nil {
			return err
		}
	}
	return nil
}

// earliestAt is the record that first places a person at the property,
// by move-in date: among their records that give its UPRN, or, for a
// household keyed by its address text (or a UPRN inferred for it), those
// written as their golden address is.
func earliestAt(p *resindex.Person, uprn string) (resindex.Provenance, bool) {
	g := resindex.GoldenRecord(p.Records, resindex.DefaultTrust, time.Time{})
	var here string
	if g.Address != nil {
		here = textPlace(g.Address.Value)
	}
	var best resindex.Provenance
	var bestDay time.Time
	for i := range p.Records {
		rec := &p.Records[i]
		a, ok := resindex.CurrentAddress(rec)
		if !ok || !(uprn != "" && a.UPRN == uprn || a.UPRN == "" && here != "" && textPlace(a) == here) {
			continue
		}
		d := dayOf(a.From)
		if d.IsZero() {
			d = dayOf(rec.Version)
		}
		if bestDay.IsZero() || d.Before(bestDay) {
			best, bestDay = resindex.Provenance{Source: rec.Source, Record: rec.ID, Version: rec.Version}, d
		}
	}
	if !bestDay.IsZero() {
		return best, true
	}
	if g.Address == nil {
		return best, false
	}
	return g.Address.From, true
}

// childArrived weighs the other members as arrivals when a child known to
// children's services is placed in a household: sources learn of moves in
// any order, so an adult who moved in after the child may be known there
// first. Each is dated by their earliest evidence at the property; the
// rule then decides as for a move (the child must have been there first,
// the adult's move must be fresh), and an alerted move is not raised
// again.
func (r *Rule) childArrived(t resindex.Txn, c resindex.Change) error {
	child, err := r.idx.Person(t, c.Person)
	if errors.Is(err, resindex.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if known, _ := knownToCSC(&child); !known {
		return nil
	}
	// Only a placement is news: not a child's first record at a home
	// they have long lived in (a case newly opened), which would make
	// every adult there look new to them.
	ev, ok := evidenceOf(&child, c.Evidence)
	if !ok || ev.written.Sub(ev.date) > r.opts.StaleAfter {
		return nil
	}
	ids, err := r.idx.Household(t, c.Household)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if id != child.ID {
			// Fresh as of the child's record: the adult's own source may
			// have moved on since it placed them (a backlog read from
			// many topics), and the news is the child's placement.
			if err := r.weighAsOf(t, ev.written, id); err != nil {
				return err
			}
		}
	}
	return nil
}

// homesOf adds the persons' households to the set.
func (r *Rule) homesOf(t resindex.Txn, set map[string]bool, pids ...string) error {
	return r.eachPerson(t, pids, func(p *resindex.Person) error {
		if p.Household != "" {
			set[p.Household] = true
		}
		return nil
	})
}

// reshaped reports a merge or a split: only they take a reason away
// without anyone moving.
func reshaped(c resindex.Change) bool {
	return c.Type == resindex.ChangePersonMerged || c.Type == resindex.ChangePersonSplit
}

// joined raises an alert when the person is a new adult in a household
// with a child known to children's services, and none of the exclusions
// holds.
func (r *Rule) joined(t resindex.Txn, c resindex.Change) error {
	return r.joinedAsOf(t, c, time.Time{})
}

// joinedAsOf is joined with the move judged fresh as of a day (zero: by
// its source's clock, which it moves on).
func (r *Rule) joinedAsOf(t resindex.Txn, c resindex.Change, asOf time.Time) error {
	adult, err := r.idx.Person(t, c.Person)
	if errors.Is(err, resindex.ErrNotFound) {
		return nil
	}
	if err != nil || c.Evidence == nil || restricted(&adult) {
		return err
	}
	if held, err := r.heldBack(t, adult.ID); err != nil || held {
		return err
	}
	ev, ok := evidenceOf(&adult, c.Evidence)
	if !ok {
		return nil
	}
	fresh, err := r.freshAsOf(t, ev, asOf)
	if err != nil || !fresh {
		return err
	}
	if open, err := r.episodeOpen(t, c.Household, adult.ID, ev.date); err != nil || open {
		return err
	}
	// The same adult under another person ID (split off, or merged):
	// their records already have an open alert here.
	if id, err := alertedFor(t, c.Household, &adult, c.Evidence, ev.date.Format(time.DateOnly)); err != nil || id != "" {
		if err == nil {
			err = t.Set(layout.Episode(c.Household, adult.ID), []byte(id))
		}
		return err
	}
	a := personAt(&adult, ev.date, false)
	if !a.AgeUnknown && a.Age < 18 {
		return nil
	}
	kids, err := r.children(t, c.Household, &adult, ev.date)
	if err != nil || len(kids) == 0 {
		return err
	}
	al := resindex.Alert{Kind: resindex.AlertNewAdult, Severity: severity(kids), Household: c.Household,
		UPRN: strings.TrimPrefix(c.Household, "uprn:"), Property: c.Property, Adult: &a, Children: kids,
		Evidence: c.Evidence, EvidenceDate: ev.date.Format(time.DateOnly)}
	if !strings.HasPrefix(c.Household, "uprn:") {
		al.UPRN = ""
	}
	id, err := r.raise(t, &al)
	if err != nil {
		return err
	}
	return t.Set(layout.Episode(c.Household, adult.ID), []byte(id))
}

// evidence is the record that showed a move and the dates it gives.
type evidence struct {
	rec     *resindex.Record
	date    time.Time // the move, as the record dates it
	written time.Time // when the source wrote the record
}

// evidenceOf finds the evidence record among the person's and dates it:
// the move by its address's from date, else by the version.
func evidenceOf(p *resindex.Person, from *resindex.Provenance) (evidence, bool) {
	for i := range p.Records {
		rec := &p.Records[i]
		if rec.Source != from.Source || rec.ID != from.Record {
			continue
		}
		ev := evidence{rec: rec, written: dayOf(rec.Version)}
		if ev.written.IsZero() {
			ev.written = dayOf(rec.LastActivity)
		}
		ev.date = ev.written
		if a, ok := resindex.CurrentAddress(rec); ok {
			if d := dayOf(a.From); !d.IsZero() {
				ev.date = d
			}
		}
		return ev, !ev.date.IsZero()
	}
	return evidence{}, false
}

// dayOf reads the date at the start of a version or date string
// (RFC 3339 or YYYY-MM-DD); zero when there is none.
func dayOf(s string) time.Time {
	if len(s) < 10 {
		return time.Time{}
	}
	d, err := time.Parse(time.DateOnly, s[:10])
	if err != nil {
		return time.Time{}
	}
	return d
}

// fresh reports whether evidence is news: written not long after the move
// it reports, and not long before the newest record its own source has
// written (the source's clock, which it moves on). Clocks are kept per
// source because sources arrive in their own order: a backlog read from
// ten topics at once is in time order within each, not across them.
func (r *Rule) freshAsOf(t resindex.Txn, ev evidence, asOf time.Time) (bool, error) {
	if ev.written.Sub(ev.date) > r.opts.StaleAfter {
		return false, nil // the source recorded, long after, a move long past
	}
	if !asOf.IsZero() {
		return asOf.Sub(ev.date) <= r.opts.StaleAfter, nil
	}
	clocks, err := r.clocks(t)
	if err != nil {
		return false, err
	}
	src, clock := ev.rec.Source, clocks[ev.rec.Source]
	// A version from the future (a source's clock wrong, a typo) must not
	// carry the clock past today: every later move would look stale.
	today := r.opts.Now().UTC().Add(clockSkew)
	if ev.written.After(clock) && !ev.written.After(today) {
		clocks[src] = ev.written
		if err := t.Set(layout.AlertClock, layout.EncodeClocks(clocks)); err != nil {
			return false, err
		}
		clock = ev.written
	}
	return clock.Sub(ev.written) <= r.opts.StaleAfter, nil
}

// clockSkew is how far ahead of today a source's clock may run.
const clockSkew = 24 * time.Hour

// clocks reads each source's clock: the newest version day it has
// written, as far as the rule has seen.
func (r *Rule) clocks(t resindex.Txn) (map[string]time.Time, error) {
	v, err := t.Get(layout.AlertClock)
	if errors.Is(err, resindex.ErrNotFound) {
		return map[string]time.Time{}, nil
	}
	if err != nil {
		return nil, err
	}
	return layout.DecodeClocks(v)
}

// restricted reports a person a source has restricted: no alert names
// them.
func restricted(p *resindex.Person) bool {
	for i := range p.Records {
		if slices.Contains(p.Records[i].Flags, resindex.FlagRestricted) {
			return true
		}
	}
	return false
}

// heldBack reports a person restricted at their request.
func (r *Rule) heldBack(t resindex.Txn, pid string) (bool, error) {
	if r.opts.Restricted == nil {
		return false, nil
	}
	return r.opts.Restricted(t, pid)
}

// personAt names a person by their records, with their age on a day.
func personAt(p *resindex.Person, day time.Time, youngest bool) resindex.AlertPerson {
	ap := resindex.AlertPerson{Person: p.ID}
	for i := range p.Records {
		ap.Records = append(ap.Records, p.Records[i].Key())
	}
	g := resindex.GoldenRecord(p.Records, resindex.DefaultTrust, time.Time{})
	if g.DOB == nil {
		ap.AgeUnknown = true
		return ap
	}
	dob, err := resindex.ParsePartialDate(g.DOB.Value)
	if err != nil || dob.IsZero() {
		ap.AgeUnknown = true
		return ap
	}
	// A partial date ("2007") spans a year or a month of birthdays: a
	// child is taken at the youngest they may be, an arriving adult at
	// the oldest, so that a possible adult counts as one.
	birth := dob.Latest()
	if !youngest {
		birth = time.Date(dob.Year, time.Month(max(dob.Month, 1)), max(dob.Day, 1), 0, 0, 0, 0, time.UTC)
	}
	ap.Age = ageOn(birth, day)
	if !youngest && ap.Age >= 18 && ageOn(dob.Latest(), day) < 18 {
		ap.AgeUnknown = true // may be 17 or 18: a possible adult, and the alert says so
	}
	return ap
}

func ageOn(dob, day time.Time) int {
	age := day.Year() - dob.Year()
	if day.Month() < dob.Month() || day.Month() == dob.Month() && day.Day() < dob.Day() {
		age--
	}
	return age
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// alertedFor is an open alert of the household for the same adult: one
// raised on the same evidence record dating the same move (whatever
// person IDs a split or merge gave it since), or one of an episode going on whose
// adult records include one of the person's.
func alertedFor(t resindex.Txn, household string, p *resindex.Person, ev *resindex.Provenance, moved string) (string, error) {
	type episode struct {
		alert   string
		ongoing bool
	}
	var eps []episode
	err := t.Scan(layout.EpisodesOf(household), func(_, v []byte) error {
		if a := episodeAlert(string(v)); a != "" {
			eps = append(eps, episode{a, !strings.HasPrefix(string(v), leftMark)})
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	for _, ep := range eps {
		a, err := load(t, ep.alert)
		if errors.Is(err, resindex.ErrNotFound) {
			continue
		}
		if err != nil {
			return "", err
		}
		if a.Status == resindex.AlertClosed || a.Adult == nil {
			continue
		}
		if a.Evidence != nil && a.Evidence.Source == ev.Source && a.Evidence.Record == ev.Record && a.EvidenceDate == moved {
			return a.ID, nil
		}
		if ep.ongoing && slices.ContainsFunc(p.Records, func(r resindex.Record) bool { return slices.Contains(a.Adult.Records, r.Key()) }) {
			return a.ID, nil
		}
	}
	return "", nil
}
