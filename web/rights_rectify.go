package web

import (
	"net/http"
	"time"

	"github.com/resindex/resindex"
)

// Rectification told once (issue 16): an information-governance officer
// records a correction of a person's name, date of birth or address, and
// the index keeps a notice of it for every other source system holding
// the person (access.Service.Rectify); serve publishes the notices. The
// index's own records do not change.

// RectificationResponse is a recorded correction's notice as the API
// shows it: the person by reference, never by the index's own ID.
type RectificationResponse struct {
	Notice     uint64                  `json:"notice"`
	Person     string                  `json:"person"`
	Correction resindex.Correction     `json:"correction"`
	Targets    []resindex.NoticeTarget `json:"targets"`
	IssuedAt   time.Time               `json:"issued_at"`
	By         string                  `json:"by"`
	Role       string                  `json:"role"`
}

func (s *Server) rectify(r *http.Request, p resindex.Principal) (any, error) {
	if err := s.cfg.Access.MayRectify(p); err != nil {
		return nil, err
	}
	var c resindex.Correction
	if err := readJSON(r, &c); err != nil {
		return nil, err
	}
	ref := r.PathValue("ref")
	n, err := s.cfg.Access.Rectify(p, ref, c)
	if err != nil {
		return nil, err
	}
	return s.rectification(n), nil
}

// rectification shows a notice with the person's reference.
func (s *Server) rectification(n *resindex.Notice) RectificationResponse {
	targets := n.Targets
	if targets == nil {
		targets = []resindex.NoticeTarget{}
	}
	return RectificationResponse{Notice: n.Seq, Person: s.cfg.Access.Ref(n.Person), Correction: n.Correction, Targets: targets,
		IssuedAt: n.IssuedAt, By: n.By, Role: n.Role}
}
