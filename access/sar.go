package access

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/resindex/resindex"
)

// Subject access (UK GDPR Art. 15, issue 16): everything the index holds
// of a person, for a role with the rights ability, as one report. Unlike
// every other view it is not cut to the activity window or to a summary:
// the resident is owed what is held, all of it. What it withholds is other
// people's data: the other members of their households are "another
// resident" unless the officer records why they may be shown, and the
// alerts, findings and access log that mention the person say nothing of
// the others they name.

// SARRequest asks for one subject access report.
type SARRequest struct {
	// Refs are the index persons that hold the requester's records (an
	// officer may find them in more than one): references or person IDs.
	Refs []string
	// Reason is why the report is made (recorded; needed for a shielded
	// person, as for any look).
	Reason string
	// ThirdParties shows the other members of the person's household by
	// name, date of birth and reference; ThirdPartyReason must say why
	// (they consented, or it is reasonable to disclose).
	ThirdParties     bool
	ThirdPartyReason string
}

// MaxSARPersons bounds the index persons one report covers.
const MaxSARPersons = 20

// AnotherResident is how a redacted third party is named.
const AnotherResident = "another resident"

// SAR is a subject access report.
type SAR struct {
	// Persons are the index persons the report covers, by reference.
	Persons     []string  `json:"persons"`
	GeneratedAt time.Time `json:"generated_at"`
	PreparedBy  string    `json:"prepared_by"`
	Reason      string    `json:"reason,omitempty"`
	// ThirdParties says whether other residents are redacted (the
	// default) or shown, and why.
	ThirdParties ThirdParties `json:"third_parties"`
	Information  []SARInfo    `json:"information"`
	Records      []SARRecord  `json:"records"`
	Golden       []SARGolden  `json:"golden_records"`
	Households   []SARHome    `json:"households"`
	// Moves are the household changes the change feed still holds.
	Moves    []SARMove    `json:"household_changes"`
	Links    []SARLinks   `json:"links"`
	Alerts   []SARAlert   `json:"alerts"`
	Findings []SARFinding `json:"fraud_findings"`
	// FindingsNote says when the fraud findings could not be read (no
	// checks set up, or their first run not finished).
	FindingsNote string      `json:"fraud_findings_note,omitempty"`
	Access       []SARAccess `json:"access_log"`
	// Rights are the restrictions, objections and corrections recorded
	// for the persons.
	Rights []SARRights `json:"rights"`
}

// ThirdParties is how a report treats other residents.
type ThirdParties struct {
	Shown  bool   `json:"shown"`
	Reason string `json:"reason,omitempty"`
}

// SARRecord is one source record, all its fields as held, with the
// index person that holds it.
type SARRecord struct {
	Person string `json:"person"`
	resindex.Record
}

// SARGolden is a person's golden record: each value with the source
// record it was taken from.
type SARGolden struct {
	Person string `json:"person"`
	resindex.Golden
}

// SARHome is one household the person is or was part of: the address
// (their own data), when they lived there and the record that says so;
// for the current household, the others living there now (Residents).
type SARHome struct {
	Person   string               `json:"person"`
	Current  bool                 `json:"current"`
	Address  resindex.Address     `json:"address"`
	UPRN     string               `json:"uprn,omitempty"`
	From     string               `json:"from,omitempty"`
	To       string               `json:"to,omitempty"`
	Evidence *resindex.Provenance `json:"evidence,omitempty"`
	// Residents are the others in the current household, redacted
	// unless the report shows third parties.
	Residents []SARResident `json:"other_residents,omitempty"`
}

// SARResident is another member of the household: "another resident"
// only, or, when third parties are shown, their name, date of birth and
// reference.
type SARResident struct {
	Label string         `json:"label"`
	Ref   string         `json:"id,omitempty"`
	Name  *resindex.Name `json:"name,omitempty"`
	DOB   string         `json:"dob,omitempty"`
}

// SARLinks is why one index person's records are linked.
type SARLinks struct {
	Person string    `json:"person"`
	Links  []SARLink `json:"links"`
}

// SARLink is one pair of records, with what the index decided in words.
type SARLink struct {
	LinkView
	Says string `json:"says"`
}

