package access_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
)

func TestOutcome(t *testing.T) {
	cases := map[string]struct {
		err  error
		want string
	}{
		"ok":              {nil, "ok"},
		"not found":       {fmt.Errorf("person: %w", resindex.ErrNotFound), "not_found"},
		"forbidden":       {resindex.ErrForbidden, "denied"},
		"reason required": {access.ErrReasonRequired, "denied"},
		"input":           {&access.InputError{Field: "dob", Msg: "bad"}, "bad_request"},
		"unavailable":     {resindex.NewError(resindex.ErrUnavailable, "stopped"), "error"},
		"other":           {errors.New("disk"), "error"},
	}
	for name, tc := range cases {
		if got := access.Outcome(tc.err); got != tc.want {
			t.Errorf("%s: %q, want %q", name, got, tc.want)
		}
	}
}
