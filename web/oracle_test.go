package web_test

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
)

// The oracle says what the policy allows, written from DESIGN §8 and the
// issue rather than from the access package's code: which persons a role
// sees, from which records, and which fields a view must then show.

// window is the activity window: two years.
const window = 2 * 365 * 24 * time.Hour

type expectation struct {
	status  int // 200; 404 unseen; 403 shielded without a reason
	class   access.Class
	visible []resindex.Record
	// merged are the records a view's headline fields come from: all the
	// visible ones, or for a person the index keeps no golden record of
	// (a child without recorded consent, issue 16) the most trusted
	// alone, since nothing may be merged across records.
	merged []resindex.Record
}

// keys names the visible records as source/id.
func (e expectation) keys() map[string]bool {
	out := map[string]bool{}
	for _, r := range e.visible {
		out[r.Key().String()] = true
	}
	return out
}

func expect(role *access.Role, p resindex.Person, withReason bool) expectation {
	class, shielded := classOf(p), isShielded(p)
	if !role.Sees(class) || (shielded && !role.Can(access.SeeShielded)) {
		return expectation{status: http.StatusNotFound}
	}
	var vis []resindex.Record
	for _, r := range p.Records {
		if role.Source(r.Source) && inWindow(r) {
			vis = append(vis, r)
		}
	}
	switch {
	case len(vis) == 0:
		return expectation{status: http.StatusNotFound}
	case shielded && !withReason:
		return expectation{status: http.StatusForbidden}
	}
	merged := vis
	if p.NoGolden {
		merged = resindex.TrustOrder(vis, resindex.DefaultTrust)[:1]
	}
	return expectation{status: http.StatusOK, class: class, visible: vis, merged: merged}
}

// classOf: a child is anyone any record says is (or may be) under 18 —
// by a date of birth, or by an electoral-register attainment date (the
// day an attainer turns 18) not yet past (issue 13) — or known to
// children's services, flagged as a child record or marked an attainer
// without a date by a record still in the activity window.
func classOf(p resindex.Person) access.Class {
	for _, r := range p.Records {
		childRecord := r.Source == resindex.SourceChildrenSocial || hasFlag(r, resindex.FlagChildProtectionPlan, resindex.FlagLookedAfter, resindex.FlagChildInNeed) ||
			(r.Attributes["attainer"] == "true" && r.Attributes["attainment_date"] == "")
		if mayBeUnder18(r.DOB) || notYet(r.Attributes["attainment_date"]) || (childRecord && inWindow(r)) {
			return access.Child
		}
	}
	return access.Adult
}

// notYet: a (partial) date whose last day has not begun.
func notYet(date string) bool {
	d, err := resindex.ParsePartialDate(date)
	return err == nil && !d.IsZero() && now.Before(lastDay(d))
}

// isShielded: any record restricted, staff or VIP.
func isShielded(p resindex.Person) bool {
	return slices.ContainsFunc(p.Records, func(r resindex.Record) bool {
		return hasFlag(r, resindex.FlagRestricted, resindex.FlagStaff, resindex.FlagVIP)
	})
}

func hasFlag(r resindex.Record, flags ...string) bool {
	return slices.ContainsFunc(r.Flags, func(f string) bool { return slices.Contains(flags, f) })
}

// mayBeUnder18: someone who might not yet be 18 (a partial date counts
// from its latest day).
func mayBeUnder18(dob string) bool {
	d, err := resindex.ParsePartialDate(dob)
	if err != nil || d.IsZero() {
		return false
	}
	l := lastDay(d)
	return now.Before(time.Date(l.Year()+18, l.Month(), l.Day(), 0, 0, 0, 0, time.UTC))
}

// inWindow: active within the window; a partial date may mean its last
// day ("2024" may be December); no date counts as active.
func inWindow(r resindex.Record) bool {
	d, err := resindex.ParsePartialDate(r.LastActivity)
	if err != nil || d.IsZero() {
		return true
	}
	return !lastDay(d).Before(now.Add(-window))
}

// lastDay is the last day a partial date may mean.
func lastDay(d resindex.PartialDate) time.Time {
	y, m, day := d.Year, 12, 31
	if d.Month > 0 {
		m, day = d.Month, time.Date(d.Year, time.Month(d.Month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	}
	if d.Day > 0 {
		day = d.Day
	}
	return time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC)
}

// summary is what a search result or household member shows at most.
var summary = []string{"name", "dob", "sex", "address"}

// fieldsFor is the set of fields a view of these records must show for
// the role: granted for the class, in show (nil: all), and with data.
func fieldsFor(role *access.Role, e expectation, show []string) map[string]bool {
	out := map[string]bool{}
	add := func(f string, has bool) {
		if has && role.Field(e.class, f) && (show == nil || slices.Contains(show, f)) {
			out[f] = true
		}
	}
	if e.merged == nil {
		e.merged = e.visible
	}
	g := resindex.GoldenRecord(e.merged, resindex.DefaultTrust, time.Time{})
	add("name", g.Name != nil)
	add("dob", g.DOB != nil)
	add("sex", g.Sex != nil)
	add("address", g.Address != nil)
	add("sources", true)
	for _, r := range e.visible {
		for _, f := range r.Flags {
			add("flags."+f, true)
		}
		for k, v := range r.Attributes {
			add("attributes."+k, v != "")
		}
	}
	for _, r := range e.merged {
		add("emails", len(r.Emails) > 0)
		add("phones", len(r.Phones) > 0)
		for k, v := range r.Identifiers {
			add("identifiers."+k, v != "")
		}
		for _, n := range append([]resindex.Name{r.Name}, r.OtherNames...) {
			add("other_names", (n.Given != "" || n.Family != "") && (g.Name == nil ||
				!strings.EqualFold(n.Given, g.Name.Value.Given) || !strings.EqualFold(n.Family, g.Name.Value.Family)))
		}
		for _, a := range r.Addresses {
			add("previous_addresses", g.Address == nil || !sameAddress(a, g.Address.Value))
		}
	}
	return out
}

func sameAddress(a, b resindex.Address) bool {
	return strings.EqualFold(strings.Join(a.Lines, ","), strings.Join(b.Lines, ",")) && strings.EqualFold(a.Postcode, b.Postcode)
}

// shown lists the fields a view in JSON shows, in the policy's names.
func shown(v map[string]any) map[string]bool {
	out := map[string]bool{}
	for k, x := range v {
		switch k {
		// About the view, not fields of the person: property marks a
		// household member placed there by an inferred UPRN.
		case "id", "class", "shielded", "strength", "matched_fields", "property":
		// Each record of a person kept without a golden record (issue
		// 16), beside the headline fields: checked by the children's
		// tests.
		case "per_record", "records":
		case "identifiers", "attributes":
			for sub := range x.(map[string]any) {
				out[k+"."+sub] = true
			}
		case "flags":
			for _, f := range x.([]any) {
				out["flags."+f.(string)] = true
			}
		default:
			out[k] = true
		}
	}
	return out
}