// SARAlert is a safeguarding alert or lookup notification that names the
// person: their part in it and their records it rests on; the others it
// names are counted, not shown.
type SARAlert struct {
	ID       string           `json:"id"`
	Kind     string           `json:"kind"`
	Status   string           `json:"status"`
	Outcome  string           `json:"outcome,omitempty"`
	RaisedAt time.Time        `json:"raised_at"`
	Part     string           `json:"part"`
	Records  []string         `json:"records,omitempty"`
	Others   int              `json:"others_named"`
	LookedUp *resindex.Lookup `json:"looked_up,omitempty"`
}

// SARFinding is a fraud finding that names the person: a lead for an
// investigator, never a decision. It shows the signals, and of their
// evidence only the person's own records.
type SARFinding struct {
	ID      string      `json:"finding_id"`
	Check   string      `json:"check"`
	Score   float64     `json:"score"`
	Since   string      `json:"since,omitempty"`
	Part    string      `json:"part"`
	Signals []SARSignal `json:"signals"`
	Others  int         `json:"others_named"`
	Review  *SARReview  `json:"review,omitempty"`
}

// SARSignal is one reason a finding was raised, with the person's own
// records behind it.
type SARSignal struct {
	Name     string   `json:"name"`
	Says     string   `json:"says"`
	Weight   float64  `json:"weight"`
	Evidence []string `json:"evidence,omitempty"`
}

// SARReview is an investigator's outcome of a finding (the note, which may
// name others, is left out).
type SARReview struct {
	Outcome string    `json:"outcome"`
	Role    string    `json:"role"`
	At      time.Time `json:"at"`
}

// SARAccess is one look at the person in the audit log: who, in what
// role, when, what they did, why and how it ended. What they asked (a
// search's terms) and whom else it returned are left out.
type SARAccess struct {
	Seq     uint64    `json:"seq"`
	At      time.Time `json:"at"`
	User    string    `json:"user"`
	Role    string    `json:"role"`
	Action  string    `json:"action"`
	Reason  string    `json:"reason,omitempty"`
	Outcome string    `json:"outcome"`
}

// SubjectAccess is the report for one person (a reference or ID), with
// other residents redacted.
func (s *Service) SubjectAccess(p resindex.Principal, ref, reason string) (*SAR, error) {
	return s.SubjectAccessFor(context.Background(), p, SARRequest{Refs: []string{ref}, Reason: reason})
}

// SubjectAccessFor is the report a request asks for, for a role with the
// rights ability; ctx bounds the wait for the fraud checks' first run
// (the report then says the findings could not be read). The report is
// recorded as action subject_access, naming every person shown.
func (s *Service) SubjectAccessFor(ctx context.Context, p resindex.Principal, req SARRequest) (*SAR, error) {
	var out *SAR
	err := s.audited(p, "subject_access", describeSAR(s, req), sarReason(req), func(e *AuditEntry) error {
		role, err := s.roleAble(p, Rights)
		if err != nil {
			return err
		}
		if err := checkSARRequest(&req); err != nil {
			return err
		}
		subs, err := s.sarSubjects(role, req, e)
		if err != nil {
			return err
		}
		out, err = s.buildSAR(ctx, p, role, req, subs, e)
		return err
	})
	return out, err
}

// MayActOnRights refuses, audited, a principal whose role lacks the
// rights ability: callers ask before they read a request's parameters.
func (s *Service) MayActOnRights(p resindex.Principal, action string) error {
	if _, err := s.roleAble(p, Rights); err != nil {
		return s.audited(p, action, "refused before the request was read", "", func(*AuditEntry) error { return err })
	}
	return nil
}

func sarReason(req SARRequest) string {
	if req.ThirdParties {
		return req.Reason + "; other residents shown: " + req.ThirdPartyReason
	}
	return req.Reason
}

func describeSAR(s *Service, req SARRequest) string {
	shown := make([]string, 0, len(req.Refs))
	for _, r := range req.Refs {
		shown = append(shown, s.refs.show(r))
	}
	return "subject access of " + strings.Join(shown, ", ")
}

