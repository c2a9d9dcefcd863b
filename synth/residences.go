package synth

import (
	"cmp"
	"slices"
)

// ResidenceRow is one true person's residence at one property: the day
// they moved in and the day they left, To "" when they still live there at
// the end of the timeline. The households of the truth are the people
// living at one property on a day.
type ResidenceRow struct{ PersonID, UPRN, From, To string }

// residences lists every residence of every person, by person then date.
func residences(w *world) []ResidenceRow {
	var out []ResidenceRow
	for pi := range w.people {
		for _, r := range w.people[pi].res {
			row := ResidenceRow{PersonID: personID(int32(pi)), UPRN: w.g.props[w.occs[r.occ].prop].uprn, From: w.iso(r.from)}
			if r.to != never {
				row.To = w.iso(r.to)
			}
			out = append(out, row)
		}
	}
	slices.SortStableFunc(out, func(a, b ResidenceRow) int {
		return cmp.Or(cmp.Compare(a.PersonID, b.PersonID), cmp.Compare(a.From, b.From))
	})
	return out
}

// writeResidences writes truth/households.csv: person_id,uprn,from,to.
func (b *Borough) writeResidences(path string) error {
	out := [][]string{{"person_id", "uprn", "from", "to"}}
	for _, r := range b.Residences {
		out = append(out, []string{r.PersonID, r.UPRN, r.From, r.To})
	}
	return writeCSV(path, out)
}
