package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/alerts"
)

// The safeguarding alert inbox: the alerts listed, one alert with its
// evidence, history and deliveries, and the forms that acknowledge and
// close it (for roles with the alerts ability; access refuses the rest).

// alertsData is the inbox page.
type alertsData struct {
	Status   string // the status filtered by ("" all)
	Statuses []option
	Inbox    access.AlertsView
	Listed   bool // the filter was one access could list by
	Problems []formError
}

func (d *alertsData) formErrors() []formError { return d.Problems }

var alertStatuses = []string{resindex.AlertNew, resindex.AlertAcknowledged, resindex.AlertClosed}

func (s *Server) alertsPage(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	v := r.URL.Query()
	d := &alertsData{Status: v.Get("status"), Statuses: options(alertStatuses, alertStatusWords)}
	out := view{page: "alerts", title: "Safeguarding alerts", nav: "/alerts", data: d}
	for k := range v {
		if k != "status" {
			d.Problems = append(d.Problems, formError{"status", "The address asked for an unknown filter; use the form below"})
			break
		}
	}
	inbox, err := s.cfg.Access.Alerts(p, alerts.Filter{Status: d.Status})
	var in *access.InputError
	switch {
	case errors.As(err, &in):
		d.Problems = append(d.Problems, formError{"status", "Choose a status from the list"})
	case err != nil:
		return view{}, err
	default:
		d.Inbox, d.Listed = inbox, true
	}
	if len(d.Problems) > 0 {
		out.title, out.status = "Error: "+out.title, http.StatusBadRequest
	}
	return out, nil
}

// alertData is one alert's page, with what its forms were last sent.
type alertData struct {
	A        access.AlertView
	Outcomes []string
	Posted   stepForm
	Problems []formError
}

// stepForm is a step's form as it was sent, to fill it in again.
type stepForm struct{ Assignee, Note, Outcome string }

func (d *alertData) formErrors() []formError { return d.Problems }

func (s *Server) alertPage(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	return s.alertView(p, r.PathValue("id"), stepForm{}, nil, 0)
}

// alertView draws an alert's page, with problems of a form sent back
// (status their status, 0 for none).
func (s *Server) alertView(p resindex.Principal, id string, sent stepForm, problems []formError, status int) (view, error) {
	a, err := s.cfg.Access.Alert(p, id)
	if err != nil {
		return view{}, uiAlertError(err)
	}
	d := &alertData{A: a, Outcomes: alerts.Outcomes, Posted: sent, Problems: problems}
	v := view{page: "alert", title: kindWords(a.Kind), nav: "/alerts", status: status, data: d}
	if len(problems) > 0 {
		v.title = "Error: " + v.title
	}
	return v, nil
}

// acknowledgeForm takes an alert on from its page.
func (s *Server) acknowledgeForm(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	id, sent := r.PathValue("id"), stepForm{Assignee: r.PostFormValue("assignee"), Note: r.PostFormValue("ack_note")}
	_, err := s.cfg.Access.AcknowledgeAlert(p, id, sent.Assignee, sent.Note)
	return s.afterStep(w, r, p, id, sent, err, "ack_note", "This alert is no longer new: someone else may have acknowledged it. Nothing was recorded.")
}

// closeForm closes an alert from its page. Both fields are checked
// before access is asked, so that the page names every problem at once.
func (s *Server) closeForm(w http.ResponseWriter, r *http.Request, p resindex.Principal, role *access.Role) (view, error) {
	id, sent := r.PathValue("id"), stepForm{Outcome: r.PostFormValue("outcome"), Note: r.PostFormValue("note")}
	var problems []formError
	if !slices.Contains(alerts.Outcomes, sent.Outcome) {
		problems = append(problems, formError{"outcome", "Choose the outcome"})
	}
	if strings.TrimSpace(sent.Note) == "" {
		problems = append(problems, formError{"note", "Say what was done"})
	}
	if len(problems) > 0 {
		return s.alertView(p, id, sent, problems, http.StatusBadRequest)
	}
	_, err := s.cfg.Access.CloseAlert(p, id, sent.Outcome, sent.Note)
	return s.afterStep(w, r, p, id, sent, err, "note", "This alert is not waiting to be closed: acknowledge it first, or someone else may have closed it. Nothing was recorded.")
}

// afterStep sends the browser back to the alert after a step, or draws
// the alert again with what went wrong with the form (whose note field is
// noteField; conflict says why a step the alert's state refused was).
func (s *Server) afterStep(w http.ResponseWriter, r *http.Request, p resindex.Principal, id string, sent stepForm, err error,
	noteField, conflict string) (view, error) {
	var in *access.InputError
	switch {
	case err == nil:
		http.Redirect(w, r, "/alerts/"+id, http.StatusSeeOther)
		return view{}, errRedirected
	case errors.As(err, &in):
		return s.alertView(p, id, sent, []formError{stepProblem(in, noteField)}, http.StatusBadRequest)
	case errors.Is(err, resindex.ErrConflict):
		return s.alertView(p, id, sent, []formError{{"status", conflict}}, http.StatusConflict)
	}
	return view{}, uiAlertError(err)
}

// stepProblem is a refused field of a step's form, in words.
func stepProblem(in *access.InputError, noteField string) formError {
	switch in.Field {
	case "assignee":
		return formError{"assignee", "Enter a name of 200 characters or fewer"}
	case "outcome":
		return formError{"outcome", "Choose the outcome"}
	case "note":
		return formError{noteField, "Enter a note of 2,000 characters or fewer"}
	}
	return formError{"status", sentence(in.Field, in.Msg)}
}

// uiAlertError words a missing alert as such on the error page.
func uiAlertError(err error) error {
	if errors.Is(err, resindex.ErrNotFound) {
		return &apiError{http.StatusNotFound, "not_found", "There is no alert at this address. Check it, or go to the alerts inbox."}
	}
	return err
}
