package synth

import (
	"fmt"
	"os"
	"path/filepath"
)

// Write writes the data set into dir (created if missing) in the
// borough's layout, so that link, eval and train read it the same way:
//
//	canonical/<register>.ndjson  every record of the register, one a line
//	truth/records.csv            source,id,person_id for every record
//
// There are no native extracts, change events, error lists or scenarios:
// the profile has no source formats, timelines or households to show.
func (p *People) Write(dir string) error {
	for _, sub := range []string{"canonical", "truth"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return fmt.Errorf("synth: write: %w", err)
		}
	}
	var jobs []func() error
	for _, s := range PeopleSources {
		jobs = append(jobs, func() error { return writeCanonical(filepath.Join(dir, "canonical", s+".ndjson"), p.Records[s]) })
	}
	jobs = append(jobs, func() error { return p.writeTruth(filepath.Join(dir, "truth", "records.csv")) })
	return runAll(jobs)
}

// writeTruth writes the truth in the borough's format; it is already in
// source and id order.
func (p *People) writeTruth(path string) error {
	rows := make([][]string, 0, len(p.Truth)+1)
	rows = append(rows, []string{"source", "id", "person_id"})
	for _, t := range p.Truth {
		rows = append(rows, []string{t.Source, t.ID, t.PersonID})
	}
	return writeCSV(path, rows)
}
