package web_test

import (
	"slices"
	"sort"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/web"
)

func webConfig() web.Config { return web.Config{} }

// pickSample chooses persons covering each case the policy treats apart,
// a few of each, and fails if the borough lacks one.
func pickSample(t *testing.T, s *server) []string {
	t.Helper()
	pids := make([]string, 0, len(s.persons))
	for pid := range s.persons {
		pids = append(pids, pid)
	}
	sort.Strings(pids)
	cases := []struct {
		name string
		is   func(pid string) bool
	}{
		{"child", func(pid string) bool { return classOf(s.persons[pid]) == "child" }},
		{"shielded adult", func(pid string) bool { return classOf(s.persons[pid]) == "adult" && isShielded(s.persons[pid]) }},
		{"shielded child", func(pid string) bool { return classOf(s.persons[pid]) == "child" && isShielded(s.persons[pid]) }},
		{"attainer", func(pid string) bool {
			return slices.ContainsFunc(s.persons[pid].Records, func(r resindex.Record) bool { return r.Attributes["attainment_date"] != "" })
		}},
		{"some records out of the window", func(pid string) bool {
			rs := s.persons[pid].Records
			return slices.ContainsFunc(rs, inWindow) && slices.ContainsFunc(rs, func(r resindex.Record) bool { return !inWindow(r) })
		}},
		{"all records out of the window", func(pid string) bool { return !slices.ContainsFunc(s.persons[pid].Records, inWindow) }},
		{"adult living with a child", func(pid string) bool {
			return livesWith(s, pid, func(m string) bool { return classOf(s.persons[m]) == "child" })
		}},
		{"adult living with a shielded person", func(pid string) bool {
			return livesWith(s, pid, func(m string) bool { return isShielded(s.persons[m]) })
		}},
		{"several records", func(pid string) bool { return len(s.persons[pid].Records) >= 4 }},
		{"any", func(string) bool { return true }},
	}
	var sample []string
	for _, c := range cases {
		n := 0
		for i, pid := range pids {
			if n == 8 {
				break
			}
			if c.name == "any" && i%37 != 0 {
				continue
			}
			if c.is(pid) {
				n++
				if !slices.Contains(sample, pid) {
					sample = append(sample, pid)
				}
			}
		}
		if n == 0 {
			t.Fatalf("the borough has no person of the case %q", c.name)
		}
		t.Logf("sample: %d × %s", n, c.name)
	}
	return sample
}

// livesWith: an adult whose household holds another person who is so.
func livesWith(s *server, pid string, is func(string) bool) bool {
	p := s.persons[pid]
	if classOf(p) != "adult" || p.Household == "" {
		return false
	}
	members, err := s.eng.Household(p.Household)
	if err != nil {
		return false
	}
	return slices.ContainsFunc(members, func(m string) bool { return m != pid && is(m) })
}
