package access

import (
	"strings"

	"github.com/resindex/resindex"
)

// dobForms are the forms a date of birth may be given in, for messages.
const dobForms = "DD/MM/YYYY, YYYY-MM-DD, YYYY-MM or YYYY"

// NormaliseDOB reads a date of birth as staff type it: DD/MM/YYYY (the
// day and month may be one digit), or the index's own YYYY-MM-DD, YYYY-MM
// or YYYY; it returns the index's form ("" for ""). Anything else, or a
// day that does not exist, is an InputError naming dob (never quoting
// the value). The API and the web pages read every date of birth a
// person types through it.
func NormaliseDOB(s string) (string, error) {
	s = strings.TrimSpace(s)
	if d, m, y, ok := dayMonthYear(s); ok {
		s = y + "-" + m + "-" + d
	}
	d, err := resindex.ParsePartialDate(s)
	if err != nil {
		return "", &InputError{"dob", "want " + dobForms}
	}
	return d.String(), nil
}

// dayMonthYear splits D/M/YYYY or DD/MM/YYYY, each part padded to its
// width; ok is false for any other shape (the date itself is checked by
// ParsePartialDate).
func dayMonthYear(s string) (d, m, y string, ok bool) {
	parts := strings.Split(s, "/")
	if len(parts) != 3 || len(parts[0]) < 1 || len(parts[0]) > 2 || len(parts[1]) < 1 || len(parts[1]) > 2 || len(parts[2]) != 4 {
		return "", "", "", false
	}
	pad := func(p string) string { return strings.Repeat("0", 2-len(p)) + p }
	return pad(parts[0]), pad(parts[1]), parts[2], true
}
