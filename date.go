package resindex

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Precision says how much of a PartialDate is known.
type Precision uint8

// Date precisions, from unknown to a full day.
const (
	PrecisionNone Precision = iota
	PrecisionYear
	PrecisionMonth
	PrecisionDay
)

// PartialDate is a date of which only the year, or the year and month, may be
// known, as sources often hold dates of birth.
type PartialDate struct {
	Year, Month, Day int
	Precision        Precision
}

// IsZero reports whether nothing of the date is known.
func (d PartialDate) IsZero() bool { return d.Precision == PrecisionNone }

// Latest is the last day the date may mean: 31 December of a year, the
// last day of a month, or the day itself.
func (d PartialDate) Latest() time.Time {
	switch {
	case d.Month == 0:
		return time.Date(d.Year, 12, 31, 0, 0, 0, 0, time.UTC)
	case d.Day == 0:
		return time.Date(d.Year, time.Month(d.Month)+1, 0, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC)
}

// String renders the date in the form it was parsed from: YYYY, YYYY-MM or
// YYYY-MM-DD; empty when unknown.
func (d PartialDate) String() string {
	if b, ok := d.appendDigits(); ok {
		return string(b)
	}
	switch d.Precision {
	case PrecisionYear:
		return fmt.Sprintf("%04d", d.Year)
	case PrecisionMonth:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	case PrecisionDay:
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
	}
	return ""
}

// appendDigits renders a date whose parts fit their digits without fmt:
// blocking, term frequencies and scoring render a million dates of birth
// several times over, and fmt was most of that.
func (d PartialDate) appendDigits() ([]byte, bool) {
	if d.Year < 0 || d.Year > 9999 || d.Month < 0 || d.Month > 99 || d.Day < 0 || d.Day > 99 {
		return nil, false
	}
	var b [10]byte
	y := d.Year
	out := append(b[:0], byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10))
	switch d.Precision {
	case PrecisionYear:
		return out, true
	case PrecisionMonth:
		return append(out, '-', byte('0'+d.Month/10), byte('0'+d.Month%10)), true
	case PrecisionDay:
		return append(out, '-', byte('0'+d.Month/10), byte('0'+d.Month%10), '-', byte('0'+d.Day/10), byte('0'+d.Day%10)), true
	}
	return nil, false
}

// ParsePartialDate parses YYYY-MM-DD, YYYY-MM or YYYY. An empty string is the
// unknown date and no error; anything else that does not parse, or names a day
// that does not exist, is an error.
func ParsePartialDate(s string) (PartialDate, error) {
	switch {
	case s == "":
		return PartialDate{}, nil
	case len(s) == 4:
		y, err := parseYear(s)
		return PartialDate{Year: y, Precision: PrecisionYear}, err
	case len(s) == 7 && s[4] == '-':
		y, err := parseYear(s[:4])
		if err != nil {
			return PartialDate{}, err
		}
		m, err := parseDigits(s[5:7])
		if err != nil || m < 1 || m > 12 {
			return PartialDate{}, errors.New("month is not 01-12")
		}
		return PartialDate{Year: y, Month: m, Precision: PrecisionMonth}, nil
	case len(s) == 10:
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			return PartialDate{}, errors.New("not a calendar date YYYY-MM-DD")
		}
		if _, err := parseYear(s[:4]); err != nil {
			return PartialDate{}, err
		}
		return PartialDate{Year: t.Year(), Month: int(t.Month()), Day: t.Day(), Precision: PrecisionDay}, nil
	}
	return PartialDate{}, errors.New("not YYYY-MM-DD, YYYY-MM or YYYY")
}

func parseYear(s string) (int, error) {
	y, err := parseDigits(s)
	if err != nil {
		return 0, errors.New("year is not four digits")
	}
	if y < 1800 || y > 2200 {
		return 0, errors.New("year is out of range 1800-2200")
	}
	return y, nil
}

// parseDigits parses a string of ASCII digits only (no sign, no spaces).
func parseDigits(s string) (int, error) {
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, errors.New("not all digits")
		}
	}
	return strconv.Atoi(s)
}