// checkSARRequest refuses a request that names no one, too many, or shows
// third parties without saying why.
func checkSARRequest(req *SARRequest) error {
	switch {
	case len(req.Refs) == 0:
		return &InputError{"person", "give at least one person"}
	case len(req.Refs) > MaxSARPersons:
		return &InputError{"person", fmt.Sprintf("at most %d persons in one report", MaxSARPersons)}
	case len(req.Reason) > 500 || len(req.ThirdPartyReason) > 500:
		return &InputError{"reason", "longer than 500 characters"}
	case req.ThirdParties && strings.TrimSpace(req.ThirdPartyReason) == "":
		return &InputError{"third_party_reason", "say why other residents may be shown (their consent, or why it is reasonable)"}
	}
	return nil
}

// sarSubject is one index person of a report, with every record held.
type sarSubject struct {
	person resindex.Person
	class  Class
}

// sarSubjects reads the persons a request names, each once (two IDs of
// one merged person are one), under the record-level rules: a person the
// role may not see is not found; a shielded one needs a reason.
func (s *Service) sarSubjects(role *Role, req SARRequest, e *AuditEntry) ([]sarSubject, error) {
	var out []sarSubject
	for _, ref := range req.Refs {
		pid, ok := s.refs.id(ref)
		if !ok && isPersonID(ref) {
			pid, ok = ref, true // an officer may name the person by the index's ID
		}
		if !ok {
			return nil, resindex.ErrNotFound
		}
		e.Persons = appendOnce(e.Persons, pid)
		m, err := s.index.Person(pid)
		if err != nil {
			return nil, err
		}
		e.Persons = appendOnce(e.Persons, m.ID)
		class, shielded := s.classify(&m)
		if !role.Sees(class) || (shielded && !role.Can(SeeShielded)) {
			return nil, resindex.ErrNotFound
		}
		if shielded && strings.TrimSpace(req.Reason) == "" {
			return nil, ErrReasonRequired
		}
		m.Records = slices.DeleteFunc(m.Records, func(r resindex.Record) bool { return !role.Source(r.Source) })
		if !slices.ContainsFunc(out, func(o sarSubject) bool { return o.person.ID == m.ID }) {
			out = append(out, sarSubject{person: m, class: class})
		}
	}
	return out, nil
}

// buildSAR gathers every part of the report.
func (s *Service) buildSAR(ctx context.Context, p resindex.Principal, role *Role, req SARRequest, subs []sarSubject, e *AuditEntry) (*SAR, error) {
	out := &SAR{GeneratedAt: s.opts.Now().UTC(), PreparedBy: p.User, Reason: req.Reason, Information: SARInformation(),
		ThirdParties: ThirdParties{Shown: req.ThirdParties, Reason: req.ThirdPartyReason},
		Records:      []SARRecord{}, Golden: []SARGolden{}, Households: []SARHome{}, Moves: []SARMove{}, Links: []SARLinks{},
		Alerts: []SARAlert{}, Findings: []SARFinding{}, Access: []SARAccess{}}
	own := map[resindex.RecordKey]string{}
	for i := range subs {
		ref := s.refs.ref(subs[i].person.ID)
		out.Persons = append(out.Persons, ref)
		for _, r := range resindex.TrustOrder(subs[i].person.Records, s.opts.Trust) {
			out.Records = append(out.Records, SARRecord{Person: ref, Record: r})
			own[r.Key()] = ref
		}
		if !subs[i].person.NoGolden { // a child the index keeps no combined record of (rights-children.md)
			out.Golden = append(out.Golden, SARGolden{Person: ref, Golden: resindex.GoldenRecord(subs[i].person.Records, s.opts.Trust, s.windowStart())})
		}
		homes, err := s.sarHomes(role, &subs[i], ref, req, e)
		if err != nil {
			return nil, err
		}
		out.Households = append(out.Households, homes...)
		links, err := s.sarLinks(&subs[i], ref)
		if err != nil {
			return nil, err
		}
		out.Links = append(out.Links, links)
	}
	ids := map[string]bool{}
	for i := range subs {
		ids[subs[i].person.ID] = true
	}
	var err error
	if out.Alerts, err = s.sarAlerts(ids, own); err != nil {
		return nil, err
	}
	if out.Findings, out.FindingsNote, err = s.sarFindings(ctx, ids, own); err != nil {
		return nil, err
	}
	if out.Moves, err = s.sarMoves(ids); err != nil {
		return nil, err
	}
	if out.Rights, err = s.sarRights(subs); err != nil {
		return nil, err
	}
	out.Access, err = s.sarAccess(ids)
	return out, err
}
