package alerts

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// cscFlags are the children's social care flags, most severe first.
var cscFlags = []string{resindex.FlagChildProtectionPlan, resindex.FlagLookedAfter, resindex.FlagChildInNeed}

// children lists the household's children known to children's services
// on day: under 18 then, with a children's social care record or flag,
// and not recorded as the adult's child in care of them (the child's
// records name the adult's as a parent's or carer's).
func (r *Rule) children(t resindex.Txn, household string, adult *resindex.Person, day time.Time) ([]resindex.AlertPerson, error) {
	ids, err := r.idx.Household(t, household)
	if err != nil {
		return nil, err
	}
	var out []resindex.AlertPerson
	here := strings.TrimPrefix(household, "uprn:")
	before := places(adult, here)
	for _, id := range ids {
		if id == adult.ID {
			continue
		}
		p, err := r.idx.Person(t, id)
		if errors.Is(err, resindex.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if held, err := r.heldBack(t, p.ID); err != nil || held {
			if err != nil {
				return nil, err
			}
			continue
		}
		c := personAt(&p, day, true)
		known, flags := knownToCSC(&p)
		// A child children's services know with no date of birth (an
		// unborn child on a pre-birth plan) is a possible child.
		if !c.AgeUnknown && c.Age >= 18 || !known || caredForBy(&p, adult) || !arrivedBefore(&p, here, day) || sharesPlace(places(&p, here), before) {
			continue
		}
		c.Flags = flags
		out = append(out, c)
	}
	return out, nil
}

// together is how close two arrivals are taken to be one move: a family
// moving house together, each source dating it a little differently.
const together = 30 * 24 * time.Hour

// arrivedBefore reports whether a child lived at the property before the
// adult's move: the earliest move-in date among their records that give
// the property's UPRN, and their newest residence evidence when it gives
// no UPRN (a source without UPRNs, at the address the child is placed
// at); a child who came with the adult, or after, was not joined by a
// new adult. A child no record dates was there, as far as is known.
func arrivedBefore(p *resindex.Person, uprn string, day time.Time) bool {
	var first time.Time
	earlier := func(d time.Time) {
		if !d.IsZero() && (first.IsZero() || d.Before(first)) {
			first = d
		}
	}
	for i := range p.Records {
		if a, ok := resindex.CurrentAddress(&p.Records[i]); ok && uprn != "" && a.UPRN == uprn {
			earlier(dayOf(a.From))
		}
	}
	if g := resindex.GoldenRecord(p.Records, resindex.DefaultTrust, time.Time{}).Address; g != nil && g.Value.UPRN == "" {
		earlier(dayOf(g.Value.From))
	}
	return first.IsZero() || first.Before(day.Add(-together))
}

// places are the properties a person's records give other than here
// (UPRNs, or for an address without one its lines and postcode folded):
// where they lived before, or live besides.
func places(p *resindex.Person, here string) map[string]bool {
	out := map[string]bool{}
	for i := range p.Records {
		cur, _ := resindex.CurrentAddress(&p.Records[i])
		for _, a := range p.Records[i].Addresses {
			switch {
			case a.UPRN == here && here != "":
			case a.UPRN != "":
				out[a.UPRN] = true
			case !a.Current && a.To != "" || !sameAddress(a, cur):
				// Only a former address without a UPRN: the current one
				// may be here, spelt without it.
				if k := textPlace(a); k != "" {
					out[k] = true
				}
			}
		}
	}
	return out
}

func sameAddress(a, b resindex.Address) bool {
	return a.UPRN == b.UPRN && a.Postcode == b.Postcode && slices.Equal(a.Lines, b.Lines)
}

// textPlace folds an address without a UPRN to compare it as sources
// often write one address alike: lower case, letters and digits only,
// with the postcode; "" without both lines and a postcode.
func textPlace(a resindex.Address) string {
	fold := func(s string) string {
		var b strings.Builder
		for _, r := range strings.ToLower(s) {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				b.WriteRune(r)
			}
		}
		return b.String()
	}
	lines, pc := fold(strings.Join(a.Lines, " ")), fold(a.Postcode)
	if lines == "" || pc == "" {
		return ""
	}
	return "text:" + lines + "|" + pc
}

