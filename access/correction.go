package access

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/matcher"
)

// Limits of a correction's values: generous for real names and
// addresses, small enough that a notice stays a short message.
const (
	maxNamePart     = 100
	maxAddressLines = 6
	maxAddressLine  = 100
	// MaxCorrectionReason is the longest reason kept with a correction.
	MaxCorrectionReason = 500
)

// sourceName is the shape of a source system's name (council_tax).
var sourceName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// ParseCorrection reads a correction as JSON (the API's body, a notice
// file's line): one object, no unknown fields, then checked as
// CheckCorrection checks it. Errors are InputErrors naming the field,
// never quoting a value.
func ParseCorrection(data []byte, now time.Time) (resindex.Correction, error) {
	var c resindex.Correction
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, &InputError{"correction", "want one JSON object with field, the new value and reason"}
	}
	if dec.More() {
		return c, &InputError{"correction", "more than one JSON value"}
	}
	return c, CheckCorrection(&c, now)
}

// CheckCorrection checks a correction and puts its values in the index's
// forms (trimmed; a postcode spaced and upper case; a UPRN without
// padding): the field is one of resindex.CorrectionFields and has its
// new value and no other field's, the reason is given, and reported_via,
// when given, is a source's name. now bounds a date of birth.
func CheckCorrection(c *resindex.Correction, now time.Time) error {
	var err error
	switch c.Field {
	case resindex.CorrectName:
		err = checkOnly(c.Name != nil, c.DOB == "", c.Address == nil, "name")
		if err == nil {
			err = checkName(c.Name)
		}
	case resindex.CorrectDOB:
		err = checkOnly(c.DOB != "", c.Name == nil, c.Address == nil, "dob")
		if err == nil {
			c.DOB, err = checkDOB(c.DOB, now)
		}
	case resindex.CorrectAddress:
		err = checkOnly(c.Address != nil, c.Name == nil, c.DOB == "", "address")
		if err == nil {
			err = checkAddress(c.Address)
		}
	default:
		return &InputError{"field", "want name, dob or address"}
	}
	if err != nil {
		return err
	}
	return checkAbout(c)
}

// checkOnly requires the corrected field's value (has) and no other
// field's (the two others absent): a correction changes one field.
func checkOnly(has, otherAbsent, thirdAbsent bool, field string) error {
	if !has {
		return &InputError{field, "missing: give the corrected " + field}
	}
	if !otherAbsent || !thirdAbsent {
		return &InputError{"field", "a correction of " + field + " carries only the new " + field + "; record another field's correction on its own"}
	}
	return nil
}

func checkName(n *resindex.CorrectedName) error {
	var err error
	if n.Given, err = checkValue(n.Given, "name.given", maxNamePart); err != nil {
		return err
	}
	n.Family, err = checkValue(n.Family, "name.family", maxNamePart)
	return err
}

// checkDOB takes a full date of birth, YYYY-MM-DD, that exists, is not
// in the future and is within the last 130 years.
func checkDOB(s string, now time.Time) (string, error) {
	s = strings.TrimSpace(s)
	d, err := time.Parse(time.DateOnly, s)
	switch {
	case err != nil:
		return "", &InputError{"dob", "want a full date of birth, YYYY-MM-DD, that exists"}
	case d.After(now):
		return "", &InputError{"dob", "is in the future"}
	case d.Before(now.AddDate(-130, 0, 0)):
		return "", &InputError{"dob", "is more than 130 years ago"}
	}
	return s, nil
}

func checkAddress(a *resindex.CorrectedAddress) error {
	var lines []string
	for _, l := range a.Lines {
		if strings.TrimSpace(l) == "" {
			continue // an empty line of a form is no line
		}
		l, err := checkValue(l, "address.lines", maxAddressLine)
		if err != nil {
			return err
		}
		lines = append(lines, l)
	}
	switch {
	case len(lines) == 0:
		return &InputError{"address.lines", "missing: give at least the first line of the address"}
	case len(lines) > maxAddressLines:
		return &InputError{"address.lines", "want at most 6 lines"}
	}
	a.Lines = lines
	pc := matcher.NormalisePostcode(a.Postcode)
	if !matcher.ValidUKPostcode(pc) {
		return &InputError{"address.postcode", "want a UK postcode, like SW1A 1AA"}
	}
	a.Postcode = pc[:len(pc)-3] + " " + pc[len(pc)-3:] // as letters are addressed
	if strings.TrimSpace(a.UPRN) == "" {
		a.UPRN = ""
		return nil
	}
	u, ok := matcher.ValidUPRN(a.UPRN)
	if !ok {
		return &InputError{"address.uprn", "want 1 to 12 digits"}
	}
	a.UPRN = u
	return nil
}

// checkAbout checks what a correction says about itself: the source the
// resident told, and why it is recorded.
func checkAbout(c *resindex.Correction) error {
	c.ReportedVia = strings.TrimSpace(c.ReportedVia)
	if c.ReportedVia != "" && !sourceName.MatchString(c.ReportedVia) {
		return &InputError{"reported_via", "want a source's name, like council_tax"}
	}
	var err error
	c.Reason, err = checkText(c.Reason, "reason", MaxCorrectionReason)
	return err
}

// checkValue checks a corrected value (checkText) that a notice carries
// to the source systems, and through the notices CSV to spreadsheets:
// one starting with a character a spreadsheet reads as the start of a
// formula (=, +, -, @, a tab or a carriage return) is refused, so that
// no correction can make staff's spreadsheet run a formula (CSV
// injection). No name or address line starts so.
func checkValue(s, field string, max int) (string, error) {
	s, err := checkText(s, field, max)
	if err == nil && FormulaLead(s) {
		return "", &InputError{field, "starts with =, +, -, @, a tab or a carriage return, which a spreadsheet would take for a formula"}
	}
	return s, err
}

// FormulaLead reports whether a text starts with a character a
// spreadsheet reads as the start of a formula: = + - @, a tab or a
// carriage return (OWASP's CSV injection list).
func FormulaLead(s string) bool {
	return s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0]))
}

// checkText trims a required free-text value and refuses one that is
// empty, too long, not UTF-8 or holds a control character.
func checkText(s, field string, max int) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", &InputError{field, "missing"}
	case !utf8.ValidString(s):
		return "", &InputError{field, "not valid UTF-8"}
	case utf8.RuneCountInString(s) > max:
		return "", &InputError{field, "longer than " + strconv.Itoa(max) + " characters"}
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return "", &InputError{field, "holds a control character"}
	}
	return s, nil
}
