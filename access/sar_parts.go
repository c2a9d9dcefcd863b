package access

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/alerts"
	"github.com/resindex/resindex/fraud"
	"github.com/resindex/resindex/layout"
)

// sarHomes are a person's households: the current one (with the others
// living there, redacted unless asked for), then each former property
// their records place them at, once, with the dates the record gives.
func (s *Service) sarHomes(role *Role, sub *sarSubject, ref string, req SARRequest, e *AuditEntry) ([]SARHome, error) {
	var out []SARHome
	seen := map[string]bool{}
	g := resindex.GoldenRecord(sub.person.Records, s.opts.Trust, s.windowStart())
	if g.Address != nil {
		cur := SARHome{Person: ref, Current: true, Address: g.Address.Value, UPRN: g.Address.Value.UPRN, From: g.Address.Value.From,
			Evidence: &g.Address.From}
		prop, err := s.index.Property(g.Address.Value)
		if err != nil {
			return nil, fmt.Errorf("access: subject access: property of the current address: %w", err)
		}
		cur.UPRN = cmp.Or(cur.UPRN, prop.UPRN)
		residents, err := s.sarResidents(role, sub, req, e)
		if err != nil {
			return nil, err
		}
		cur.Residents = residents
		out = append(out, cur)
		seen[sub.person.Household] = true
	}
	for _, r := range sub.person.Records {
		for _, a := range r.Addresses {
			if a.Current && a.To == "" {
				continue
			}
			prop, err := s.index.Property(a)
			if err != nil {
				return nil, fmt.Errorf("access: subject access: property of a former address of %s: %w", r.Key(), err)
			}
			if prop.Key == "" || seen[prop.Key] {
				continue
			}
			seen[prop.Key] = true
			out = append(out, SARHome{Person: ref, Address: a, UPRN: prop.UPRN, From: a.From, To: a.To,
				Evidence: &resindex.Provenance{Source: r.Source, Record: r.ID, Version: r.Version}})
		}
	}
	return out, nil
}

