package fraud

import (
	"cmp"
	"slices"
	"time"
)

// Options tune a run of the checks; zero values take the defaults.
type Options struct {
	// MinScore: findings below it are left out (the commands default to
	// DefaultMinScore; zero keeps every finding).
	MinScore float64
}

// Report is one run of one check.
type Report struct {
	Kind     Kind      `json:"kind"`
	Findings []Finding `json:"findings"`
	// Examined is how many tenancies or accounts were weighed; Records and
	// Persons how much of the index was read.
	Examined int `json:"examined"`
	Records  int `json:"records"`
	Persons  int `json:"persons"`
	// AsOf is the newest day of the data the check read: the evidence is
	// dated against it, not against today.
	AsOf     string        `json:"as_of"`
	MinScore float64       `json:"min_score"`
	Took     time.Duration `json:"-"`
}

// Run reads the index once and runs the checks named, each to its own
// report, findings highest score first.
func Run(scan Scan, kinds []Kind, opts Options) ([]Report, error) {
	began := time.Now()
	x, err := load(scan)
	if err != nil {
		return nil, err
	}
	min := opts.MinScore
	var out []Report
	for _, k := range kinds {
		var fs []Finding
		var n int
		switch k {
		case Subletting:
			fs, n = x.sublets()
		case SPD:
			fs, n = x.discounts()
		}
		r := Report{Kind: k, Examined: n, Records: len(x.recs), Persons: len(x.persons), AsOf: x.now.String(), MinScore: min}
		for _, f := range fs {
			if f.Score >= min {
				r.Findings = append(r.Findings, f)
			}
		}
		slices.SortFunc(r.Findings, func(a, b Finding) int { return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(a.ID, b.ID)) })
		r.Took = time.Since(began)
		out = append(out, r)
	}
	return out, nil
}