// sharesPlace reports a child and an adult the records place at another
// property too: a family that moved together, or a parent the child lived
// with before; either way, not a stranger joining the child's home.
func sharesPlace(child, adult map[string]bool) bool {
	for u := range child {
		if adult[u] {
			return true
		}
	}
	return false
}

// knownToCSC reports a child children's services know: a live record of
// theirs, or a flag any source gives; with the flags, most severe first.
func knownToCSC(p *resindex.Person) (bool, []string) {
	known := false
	var flags []string
	for i := range p.Records {
		rec := &p.Records[i]
		known = known || rec.Source == resindex.SourceChildrenSocial
		for _, f := range rec.Flags {
			if slices.Contains(cscFlags, f) && !slices.Contains(flags, f) {
				known, flags = true, append(flags, f)
			}
		}
	}
	slices.SortFunc(flags, func(a, b string) int { return slices.Index(cscFlags, a) - slices.Index(cscFlags, b) })
	return known, flags
}

// CarersAttribute is the record attribute in which a source names a
// child's parents and carers, as source/id record keys joined by ";".
const CarersAttribute = "carers"

// caredForBy reports whether a child's records name one of the adult's
// records as a parent's or carer's.
func caredForBy(child, adult *resindex.Person) bool {
	for i := range child.Records {
		for _, s := range strings.Split(child.Records[i].Attributes[CarersAttribute], ";") {
			k, err := resindex.ParseRecordKey(strings.TrimSpace(s))
			if err != nil {
				continue
			}
			if slices.ContainsFunc(adult.Records, func(r resindex.Record) bool { return r.Key() == k }) {
				return true
			}
		}
	}
	return false
}

// severity is high for a child on a child protection plan, medium for a
// looked-after child, else low.
func severity(kids []resindex.AlertPerson) string {
	best := resindex.SeverityLow
	for _, k := range kids {
		switch {
		case slices.Contains(k.Flags, resindex.FlagChildProtectionPlan):
			return resindex.SeverityHigh
		case slices.Contains(k.Flags, resindex.FlagLookedAfter):
			best = resindex.SeverityMedium
		}
	}
	return best
}

// episodeOpen reports whether the adult's episode in the household goes
// on: an alert already raised for it, or a return within the window
// after leaving.
func (r *Rule) episodeOpen(t resindex.Txn, household, pid string, day time.Time) (bool, error) {
	v, err := t.Get(layout.Episode(household, pid))
	if errors.Is(err, resindex.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	left, ok := strings.CutPrefix(string(v), leftMark)
	if !ok {
		return true, nil // an alert of this episode is open
	}
	d := dayOf(left)
	return !d.IsZero() && day.Sub(d) <= r.opts.ReturnWindow, nil
}

// leftMark starts an episode's value once the adult has left.
const leftMark = "left:"

// left ends the person's episode in the household, remembering when (so
// that a return within the window is no new arrival) and the episode's
// alert (so that a merge or split can still close it).
func (r *Rule) left(t resindex.Txn, c resindex.Change) error {
	if c.Evidence == nil {
		// A person merged away, or left without an address: no one moved
		// out, so no return window starts (the merge's recheck sees to
		// the episode's alert).
		return nil
	}
	// Dated as a return is, by the move (the new address's from date):
	// a departure a source records late must not stretch the window.
	day := r.opts.Now().UTC()
	if p, err := r.idx.Person(t, c.Person); err == nil {
		if ev, ok := evidenceOf(&p, c.Evidence); ok {
			day = ev.date
		}
	}
	v, err := t.Get(layout.Episode(c.Household, c.Person))
	if err != nil && !errors.Is(err, resindex.ErrNotFound) {
		return err
	}
	mark := leftMark + day.Format(time.DateOnly)
	if alert := episodeAlert(string(v)); alert != "" {
		mark += "|" + alert
	}
	return t.Set(layout.Episode(c.Household, c.Person), []byte(mark))
}

// episodeAlert is the alert an episode's value names, if any.
func episodeAlert(v string) string {
	if rest, ok := strings.CutPrefix(v, leftMark); ok {
		_, alert, _ := strings.Cut(rest, "|")
		return alert
	}
	return v
}
