package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
)

// Erasure (issue 16, item 2): an information-governance officer erases a
// person, by the API or from a confirmation page; access decides who may
// (the rights ability) and records it.

func init() { pageNames = append(pageNames, "erase") }

// EraseRequest asks for a person's erasure, with the reason (required;
// kept in the audit log, so it should not quote the person's details).
type EraseRequest struct {
	Reason string `json:"reason"`
}

// EraseResponse is what an erasure removed, in counts, for the person by
// the reference asked with: never an erased value.
type EraseResponse struct {
	Person string `json:"person"`
	access.Erasure
}

func (s *Server) erasePerson(r *http.Request, p resindex.Principal) (any, error) {
	if err := s.cfg.Access.MayErase(p); err != nil {
		return nil, err
	}
	var req EraseRequest
	if err := readJSON(r, &req); err != nil {
		return nil, err
	}
	ref := r.PathValue("ref")
	out, err := s.cfg.Access.Erase(p, ref, req.Reason)
	if err != nil {
		return nil, err
	}
	return EraseResponse{Person: ref, Erasure: out}, nil
}

// eraseData is the erasure page: the form (with the reason as sent and
// its problem), or what was erased.
type eraseData struct {
	Ref      string
	Reason   string
	Done     *access.Erasure
	Problems []formError
}

func (d *eraseData) formErrors() []formError { return d.Problems }

func (s *Server) erasePage(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	if err := s.cfg.Access.MayErase(p); err != nil {
		return view{}, err
	}
	return eraseView(&eraseData{Ref: r.PathValue("ref")}, 0), nil
}

func eraseView(d *eraseData, status int) view {
	v := view{page: "erase", title: "Erase a person's records", status: status, data: d}
	switch {
	case len(d.Problems) > 0:
		v.title = "Error: " + v.title
	case d.Done != nil:
		v.title = "The person's records are erased"
	}
	return v
}

// eraseForm erases the person once the form is confirmed with a reason.
func (s *Server) eraseForm(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	if err := s.cfg.Access.MayErase(p); err != nil {
		return view{}, err
	}
	d := &eraseData{Ref: r.PathValue("ref"), Reason: r.PostFormValue("reason")}
	if strings.TrimSpace(d.Reason) == "" {
		d.Problems = []formError{{"reason", "Enter why the person's records are erased"}}
		return eraseView(d, http.StatusBadRequest), nil
	}
	out, err := s.cfg.Access.Erase(p, d.Ref, d.Reason)
	var in *access.InputError
	switch {
	case errors.As(err, &in):
		d.Problems = []formError{{"reason", sentence(in.Field, in.Msg)}}
		return eraseView(d, http.StatusBadRequest), nil
	case errors.Is(err, resindex.ErrNotFound):
		return view{}, &apiError{http.StatusNotFound, "not_found", "There is no person with this reference. They may have been erased already."}
	case err != nil:
		return view{}, err
	}
	d.Done, d.Reason = &out, ""
	return eraseView(d, 0), nil
}
