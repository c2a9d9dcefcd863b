package web

import (
	"net/http"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
)

// The restriction and objection API (issue 16): a person's state, and
// putting each right in force (PUT) or ending it (DELETE), with a
// reason; for roles with the rights ability (access refuses the rest).

// RightsRequest is the body of a change to a right: why.
type RightsRequest struct {
	Reason string `json:"reason"`
}

// rightsChange is what a method on a right is: its audit action and
// access's call (PUT puts the right in force, DELETE ends it).
func (s *Server) rightsChange(method, right string) (string, func(resindex.Principal, string, string) (access.RightsView, error)) {
	a := s.cfg.Access
	switch {
	case right == access.RightRestriction && method == http.MethodPut:
		return "restrict", a.Restrict
	case right == access.RightRestriction:
		return "release", a.Release
	case method == http.MethodPut:
		return "object", a.Object
	}
	return "withdraw_objection", a.WithdrawObjection
}

func (s *Server) rightsState(r *http.Request, p resindex.Principal) (any, error) {
	// A role without the ability is refused (403, audited) before its
	// request is read, as every rights endpoint does.
	if err := s.cfg.Access.MayActOnRights(p, "rights"); err != nil {
		return nil, err
	}
	if _, err := query(r); err != nil {
		return nil, err
	}
	return s.cfg.Access.Rights(p, r.PathValue("ref"))
}

// changeRight serves PUT and DELETE of …/restriction and …/objection.
func (s *Server) changeRight(right string) handler {
	return func(r *http.Request, p resindex.Principal) (any, error) {
		action, call := s.rightsChange(r.Method, right)
		if err := s.cfg.Access.MayActOnRights(p, action); err != nil {
			return nil, err
		}
		if _, err := query(r); err != nil {
			return nil, err
		}
		var req RightsRequest
		if err := readJSON(r, &req); err != nil {
			return nil, err
		}
		return call(p, r.PathValue("ref"), req.Reason)
	}
}
