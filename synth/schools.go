package synth

import (
	"fmt"
	"math/rand/v2"
)

// school is one of the borough's schools, by DfE establishment number.
type school struct {
	name      string
	estab     string // four digits: 2xxx primary, 4xxx secondary
	secondary bool
}

var saints = fields(`Aloysius Dominic Michael Patrick Paul Mary Joseph Alban Anne Luke Margaret Peter`)

// newSchools founds roughly one primary school per 2,500 properties and one
// secondary per 10,000, with names in the borough's style.
func newSchools(r *rand.Rand, nProps int) []school {
	var out []school
	seen := map[string]bool{}
	add := func(name, prefix string, secondary bool) {
		for {
			estab := prefix + digits(r, 3)
			if !seen[estab] && !seen[name] {
				seen[estab], seen[name] = true, true
				out = append(out, school{name: name, estab: estab, secondary: secondary})
				return
			}
			name += " " + pick(r, []string{"North", "South", "Park", "Hill"})
		}
	}
	for i := 0; i < max(2, nProps/2500); i++ {
		name := pick(r, streetWords) + " Primary School"
		if chance(r, 0.25) {
			name = fmt.Sprintf("St %s's %s Primary School", pick(r, saints), pick(r, []string{"Catholic", "C of E"}))
		}
		add(name, "2", false)
	}
	for i := 0; i < max(1, nProps/10000); i++ {
		add(pick(r, streetWords)+" "+pick(r, []string{"School", "Academy", "Community School"}), "4", true)
	}
	return out
}
