package evaluate

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/resindex/resindex"
)

// Residence is one true person's residence at one property, from the
// generator's truth/households.csv: To is "" while they still live there.
type Residence struct{ Person, UPRN, From, To string }

var residenceColumns = []string{"person_id", "uprn", "from", "to"}

// ReadResidences reads truth/households.csv (person_id,uprn,from,to; to
// may be empty). Errors name the line and column, never a value.
func ReadResidences(r io.Reader) ([]Residence, error) {
	var out []Residence
	err := readRows(r, residenceColumns, func(row []string, line int) error {
		if len(row) != len(residenceColumns) {
			return fmt.Errorf("evaluate: line %d: %d columns, want %d", line, len(row), len(residenceColumns))
		}
		for i, name := range residenceColumns[:3] {
			if strings.TrimSpace(row[i]) == "" {
				return fmt.Errorf("evaluate: line %d: column %s: empty", line, name)
			}
		}
		out = append(out, Residence{Person: row[0], UPRN: row[1], From: row[2], To: row[3]})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ReadResidencesFile reads a households CSV file; errors name the file.
func ReadResidencesFile(path string) ([]Residence, error) { return readFile(path, ReadResidences) }

// HouseholdMetrics scores households as pairs of people living together.
type HouseholdMetrics struct {
	TruePairs, PredictedPairs, CorrectPairs int64
	Precision, Recall, F1                   float64
	// Known is the true persons the index could place: those with a
	// record. People no source knows are left out of both sides.
	Known int
}

// CoResidence scores predicted households against the true ones at the
// end of the timeline, pairwise: two people are a pair when they live at
// one property. Each predicted household is its members, each member the
// records the index holds of one person; a member stands for the true
// person most of its records belong to (truthOf), so that a false merge
// of records counts once. Only true persons with a record in truthOf are
// counted on the true side.
func CoResidence(res []Residence, truthOf map[resindex.RecordKey]string, households [][][]resindex.RecordKey) HouseholdMetrics {
	known := map[string]bool{}
	for _, p := range truthOf {
		known[p] = true
	}
	atEnd := map[string][]string{}
	for _, r := range res {
		if r.To == "" && known[r.Person] {
			atEnd[r.UPRN] = append(atEnd[r.UPRN], r.Person)
		}
	}
	truePairs := map[[2]string]bool{}
	for _, people := range atEnd {
		addPairs(truePairs, people)
	}
	predPairs := map[[2]string]bool{}
	for _, h := range households {
		var people []string
		for _, member := range h {
			if p := majority(member, truthOf); p != "" {
				people = append(people, p)
			}
		}
		addPairs(predPairs, people)
	}
	m := HouseholdMetrics{TruePairs: int64(len(truePairs)), PredictedPairs: int64(len(predPairs)), Known: len(known)}
	for p := range predPairs {
		if truePairs[p] {
			m.CorrectPairs++
		}
	}
	m.Precision, m.Recall = ratioOrOne(m.CorrectPairs, m.PredictedPairs), ratioOrOne(m.CorrectPairs, m.TruePairs)
	m.F1 = harmonic(m.Precision, m.Recall)
	return m
}

// addPairs adds every pair of distinct people, in order.
func addPairs(pairs map[[2]string]bool, people []string) {
	slices.Sort(people)
	people = slices.Compact(people)
	for i := range people {
		for j := i + 1; j < len(people); j++ {
			pairs[[2]string{people[i], people[j]}] = true
		}
	}
}

// majority is the true person most of the records belong to (ties: the
// first in order), or "" when none is in the truth.
func majority(recs []resindex.RecordKey, truthOf map[resindex.RecordKey]string) string {
	count := map[string]int{}
	best := ""
	for _, k := range recs {
		p, ok := truthOf[k]
		if !ok {
			continue
		}
		count[p]++
		if best == "" || count[p] > count[best] || (count[p] == count[best] && p < best) {
			best = p
		}
	}
	return best
}
