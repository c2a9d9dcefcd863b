package access

import (
	"errors"

	"github.com/resindex/resindex"
)

// FormerMember is someone who lived at a household's property before:
// when they moved in and out, as the record the role sees says, and that
// record (for roles that see sources).
type FormerMember struct {
	Person   PersonView           `json:"person"`
	From     string               `json:"from,omitempty"`
	To       string               `json:"to,omitempty"`
	Evidence *resindex.Provenance `json:"evidence,omitempty"`
}

// maxFormerSearch bounds the persons an address search for former
// members reads.
const maxFormerSearch = 200

// formerMembers finds the people the role may see whose records place them
// at the property before, by searching the index for its address. Having
// lived somewhere before is a previous address: shown only to a role that
// sees previous addresses of the person's class.
func (s *Service) formerMembers(role *Role, addr resindex.Address, key, reason string, current map[string]bool, e *AuditEntry) ([]FormerMember, error) {
	q := resindex.Query{Postcode: addr.Postcode, AddressLines: addr.Lines}
	if q.Empty() || (!role.Field(Adult, "previous_addresses") && !role.Field(Child, "previous_addresses")) {
		return nil, nil // a role that sees no previous address sees no one as having lived here
	}
	hits, err := s.index.Search(q, maxFormerSearch)
	if err != nil {
		return nil, err
	}
	var out []FormerMember
	for _, h := range hits {
		if current[h.PersonID] {
			continue
		}
		fm, ok, err := s.formerMember(role, h.PersonID, key, reason)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, fm)
			e.Persons = appendOnce(e.Persons, h.PersonID)
		}
	}
	return out, nil
}

// formerMember is a person as a former member of the property's household,
// if the role may see them there.
func (s *Service) formerMember(role *Role, pid, key, reason string) (FormerMember, bool, error) {
	m, err := s.index.Person(pid)
	if errors.Is(err, resindex.ErrNotFound) {
		return FormerMember{}, false, nil
	}
	if err != nil {
		return FormerMember{}, false, err
	}
	sub, err := s.see(role, &m, reason)
	if err != nil || !role.Field(sub.class, "previous_addresses") {
		return FormerMember{}, false, nil
	}
	if now, err := s.visibleHousehold(sub); err != nil || now.Key == key {
		return FormerMember{}, false, err
	}
	for i := range sub.visible {
		r := &sub.visible[i]
		for _, a := range r.Addresses {
			if a.Current || a.To == "" {
				continue
			}
			if prop, err := s.index.Property(a); err != nil || prop.Key != key {
				if err != nil {
					return FormerMember{}, false, err
				}
				continue
			}
			fm := FormerMember{Person: s.view(role, sub, summaryFields), From: a.From, To: a.To}
			if role.Field(sub.class, "sources") {
				fm.Evidence = &resindex.Provenance{Source: r.Source, Record: r.ID, Version: r.Version}
			}
			return fm, true, nil
		}
	}
	return FormerMember{}, false, nil
}
