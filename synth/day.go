package synth

import (
	"math"
	"time"
)

// day counts days since 1970-01-01 UTC. The simulation works in whole days:
// it is compact (people and events are held by the hundred thousand) and
// every source change is dated to a day anyway.
type day int32

// never is the open end of a span and the date of an event that does not
// happen.
const never day = math.MaxInt32

const secondsPerDay = 86400

func dayOf(t time.Time) day {
	y, m, d := t.UTC().Date()
	return date(y, m, d)
}

// iso renders the day as YYYY-MM-DD.
func (d day) iso() string { return string(d.appendISO(nil)) }

// appendISO appends YYYY-MM-DD without going through time.Format, which
// matters when millions of dates are rendered.
func (d day) appendISO(b []byte) []byte {
	y, m, dd := d.civil()
	b = append4(b, y)
	b = append(b, '-')
	b = append2(b, m)
	b = append(b, '-')
	return append2(b, dd)
}

// civil converts a day to year, month, day of month with Howard Hinnant's
// days-from-civil inverse: the simulation asks for ages and birthdays
// millions of times and time.Time is needlessly slow for that.
func (d day) civil() (y, m, dd int) {
	z := int(d) + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	dd = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	y = yoe + era*400
	if m <= 2 {
		y++
	}
	return y, m, dd
}

func append4(b []byte, n int) []byte {
	return append(b, byte('0'+n/1000%10), byte('0'+n/100%10), byte('0'+n/10%10), byte('0'+n%10))
}

func append2(b []byte, n int) []byte { return append(b, byte('0'+n/10%10), byte('0'+n%10)) }

// date builds a day from a calendar date; an out-of-range day of month
// rolls over into the next month as time.Date does (29 February in a common
// year is 1 March).
func date(y int, m time.Month, d int) day {
	mm := int(m)
	if mm <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (mm + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return day(era*146097 + doe - 719468)
}

// year returns the calendar year of d.
func (d day) year() int {
	y, _, _ := d.civil()
	return y
}

// ageAt returns the age in whole years of someone born on dob at day d.
func ageAt(dob, d day) int {
	by, bm, bd := dob.civil()
	y, m, dd := d.civil()
	age := y - by
	if m < bm || (m == bm && dd < bd) {
		age--
	}
	return age
}

// birthday returns the day someone born on dob turns age.
func birthday(dob day, age int) day {
	y, m, d := dob.civil()
	return date(y+age, time.Month(m), d)
}

// nextAnnual returns the first occurrence of month/dayOfMonth strictly after d.
func nextAnnual(d day, m time.Month, dom int) day {
	y := d.year()
	for {
		c := date(y, m, dom)
		if c > d {
			return c
		}
		y++
	}
}