// sarResidents are the others in the person's current household: each
// "another resident", or, when the request shows third parties, as the
// role sees them by name, date of birth and reference (recorded as shown).
func (s *Service) sarResidents(role *Role, sub *sarSubject, req SARRequest, e *AuditEntry) ([]SARResident, error) {
	if sub.person.Household == "" {
		return nil, nil
	}
	ids, err := s.index.Household(sub.person.Household)
	if errors.Is(err, resindex.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("access: subject access: household: %w", err)
	}
	var out []SARResident
	for _, id := range ids {
		if id == sub.person.ID {
			continue
		}
		r := SARResident{Label: AnotherResident}
		if req.ThirdParties {
			if err := s.showResident(role, id, &r, e); err != nil {
				return nil, err
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// showResident fills in a third party the request may show, as far as
// the role may see them; one it may not see stays "another resident".
func (s *Service) showResident(role *Role, id string, r *SARResident, e *AuditEntry) error {
	m, err := s.index.Person(id)
	if errors.Is(err, resindex.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("access: subject access: a household member: %w", err)
	}
	msub, err := s.subjectOf(role, &m)
	if err != nil {
		return nil
	}
	v := s.view(role, msub, summaryFields)
	r.Label, r.Ref = "resident", v.Ref
	if v.Name != nil {
		r.Name = &v.Name.Value
	}
	if v.DOB != nil {
		r.DOB = v.DOB.Value
	}
	e.Persons = appendOnce(e.Persons, id)
	return nil
}

// sarLinks explains, in words, why a person's records are one person.
func (s *Service) sarLinks(sub *sarSubject, ref string) (SARLinks, error) {
	out := SARLinks{Person: ref, Links: []SARLink{}}
	links, err := s.index.Links(sub.person.ID, keysOf(sub.person.Records))
	if err != nil {
		return out, fmt.Errorf("access: subject access: links: %w", err)
	}
	for _, l := range links {
		lv := LinkView{A: l.A.String(), B: l.B.String(), Weight: l.Weight, Probability: l.Probability, Decision: l.Decision,
			Override: l.Override, Terms: l.Terms}
		if lv.Terms == nil {
			lv.Terms = []resindex.LinkTerm{}
		}
		out.Links = append(out.Links, SARLink{LinkView: lv, Says: linkWords(&l)})
	}
	return out, nil
}

// linkWords says what the index decided about a pair, and on what.
func linkWords(l *resindex.Link) string {
	pct := strconv.FormatFloat(100*l.Probability, 'f', 1, 64) + "%"
	if l.Probability >= 0.999 {
		pct = "more than 99.9%"
	}
	var why string
	switch {
	case l.Override == "link":
		why = "A data steward decided these records are the same person."
	case l.Override == "unlink":
		why = "A data steward decided these records are not the same person."
	case l.Decision == "link":
		why = "The index linked these records automatically: their details make it " + pct + " likely they are the same person."
	default:
		why = "These records are " + pct + " likely to be the same person (" + l.Decision + ")."
	}
	var agree, differ []string
	for _, t := range l.Terms {
		switch {
		case t.Weight > 0:
			agree = append(agree, comparisonWords(t.Comparison))
		case t.Weight < 0:
			differ = append(differ, comparisonWords(t.Comparison))
		}
	}
	if len(agree) > 0 {
		why += " Agreeing: " + strings.Join(agree, ", ") + "."
	}
	if len(differ) > 0 {
		why += " Differing: " + strings.Join(differ, ", ") + "."
	}
	return why
}

// comparisonWords names a comparison as a resident would.
func comparisonWords(c string) string {
	if w, ok := map[string]string{"given_name": "given name", "family_name": "family name", "dob": "date of birth",
		"nhs": "NHS number", "nino": "National Insurance number", "upn": "pupil number", "email": "email", "phone": "phone"}[c]; ok {
		return w
	}
	return strings.ReplaceAll(c, "_", " ")
}

// sarAlerts are the alerts and lookup notifications that name the
// person, by ID or by one of their records.
func (s *Service) sarAlerts(ids map[string]bool, own map[resindex.RecordKey]string) ([]SARAlert, error) {
	out := []SARAlert{}
	if s.opts.Alerts == nil {
		return out, nil
	}
	all, _, err := alerts.List(s.opts.Alerts, alerts.Filter{})
	if err != nil {
		return nil, fmt.Errorf("access: subject access: alerts: %w", err)
	}
	for i := range all {
		a := &all[i]
		var named []resindex.AlertPerson
		if a.Adult != nil {
			named = append(named, *a.Adult)
		}
		named = append(named, a.Children...)
		v := SARAlert{ID: a.ID, Kind: a.Kind, Status: a.Status, Outcome: a.Outcome, RaisedAt: a.RaisedAt}
		for j, ap := range named {
			if !namesPerson(ap.Person, ap.Records, ids, own) {
				v.Others++
				continue
			}
			v.Part = alertPart(a, j == 0 && a.Adult != nil)
			for _, k := range ap.Records {
				if _, mine := own[k]; mine {
					v.Records = append(v.Records, k.String())
				}
			}
		}
		if v.Part != "" {
			v.LookedUp = a.LookedUp
			out = append(out, v)
		}
	}
	return out, nil
}

// namesPerson reports whether a person an alert or finding names is the
// subject: by person ID, or by one of their records (an ID merged away
// since).
func namesPerson(pid string, recs []resindex.RecordKey, ids map[string]bool, own map[resindex.RecordKey]string) bool {
	if ids[pid] {
		return true
	}
	return slices.ContainsFunc(recs, func(k resindex.RecordKey) bool { _, ok := own[k]; return ok })
}

func alertPart(a *resindex.Alert, adult bool) string {
	switch {
	case adult:
		return "the adult who moved in"
	case a.Kind == resindex.AlertChildLookedUp:
		return "the child whose record was looked at"
	}
	return "a child in the household"
}

// sarFindings are the fraud findings (at the reporting score) that name
// the person, or a note saying why they could not be read.
func (s *Service) sarFindings(ctx context.Context, ids map[string]bool, own map[resindex.RecordKey]string) ([]SARFinding, string, error) {
	out := []SARFinding{}
	if s.opts.Fraud == nil || s.opts.FraudReviews == nil {
		return out, "The fraud checks are not set up in this index: there are no findings.", nil
	}
	reviews, err := s.fraudReviews()
	if err != nil {
		return nil, "", err
	}
	for _, kind := range []fraud.Kind{fraud.Subletting, fraud.SPD} {
		rep, _, err := s.fraudReport(ctx, kind)
		if errors.Is(err, ErrChecksRunning) {
			return out, "The fraud checks had not finished their first run when this report was made: make it again to include any findings.", nil
		}
		if err != nil {
			return nil, "", err
		}
		for i := range rep.Findings {
			if f := &rep.Findings[i]; f.Score >= fraud.DefaultMinScore {
				if v, ok := sarFinding(f, ids, own, reviews); ok {
					out = append(out, v)
				}
			}
		}
	}
	return out, "", nil
}

// sarFinding is a finding as the report shows it, if it names the person.
// A finding about someone else that used the person's records as evidence
// shows only that, and their records: its score, signals and review are
// the subject's (a lodger must not learn that their landlord is being
// investigated).
func sarFinding(f *fraud.Finding, ids map[string]bool, own map[resindex.RecordKey]string, reviews map[string]fraud.Review) (SARFinding, bool) {
	v := SARFinding{ID: f.ID, Check: string(f.Kind), Score: f.Score, Since: f.Since}
	switch {
	case namesPerson(f.Subject, f.SubjectRecords, ids, own):
		v.Part = "subject"
		v.Others = len(f.Others)
	case namesPerson("", f.OtherRecords, ids, own) || slices.ContainsFunc(f.Others, func(o string) bool { return ids[o] }):
		return evidenceOnly(f, ids, own), true
	default:
		return v, false
	}
	for _, sig := range f.Signals {
		sv := SARSignal{Name: sig.Name, Says: sig.Says, Weight: sig.Weight}
		sv.Evidence = ownEvidence(sig.Evidence, ids, own)
		v.Signals = append(v.Signals, sv)
	}
	if r, ok := reviews[f.ID]; ok {
		v.Review = &SARReview{Outcome: r.Outcome, Role: r.Role, At: r.At}
	}
	return v, true
}

// evidenceOnly is a finding about another person as the report shows it
// to someone whose records were its evidence.
func evidenceOnly(f *fraud.Finding, ids map[string]bool, own map[resindex.RecordKey]string) SARFinding {
	var mine []string
	for _, sig := range f.Signals {
		for _, r := range ownEvidence(sig.Evidence, ids, own) {
			if !slices.Contains(mine, r) {
				mine = append(mine, r)
			}
		}
	}
	slices.Sort(mine)
	return SARFinding{ID: f.ID, Check: string(f.Kind), Part: "evidence in a check about another person",
		Signals: []SARSignal{{Name: "evidence", Says: "Your records were used as evidence in a check about another person; " +
			"what the check found about them is theirs, and withheld.", Evidence: mine}}}
}

// ownEvidence are the records of the person among a signal's evidence.
func ownEvidence(evs []fraud.Evidence, ids map[string]bool, own map[resindex.RecordKey]string) []string {
	var out []string
	for _, ev := range evs {
		if _, mine := own[ev.Record]; mine || ids[ev.Person] {
			out = append(out, ev.Record.String())
		}
	}
	return out
}

// sarAccess is the audit log's entries that name the person (by any ID
// since merged into them): who looked, in what role, when, what they did
// and why. The why of a look that also concerned someone else (a search
// returning several, a household, another resident's own request) is
// that other person's business too, and is withheld.
func (s *Service) sarAccess(ids map[string]bool) ([]SARAccess, error) {
	out := []SARAccess{}
	merged, err := s.redirects()
	if err != nil {
		return nil, err
	}
	subject := func(p string) bool { return ids[followMerges(p, merged)] }
	err = Entries(s.log, AuditFilter{}, func(seq uint64, e AuditEntry) error {
		if !slices.ContainsFunc(e.Persons, subject) {
			return nil
		}
		a := SARAccess{Seq: seq, At: e.At, User: e.User, Role: e.Role, Action: e.Action, Reason: e.Reason, Outcome: e.Outcome}
		if a.Reason != "" && !allFunc(e.Persons, subject) {
			a.Reason = withheldReason
		}
		out = append(out, a)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("access: subject access: audit log: %w", err)
	}
	return out, nil
}

// withheldReason stands for the reason of a look that also concerned
// another person.
const withheldReason = "(withheld: the look also concerned another person)"

func allFunc[T any](xs []T, f func(T) bool) bool {
	return !slices.ContainsFunc(xs, func(x T) bool { return !f(x) })
}

// redirects are the index's merged-away person IDs, each with the person
// it went into; none without the store.
func (s *Service) redirects() (map[string]string, error) {
	merged := map[string]string{}
	if s.opts.Rights == nil {
		return merged, nil
	}
	err := s.opts.Rights.View(func(t resindex.Txn) error {
		return t.Scan([]byte(layout.RedirectPrefix), func(k, v []byte) error {
			merged[string(k[len(layout.RedirectPrefix):])] = string(v)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("access: subject access: the index's merges: %w", err)
	}
	return merged, nil
}
