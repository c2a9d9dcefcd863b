package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
)

// The restriction page (issue 16): a person's restriction and objection
// to profiling, with a form to restrict or release them and to record or
// withdraw an objection, each with a reason (for roles with the rights
// ability; access refuses the rest).

// restrictionData is the restriction page.
type restrictionData struct {
	Ref      string
	State    access.RightsView
	Done     string // the change just made, for the banner
	DoneText string
	Actions  []option
	Action   string // the form as sent, when it has problems
	Reason   string
	Problems []formError
}

func (d *restrictionData) formErrors() []formError { return d.Problems }

// restrictionActions are the form's actions, in words.
var restrictionActions = []option{
	{"restrict", "Restrict processing"}, {"release", "Release the restriction"},
	{"object", "Record an objection to profiling"}, {"withdraw", "Withdraw the objection"},
}

func (s *Server) restrictionPage(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	d := &restrictionData{Ref: r.PathValue("ref")}
	if done := r.URL.Query().Get("done"); actionText(done) != "" {
		d.Done, d.DoneText = done, doneText[done]
	}
	return s.restrictionView(p, d, 0)
}

// restrictionView reads the person's state into the page.
func (s *Server) restrictionView(p resindex.Principal, d *restrictionData, status int) (view, error) {
	st, err := s.cfg.Access.Rights(p, d.Ref)
	if err != nil {
		return view{}, err
	}
	d.State, d.Actions = st, restrictionActions
	v := view{page: "restriction", title: "Restriction and objection", status: status, data: d}
	if len(d.Problems) > 0 {
		v.title = "Error: " + v.title
	}
	return v, nil
}

// restrictionForm makes the change the form asks for, then shows the
// page again with a banner saying what was done.
func (s *Server) restrictionForm(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	d := &restrictionData{Ref: r.PathValue("ref"), Action: r.PostFormValue("action"), Reason: r.PostFormValue("reason")}
	if actionText(d.Action) == "" {
		d.Problems = append(d.Problems, formError{"action", "Choose what to do"})
	}
	if err := access.CheckRightsReason(d.Reason); err != nil {
		d.Problems = append(d.Problems, formError{"reason", "Enter the reason, in 500 characters or fewer"})
	}
	if len(d.Problems) > 0 {
		return s.restrictionView(p, d, http.StatusBadRequest)
	}
	_, err := s.restrictionCall(d.Action)(p, d.Ref, d.Reason)
	var in *access.InputError
	if errors.As(err, &in) {
		d.Problems = append(d.Problems, formError{"reason", "Enter the reason, in 500 characters or fewer"})
		return s.restrictionView(p, d, http.StatusBadRequest)
	}
	if err != nil {
		return view{}, err
	}
	http.Redirect(w, r, "/rights/"+url.PathEscape(d.Ref)+"/restriction?done="+d.Action, http.StatusSeeOther)
	return view{}, errRedirected
}

// restrictionCall is access's call for a form action.
func (s *Server) restrictionCall(action string) func(resindex.Principal, string, string) (access.RightsView, error) {
	method, right := http.MethodPut, access.RightRestriction
	switch action {
	case "release":
		method = http.MethodDelete
	case "object":
		right = access.RightObjection
	case "withdraw":
		method, right = http.MethodDelete, access.RightObjection
	}
	_, call := s.rightsChange(method, right)
	return call
}

// doneText says what a form action did, for the banner.
var doneText = map[string]string{
	"restrict": "Processing is restricted", "release": "The restriction is released",
	"object": "The objection to profiling is recorded", "withdraw": "The objection to profiling is withdrawn",
}

// actionText is a form action in words ("" for none of them).
func actionText(action string) string {
	for _, o := range restrictionActions {
		if o.Value == action {
			return o.Text
		}
	}
	return ""
}
