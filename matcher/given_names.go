package matcher

import (
	_ "embed"
	"fmt"
	"strings"
)

// givenNamesText is the shipped nickname and variant table: one group per
// line, formal name first (see the file's header).
//
//go:embed data/given_names.txt
var givenNamesText string

// givenNames is built once at start-up; lookups on the hot path are a single
// map access with no allocation.
var givenNames = mustParseGivenNames(givenNamesText)

// givenNameTable maps each name to the ids of the groups holding it.
type givenNameTable struct {
	groups map[string][]int32
	count  int
}

// mustParseGivenNames panics on a malformed table: the file is embedded at
// build time, so an error here is a bug that must stop the binary, not a
// condition to handle.
func mustParseGivenNames(text string) givenNameTable {
	t, err := parseGivenNames(text)
	if err != nil {
		panic("matcher: embedded data/given_names.txt: " + err.Error())
	}
	return t
}

// parseGivenNames reads the table format. Group ids are assigned in file
// order, so each name's id list comes out sorted and, because a name may
// not repeat within a line, free of duplicates.
func parseGivenNames(text string) (givenNameTable, error) {
	t := givenNameTable{groups: make(map[string][]int32)}
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		names, err := parseGivenNameGroup(line)
		if err != nil {
			return givenNameTable{}, fmt.Errorf("line %d: %w", n+1, err)
		}
		id := int32(t.count)
		for _, name := range names {
			t.groups[name] = append(t.groups[name], id)
		}
		t.count++
	}
	return t, nil
}

// parseGivenNameGroup checks one line: at least two distinct names, each
// 2 to 30 lower-case ASCII letters, so that every entry is already in the
// form NormaliseName produces and can be looked up without folding.
func parseGivenNameGroup(line string) ([]string, error) {
	names := strings.Fields(line)
	if len(names) < 2 {
		return nil, fmt.Errorf("group %q has fewer than two names", line)
	}
	seen := make(map[string]bool, len(names))
	for _, name := range names {
		if !isGivenNameEntry(name) {
			return nil, fmt.Errorf("name %q is not 2-30 lower-case ASCII letters", name)
		}
		if seen[name] {
			return nil, fmt.Errorf("name %q repeats within its group", name)
		}
		seen[name] = true
	}
	return names, nil
}

func isGivenNameEntry(name string) bool {
	if len(name) < 2 || len(name) > 30 {
		return false
	}
	for i := 0; i < len(name); i++ {
		if name[i] < 'a' || name[i] > 'z' {
			return false
		}
	}
	return true
}

// GivenNameGroups returns the ids of the nickname/variant groups that a
// normalised given-name token belongs to, sorted ascending without
// duplicates; nil when the name is in no group. The slice is shared: callers
// must not modify it.
func GivenNameGroups(tok string) []int32 { return givenNames.groups[tok] }

// SameGivenName reports whether two normalised given-name tokens are equal
// or share a variant group (bob and robert, mohammed and muhammad). An empty
// token is a missing name and matches nothing, not even another empty one.
func SameGivenName(a, b string) bool {
	if a == b {
		return a != ""
	}
	return sharesGroup(givenNames.groups[a], givenNames.groups[b])
}

// sharesGroup intersects two sorted id lists by merging.
func sharesGroup(x, y []int32) bool {
	for len(x) > 0 && len(y) > 0 {
		switch {
		case x[0] == y[0]:
			return true
		case x[0] < y[0]:
			x = x[1:]
		default:
			y = y[1:]
		}
	}
	return false
}

// GivenNameGroupCount returns how many variant groups the shipped table
// holds.
func GivenNameGroupCount() int { return givenNames.count }
