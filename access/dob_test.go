package access_test

import (
	"strings"
	"testing"

	"github.com/resindex/resindex/access"
)

// NormaliseDOB reads a date of birth as UK staff type it, and the index's
// own forms, into the index's form; anything else is an input error on
// dob that names the forms and does not quote the value.
func TestNormaliseDOB(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"06/05/1980", "1980-05-06"},
		{"6/5/1980", "1980-05-06"},
		{" 31/12/1980 ", "1980-12-31"},
		{"29/02/2024", "2024-02-29"},
		{"1980-05-06", "1980-05-06"},
		{"1980-05", "1980-05"},
		{"1980", "1980"},
	} {
		got, err := access.NormaliseDOB(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("%q: %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"31/13/1980", "29/02/2023", "32/01/1980", "1980/05/06", "06/05/80", "06-05-1980", "6th May 1980",
		"0/5/1980", "06/05/1980/1", "//1980", "+6/5/1980", "1980-13", "19800", "06/05/ 1980"} {
		_, err := access.NormaliseDOB(bad)
		if inputField(err) != "dob" || !strings.Contains(err.Error(), "DD/MM/YYYY") || strings.Contains(err.Error(), bad) {
			t.Errorf("%q: %v, want an input error on dob naming the forms", bad, err)
		}
	}
}
