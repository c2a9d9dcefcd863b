package report

import (
	"strings"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/matcher"
	"github.com/resindex/resindex/resolver"
)

func TestTexts(t *testing.T) {
	k := func(id string) resindex.RecordKey { return resindex.RecordKey{Source: "s", ID: id} }
	truth := []resindex.Assignment{{Key: k("1"), PersonID: "a"}, {Key: k("2"), PersonID: "a"}, {Key: k("3"), PersonID: "b"}}
	merged := []resindex.Assignment{{Key: k("1"), PersonID: "x"}, {Key: k("2"), PersonID: "x"}, {Key: k("3"), PersonID: "x"}}
	cases := []struct {
		name  string
		write func(b *strings.Builder) error
		want  []string
	}{
		{"clusters", func(b *strings.Builder) error {
			return Clusters(b, &resolver.LinkResult{Keys: []resindex.RecordKey{k("1")}, PersonIDs: []string{"p"}})
		}, []string{"s,1,p"}},
		{"link stats", func(b *strings.Builder) error {
			LinkStats(b, resolver.LinkStats{Records: 3, Persons: 2})
			return nil
		}, []string{"records 3 → persons 2", "candidate pairs 0"}},
		{"model", func(b *strings.Builder) error { Model(b, matcher.DefaultModel()); return nil }, []string{"link at", " m="}},
		{"eval, unexplained", func(b *strings.Builder) error { return Eval(b, truth, merged, 1, nil) },
			[]string{"worst false merges", "- predicted x: 3 records, 2 wrong pairs", "worst false splits"}},
		{"problems", func(b *strings.Builder) error {
			Problems(b, []matcher.Profile{{Key: k("1"), Problems: []string{"dob: not a date"}}})
			return nil
		}, []string{"record s/1: dob: not a date (kept, not used as evidence)", "unusable dob: 1 record(s)"}},
	}
	for _, c := range cases {
		var b strings.Builder
		if err := c.write(&b); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		for _, w := range c.want {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s: output lacks %q:\n%s", c.name, w, b.String())
			}
		}
	}
}
