package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
)

// TestFailMapsKinds: every error kind of the root reaches the client as
// its one HTTP status, in the one error format, and an internal error
// shows only a request number, never its text.
func TestFailMapsKinds(t *testing.T) {
	s := &Server{cfg: Config{Log: slog.New(slog.DiscardHandler)}}
	cases := []struct {
		name   string
		err    error
		status int
		code   string
	}{
		{"not found", fmt.Errorf("person P1: %w", resindex.ErrNotFound), http.StatusNotFound, "not_found"},
		{"forbidden", resindex.ErrForbidden, http.StatusForbidden, "forbidden"},
		{"reason required", fmt.Errorf("view: %w", access.ErrReasonRequired), http.StatusForbidden, "reason_required"},
		{"input", &access.InputError{Field: "dob", Msg: "want YYYY-MM-DD"}, http.StatusBadRequest, "bad_request"},
		{"invalid", fmt.Errorf("x: %w", resindex.ErrInvalid), http.StatusBadRequest, "bad_request"},
		{"conflict", fmt.Errorf("x: %w", resindex.ErrConflict), http.StatusConflict, "conflict"},
		{"unavailable", resindex.NewError(resindex.ErrUnavailable, "store: stopped"), http.StatusServiceUnavailable, "unavailable"},
		{"internal", errors.New("record Ann Smith is corrupt"), http.StatusInternalServerError, "internal"},
	}
	for _, tc := range cases {
		w := httptest.NewRecorder()
		s.fail(w, httptest.NewRequest("GET", "/api/v1/persons", nil), tc.err)
		body := w.Body.String()
		if w.Code != tc.status || !strings.Contains(body, `"code":"`+tc.code+`"`) {
			t.Errorf("%s: %d %s, want %d %s", tc.name, w.Code, body, tc.status, tc.code)
		}
		if strings.Contains(body, "Ann Smith") || strings.Contains(body, "P1") {
			t.Errorf("%s: the error's text reached the client: %s", tc.name, body)
		}
	}
}

// TestForbiddenNamesWhatIsMissing: a call refused for want of an ability
// or a field reaches the client as 403 forbidden saying which (issue 13).
func TestForbiddenNamesWhatIsMissing(t *testing.T) {
	s := &Server{cfg: Config{Log: slog.New(slog.DiscardHandler)}}
	w := httptest.NewRecorder()
	s.fail(w, httptest.NewRequest("GET", "/api/v1/persons/x/links", nil), fmt.Errorf("explain: %w", &access.ForbiddenError{Need: "the links field"}))
	want := `{"error":{"code":"forbidden","message":"your role does not allow this: it needs the links field"}}`
	if w.Code != http.StatusForbidden || strings.TrimSpace(w.Body.String()) != want {
		t.Errorf("%d %s, want 403 %s", w.Code, w.Body, want)
	}
}
