package access

import (
	"time"

	"github.com/resindex/resindex"
)

// SARRights is what a person has asked of the index under their rights,
// as it holds it: a restriction or objection in force, and the
// corrections recorded for them with the services told.
type SARRights struct {
	Person string `json:"person"`
	RightsState
	Rectifications []SARNotice `json:"rectifications"`
}

// SARNotice is one correction recorded for the person.
type SARNotice struct {
	Notice     uint64              `json:"notice"`
	IssuedAt   time.Time           `json:"issued_at"`
	Correction resindex.Correction `json:"correction"`
	Told       []string            `json:"sources_told"`
}

// sarRights reads each person's restriction, objection and corrections:
// part of what is held about them, which the report must disclose. A
// service without the stores has none to show.
func (s *Service) sarRights(subs []sarSubject) ([]SARRights, error) {
	out := []SARRights{}
	for i := range subs {
		pid := subs[i].person.ID
		r := SARRights{Person: s.refs.ref(pid), Rectifications: []SARNotice{}}
		if s.opts.Rights != nil {
			err := s.opts.Rights.View(func(t resindex.Txn) (err error) {
				r.RightsState, err = PersonRights(t, pid)
				return err
			})
			if err != nil {
				return nil, err
			}
		}
		if s.opts.Notices != nil {
			var ns []*resindex.Notice
			err := s.opts.Notices.View(func(t resindex.Txn) (err error) {
				ns, err = PersonNotices(t, pid)
				return err
			})
			if err != nil {
				return nil, err
			}
			for _, n := range ns {
				r.Rectifications = append(r.Rectifications, sarNotice(n))
			}
		}
		out = append(out, r)
	}
	return out, nil
}

func sarNotice(n *resindex.Notice) SARNotice {
	v := SARNotice{Notice: n.Seq, IssuedAt: n.IssuedAt, Correction: n.Correction, Told: []string{}}
	for _, t := range n.Targets {
		v.Told = append(v.Told, t.Source)
	}
	return v
}
