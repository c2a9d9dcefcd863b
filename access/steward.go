package access

import (
	"errors"
	"strings"

	"github.com/resindex/resindex"
)

// RecordView is one source record as a data steward may see it when
// deciding a pair: the summary fields the role grants.
type RecordView struct {
	Record  string                   `json:"record"` // source/id
	Person  string                   `json:"person"`
	Name    *Value[resindex.Name]    `json:"name,omitempty"`
	DOB     *Value[string]           `json:"dob,omitempty"`
	Sex     *Value[string]           `json:"sex,omitempty"`
	Address *Value[resindex.Address] `json:"address,omitempty"`
}

// ReviewItem is one possible match in the review queue.
type ReviewItem struct {
	A    RecordView `json:"a"`
	B    RecordView `json:"b"`
	Link LinkView   `json:"link"`
}

// ReviewPage is one page of the review queue.
type ReviewPage struct {
	Items    []ReviewItem `json:"items"`
	NextPage string       `json:"next_page,omitempty"`
}

// Review lists possible matches for a data steward. A pair with a person
// the steward may not see is left out.
func (s *Service) Review(p resindex.Principal, pg Page) (ReviewPage, error) {
	var out ReviewPage
	err := s.audited(p, "review", "review queue", "", func(e *AuditEntry) error {
		role, err := s.roleAble(p, ReviewMatches)
		if err != nil {
			return err
		}
		size, err := pg.size()
		if err != nil {
			return err
		}
		cursor := []byte{}
		if pg.Token != "" {
			var ok bool
			if cursor, ok = s.refs.open(pg.Token); !ok {
				return &InputError{"page_token", "not a token this service gave"}
			}
		}
		out, err = s.reviewPage(role, string(cursor), size, e)
		return err
	})
	return out, err
}

// reviewPage fills a page from the index's queue past pairs the steward
// may not see, so that a short page never hints where one was.
func (s *Service) reviewPage(role *Role, next string, size int, e *AuditEntry) (ReviewPage, error) {
	out := ReviewPage{Items: []ReviewItem{}}
	for {
		cands, after, err := s.index.Candidates(next, size-len(out.Items))
		if err != nil {
			return out, err
		}
		for _, c := range cands {
			item, ok, err := s.reviewItem(role, c, nil)
			if err != nil {
				return out, err
			}
			if ok {
				out.Items = append(out.Items, item)
				e.Persons = append(e.Persons, c.PersonA, c.PersonB)
			}
		}
		switch {
		case after == "":
			return out, nil
		case len(out.Items) == size:
			out.NextPage = s.refs.seal([]byte(after))
			return out, nil
		}
		next = after
	}
}

// reviewItem shows one pair, or ok false for a pair the role may not see;
// read keeps the persons read, for a caller reading many pairs (nil: keep
// none).
func (s *Service) reviewItem(role *Role, c resindex.Candidate, read map[string]personRead) (ReviewItem, bool, error) {
	var views [2]RecordView
	terms := c.Terms
	for i, side := range []struct {
		pid string
		key resindex.RecordKey
	}{{c.PersonA, c.A}, {c.PersonB, c.B}} {
		m, err := s.readPerson(side.pid, read)
		if errors.Is(err, resindex.ErrNotFound) {
			return ReviewItem{}, false, nil
		}
		if err != nil {
			return ReviewItem{}, false, err
		}
		sub, err := s.see(role, &m, "")
		if err != nil || !role.Field(sub.class, "sources") {
			return ReviewItem{}, false, nil // a pair is named by its records: only for roles that see sources
		}
		rec, ok := recordOf(sub, side.key)
		if !ok {
			return ReviewItem{}, false, nil
		}
		views[i] = s.recordView(role, sub, rec)
		terms = visibleTerms(role, sub.class, terms)
	}
	l := LinkView{A: c.A.String(), B: c.B.String(), Weight: c.Weight, Probability: c.Probability, Decision: c.Decision, Terms: terms}
	return ReviewItem{A: views[0], B: views[1], Link: l}, true, nil
}

func recordOf(sub *subject, k resindex.RecordKey) (resindex.Record, bool) {
	for _, r := range sub.visible {
		if r.Key() == k {
			return r, true
		}
	}
	return resindex.Record{}, false
}

// recordView shows one record through the role's summary grants.
func (s *Service) recordView(role *Role, sub *subject, r resindex.Record) RecordView {
	one := &subject{id: sub.id, class: sub.class, shielded: sub.shielded, visible: []resindex.Record{r}}
	v := s.view(role, one, summaryFields)
	return RecordView{Record: r.Key().String(), Person: v.Ref, Name: v.Name, DOB: v.DOB, Sex: v.Sex, Address: v.Address}
}

// Override records a steward's decision that two records are (link) or
// are not (unlink) the same person, with its reason. Both records must
// be ones the steward may see.
func (s *Service) Override(p resindex.Principal, a, b resindex.RecordKey, kind, reason string) error {
	return s.audited(p, "override", kind+" "+a.String()+" "+b.String(), reason, func(e *AuditEntry) error {
		role, err := s.roleAble(p, ReviewMatches)
		if err != nil {
			return err
		}
		if kind != "link" && kind != "unlink" {
			return &InputError{"kind", "want link or unlink"}
		}
		if strings.TrimSpace(reason) == "" {
			return &InputError{"reason", "an override needs a reason"}
		}
		if a == b {
			return &InputError{"b", "an override needs two different records"}
		}
		for _, k := range []resindex.RecordKey{a, b} {
			pid, err := s.recordPerson(role, k, reason)
			if err != nil {
				return err
			}
			e.Persons = appendOnce(e.Persons, pid)
		}
		defer s.queues.decided(e.Persons) // the pair leaves the queue: no page may show it again
		return s.override.Override(a, b, kind, reason)
	})
}

// recordPerson finds the person holding a record, if the role may see
// the record.
func (s *Service) recordPerson(role *Role, k resindex.RecordKey, reason string) (string, error) {
	pid, ok := s.index.PersonOf(k)
	if !ok {
		return "", resindex.ErrNotFound
	}
	m, err := s.index.Person(pid)
	if errors.Is(err, resindex.ErrNotFound) {
		return "", resindex.ErrNotFound
	}
	if err != nil {
		return "", err
	}
	sub, err := s.see(role, &m, reason)
	if err != nil {
		return "", err
	}
	if _, ok := recordOf(sub, k); !ok {
		return "", resindex.ErrNotFound
	}
	return m.ID, nil
}
