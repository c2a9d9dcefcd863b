package searchbench

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/resindex/resindex"
)

func TestQueries(t *testing.T) {
	full := resindex.Record{Name: resindex.Name{Given: "Ann", Family: "Smith"}, DOB: "1990-01-02",
		Addresses:   []resindex.Address{{Postcode: "NW1 1AA"}},
		Identifiers: map[string]string{resindex.IDNINO: "QQ123456C"}}
	cases := []struct {
		name string
		rec  resindex.Record
		want []string
	}{
		{"everything", full, []string{"family", "identifier", "name+dob", "name+postcode", "typo+dob"}},
		{"a short family name has no typo", resindex.Record{Name: resindex.Name{Family: "Li"}, DOB: "1990-01-02"}, []string{"family", "name+dob"}},
		{"doubled letters have no typo", resindex.Record{Name: resindex.Name{Family: "Hood"}, DOB: "1990-01-02"}, []string{"family", "name+dob"}},
		{"nothing to search by", resindex.Record{}, nil},
	}
	for _, c := range cases {
		qs := Queries(&c.rec)
		var got []string
		for k := range qs {
			got = append(got, k)
		}
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	if q := Queries(&full)["typo+dob"]; q.Family != "Simth" {
		t.Errorf("typo: %q", q.Family)
	}
}

func TestRun(t *testing.T) {
	drawn := []Drawn{{Record: resindex.Record{Name: resindex.Name{Family: "Smith"}, DOB: "1990-01-02"}, Want: "p1"}}
	cases := []struct {
		name   string
		may    func(resindex.Query) bool
		search Search
		lines  []string
		err    bool
	}{
		{"found", nil, func(resindex.Query, string) (bool, error) { return true, nil },
			[]string{"1 records drawn", "name+dob", "all ", "100.0%", "family alone"}, false},
		{"refused queries are left out", func(q resindex.Query) bool { return q.DOB == "" },
			func(resindex.Query, string) (bool, error) { return false, nil }, []string{"all                  0  n/a", "family alone         1"}, false},
		{"an error stops it", nil, func(resindex.Query, string) (bool, error) { return false, errors.New("down") }, nil, true},
	}
	for _, c := range cases {
		rs, err := Run(drawn, c.may, c.search)
		if (err != nil) != c.err {
			t.Errorf("%s: err %v", c.name, err)
			continue
		}
		var b strings.Builder
		rs.Print(&b, len(drawn))
		for _, l := range c.lines {
			if !strings.Contains(b.String(), l) {
				t.Errorf("%s: output lacks %q:\n%s", c.name, l, b.String())
			}
		}
	}
}

func TestQueryValues(t *testing.T) {
	v := queryValues(resindex.Query{Family: "Smith", Identifiers: map[string]string{"nhs": "1"}})
	if got := v.Encode(); got != "family=Smith&id=nhs%3A1&page_size=10" {
		t.Errorf("%s", got)
	}
}
