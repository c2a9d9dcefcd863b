package access

import (
	"cmp"
	"slices"
	"strings"

	"github.com/resindex/resindex"
)

// RightsPersonView is a person as the residents' rights hub shows them to a
// role with the rights ability: enough to be sure it is the requester
// (name, date of birth, current address), and which services hold their
// records, before acting on a request.
type RightsPersonView struct {
	Ref      string            `json:"id"`
	Class    Class             `json:"class"`
	Shielded bool              `json:"shielded,omitempty"`
	Name     *resindex.Name    `json:"name,omitempty"`
	DOB      string            `json:"dob,omitempty"`
	Address  *resindex.Address `json:"address,omitempty"`
	Sources  []SourceRef       `json:"sources"`
}

// RightsPerson reads a person for the rights hub (action rights): every
// record held, inside the activity window or not, for a role with the
// rights ability.
func (s *Service) RightsPerson(p resindex.Principal, ref, reason string) (RightsPersonView, error) {
	var v RightsPersonView
	err := s.audited(p, "rights", "rights of "+s.refs.show(ref), reason, func(e *AuditEntry) error {
		role, err := s.roleAble(p, Rights)
		if err != nil {
			return err
		}
		subs, err := s.sarSubjects(role, SARRequest{Refs: []string{ref}, Reason: reason}, e)
		if err != nil {
			return err
		}
		v = s.rightsHubView(&subs[0])
		return nil
	})
	return v, err
}

func (s *Service) rightsHubView(sub *sarSubject) RightsPersonView {
	_, shielded := s.classify(&sub.person)
	v := RightsPersonView{Ref: s.refs.ref(sub.person.ID), Class: sub.class, Shielded: shielded, Sources: []SourceRef{}}
	g := resindex.GoldenRecord(sub.person.Records, s.opts.Trust, s.windowStart())
	if g.Name != nil {
		v.Name = &g.Name.Value
	}
	if g.DOB != nil {
		v.DOB = g.DOB.Value
	}
	if g.Address != nil {
		v.Address = &g.Address.Value
	}
	for _, r := range sub.person.Records {
		v.Sources = append(v.Sources, SourceRef{Source: r.Source, ID: r.ID, LastActivity: r.LastActivity})
	}
	sortSources(v.Sources)
	return v
}

func sortSources(src []SourceRef) {
	slices.SortFunc(src, func(a, b SourceRef) int {
		return cmp.Or(strings.Compare(a.Source, b.Source), strings.Compare(a.ID, b.ID))
	})
}
