package matcher

import (
	"slices"
	"strings"
	"testing"
)

func TestGivenNameTableShape(t *testing.T) {
	if n := GivenNameGroupCount(); n < 500 {
		t.Fatalf("GivenNameGroupCount() = %d, want at least 500", n)
	}
	seen := map[string]int{} // sorted group → line number, to catch repeats
	for n, line := range strings.Split(givenNamesText, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		names := strings.Fields(line)
		for _, name := range names {
			if NormaliseName(name) != name || strings.Contains(name, " ") {
				t.Errorf("line %d: %q is not a normalised ASCII token", n+1, name)
			}
			if IsTitle(name) {
				t.Errorf("line %d: %q is a title", n+1, name)
			}
		}
		key := strings.Join(slices.Sorted(slices.Values(names)), " ")
		if prev, ok := seen[key]; ok {
			t.Errorf("line %d repeats the group on line %d", n+1, prev)
		}
		seen[key] = n + 1
	}
}

// TestGivenNameGroupsSortedUnique checks the contract for every name in
// the table, not just a sample.
func TestGivenNameGroupsSortedUnique(t *testing.T) {
	for name, ids := range givenNames.groups {
		if !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != len(ids) {
			t.Errorf("GivenNameGroups(%q) = %v, want sorted and unique", name, ids)
		}
		for _, id := range ids {
			if id < 0 || int(id) >= GivenNameGroupCount() {
				t.Errorf("GivenNameGroups(%q) holds out-of-range id %d", name, id)
			}
		}
	}
}

func TestGivenNameGroups(t *testing.T) {
	for _, tok := range []string{"", "Robert", "zzyzx", " bob", "mr"} {
		if g := GivenNameGroups(tok); g != nil {
			t.Errorf("GivenNameGroups(%q) = %v, want nil", tok, g)
		}
	}
	for _, tok := range []string{"alex", "chris", "sam", "jo"} {
		if g := GivenNameGroups(tok); len(g) < 2 {
			t.Errorf("GivenNameGroups(%q) = %v, want several groups", tok, g)
		}
	}
}

func TestSameGivenName(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"robert", "bob", true},
		{"bob", "bobby", true},
		{"robert", "robert", true},
		{"zzyzx", "zzyzx", true}, // equal even when unknown
		{"", "", false},          // missing is not the same
		{"", "bob", false},
		{"william", "liam", true},
		{"margaret", "peggy", true},
		{"elizabeth", "betty", true},
		{"catherine", "kate", true},
		{"kathryn", "katie", true},
		{"alex", "alexander", true},
		{"alex", "alexandra", true},
		{"alexander", "alexandra", false}, // groups do not chain
		{"jo", "joanne", true},
		{"jo", "josephine", true},
		{"joanne", "josephine", false},
		{"mohammed", "muhammad", true},
		{"mohamed", "mohammad", true},
		{"md", "muhammed", true},
		{"maxamed", "mohamed", true},
		{"aisha", "ayesha", true},
		{"siobhan", "chevonne", true},
		{"dafydd", "dai", true},
		{"malgorzata", "gosia", true},
		{"giuseppe", "joseph", true},
		{"oluwaseun", "seun", true},
		{"gurpreet", "gurprit", true},
		{"john", "jane", false},
		{"robert", "richard", false},
		{"Robert", "bob", false}, // tokens must be normalised first
	}
	for _, tt := range tests {
		if got := SameGivenName(tt.a, tt.b); got != tt.want {
			t.Errorf("SameGivenName(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := SameGivenName(tt.b, tt.a); got != tt.want {
			t.Errorf("SameGivenName(%q, %q) = %v, want %v (symmetry)", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestParseGivenNamesMalformed(t *testing.T) {
	bad := []string{
		"robert\n",            // a group of one
		"robert bob bob\n",    // repeated name
		"robert Bob\n",        // not lower-case
		"zoë zoe\n",           // not ASCII
		"mary-ann mary\n",     // punctuation
		"robert b\n",          // too short
		"robert bob2\n",       // digit
		"# ok\nmary molly\nx", // bad line after good ones
	}
	for _, text := range bad {
		if _, err := parseGivenNames(text); err == nil {
			t.Errorf("parseGivenNames(%q) succeeded, want an error", text)
		}
	}
	tb, err := parseGivenNames("# comment\n\nrobert bob rob\r\nrobin rob\n")
	if err != nil || tb.count != 2 || !slices.Equal(tb.groups["rob"], []int32{0, 1}) {
		t.Errorf("parseGivenNames(valid) = %+v, %v", tb, err)
	}
}

func TestMustParseGivenNamesPanics(t *testing.T) {
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(r.(string), "given_names.txt") || !strings.Contains(r.(string), "line 1") {
			t.Errorf("panic = %v, want a message naming the file and line", r)
		}
	}()
	mustParseGivenNames("solo\n")
}

func BenchmarkSameGivenName(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		SameGivenName("bobby", "robert")
	}
}
