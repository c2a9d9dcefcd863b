package synth_test

import (
	"testing"
)

// TestResidences: the true households. Every person of the truth has a
// residence; each person's residences run in order without overlapping,
// each at a 12-digit UPRN, only the last still open; and the households at
// the end of the timeline are of a plausible size.
func TestResidences(t *testing.T) {
	b := mustGenerate(t)
	byPerson := map[string][]int{}
	for i, r := range b.Residences {
		byPerson[r.PersonID] = append(byPerson[r.PersonID], i)
		if len(r.UPRN) != 12 || r.From == "" || (r.To != "" && r.To < r.From) {
			t.Fatalf("residence %+v: want a 12-digit UPRN and from ≤ to", r)
		}
	}
	for _, row := range b.Truth {
		if len(byPerson[row.PersonID]) == 0 {
			t.Fatalf("%s holds record %s/%s but never lived in the borough", row.PersonID, row.Source, row.ID)
		}
	}
	atEnd := map[string]int{}
	for pid, is := range byPerson {
		for k, i := range is {
			r := b.Residences[i]
			if k+1 < len(is) {
				next := b.Residences[is[k+1]]
				if r.To == "" || next.From < r.To {
					t.Fatalf("%s: residence at %s (%s to %q) overlaps the next from %s", pid, r.UPRN, r.From, r.To, next.From)
				}
			} else if r.To == "" {
				atEnd[r.UPRN]++
			}
		}
	}
	people := 0
	for _, n := range atEnd {
		people += n
	}
	if avg := float64(people) / float64(len(atEnd)); len(atEnd) == 0 || avg < 1.5 || avg > 4 {
		t.Fatalf("%d people in %d households at the end: %.2f a household", people, len(atEnd), avg)
	}
}
