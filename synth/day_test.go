package synth

import (
	"testing"
	"time"
)

func TestCivilAgreesWithTime(t *testing.T) {
	for d := date(1890, time.January, 1); d < date(2110, time.January, 1); d += 7 {
		tm := time.Unix(int64(d)*secondsPerDay, 0).UTC()
		y, m, dd := d.civil()
		if y != tm.Year() || m != int(tm.Month()) || dd != tm.Day() {
			t.Fatalf("day %d: civil %d-%d-%d, time says %s", d, y, m, dd, tm.Format(time.DateOnly))
		}
		if back := date(y, time.Month(m), dd); back != d {
			t.Fatalf("date(%d,%d,%d) = %d, want %d", y, m, dd, back, d)
		}
		if d.iso() != tm.Format(time.DateOnly) {
			t.Fatalf("iso %s, want %s", d.iso(), tm.Format(time.DateOnly))
		}
	}
}

func TestDateRollsOver(t *testing.T) {
	if got := date(2023, time.February, 29).iso(); got != "2023-03-01" {
		t.Errorf("29 February 2023 = %s, want 2023-03-01", got)
	}
}

func TestAgeAt(t *testing.T) {
	dob := date(2000, time.June, 15)
	tests := []struct {
		at   day
		want int
	}{
		{date(2000, time.June, 15), 0},
		{date(2018, time.June, 14), 17},
		{date(2018, time.June, 15), 18},
		{date(2030, time.January, 1), 29},
	}
	for _, tt := range tests {
		if got := ageAt(dob, tt.at); got != tt.want {
			t.Errorf("ageAt(%s) = %d, want %d", tt.at.iso(), got, tt.want)
		}
		if got := approxAge(dob, tt.at); got < tt.want-1 || got > tt.want {
			t.Errorf("approxAge(%s) = %d, want about %d", tt.at.iso(), got, tt.want)
		}
	}
}

func TestReceptionStart(t *testing.T) {
	tests := []struct{ dob, want string }{
		{"2019-09-01", "2024-09-01"}, // oldest in the year
		{"2020-08-31", "2024-09-01"}, // youngest in the same year
		{"2020-09-01", "2025-09-01"},
		{"2016-02-29", "2020-09-01"},
	}
	for _, tt := range tests {
		d, _ := time.Parse(time.DateOnly, tt.dob)
		if got := receptionStart(dayOf(d)).iso(); got != tt.want {
			t.Errorf("receptionStart(%s) = %s, want %s", tt.dob, got, tt.want)
		}
	}
}

func TestVersionStamp(t *testing.T) {
	for _, sec := range []int64{0, 1700000000, 1700049599, 4102444799} {
		if got, want := versionStamp(sec), time.Unix(sec, 0).UTC().Format(time.RFC3339); got != want {
			t.Errorf("versionStamp(%d) = %s, want %s", sec, got, want)
		}
	}
	d := date(2024, time.March, 1)
	if s := versionSecond(99, d) - int64(d)*secondsPerDay; s < 8*3600 || s >= 18*3600 {
		t.Errorf("version at second %d of the day, want office hours", s)
	}
}
