package resindex_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/resindex/resindex"
)

func TestKindOf(t *testing.T) {
	made := resindex.NewError(resindex.ErrUnavailable, "store: stopped")
	cases := []struct {
		name string
		err  error
		want resindex.ErrorKind
	}{
		{"nil", nil, ""},
		{"plain", errors.New("disk gone"), resindex.KindInternal},
		{"not found", resindex.ErrNotFound, resindex.KindNotFound},
		{"wrapped not found", fmt.Errorf("person P1: %w", resindex.ErrNotFound), resindex.KindNotFound},
		{"forbidden", fmt.Errorf("x: %w", resindex.ErrForbidden), resindex.KindForbidden},
		{"invalid", fmt.Errorf("dob: %w", resindex.ErrInvalid), resindex.KindInvalid},
		{"conflict", fmt.Errorf("x: %w", resindex.ErrConflict), resindex.KindConflict},
		{"made", made, resindex.KindUnavailable},
		{"made, wrapped", fmt.Errorf("serve: %w", made), resindex.KindUnavailable},
		{"internal", resindex.ErrInternal, resindex.KindInternal},
		{"joined: first kind wins", errors.Join(resindex.ErrInvalid, resindex.ErrNotFound), resindex.KindNotFound},
	}
	for _, tc := range cases {
		if got := resindex.KindOf(tc.err); got != tc.want {
			t.Errorf("%s: KindOf = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestNewError(t *testing.T) {
	err := resindex.NewError(resindex.ErrForbidden, "a reason is required")
	wrapped := fmt.Errorf("view: %w", err)
	if err.Error() != "a reason is required" {
		t.Errorf("text %q", err.Error())
	}
	if !errors.Is(wrapped, err) || !errors.Is(wrapped, resindex.ErrForbidden) {
		t.Error("a made error is not itself, or not of its kind")
	}
	if errors.Is(err, resindex.ErrNotFound) {
		t.Error("a made error is of another kind")
	}
}
