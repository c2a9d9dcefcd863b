package evaluate

import (
	"fmt"
	"os"

	"github.com/resindex/resindex"
)

// ReadAssignmentsFile reads an assignments CSV file (see ReadAssignments);
// errors name the file.
func ReadAssignmentsFile(path string) ([]resindex.Assignment, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	as, err := ReadAssignments(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return as, nil
}

// ReadTruthFile reads a ground-truth CSV file as a map from each record to
// its true person, the form the batch linker measures blocking against.
func ReadTruthFile(path string) (map[resindex.RecordKey]string, error) {
	as, err := ReadAssignmentsFile(path)
	if err != nil {
		return nil, err
	}
	m := make(map[resindex.RecordKey]string, len(as))
	for _, a := range as {
		m[a.Key] = a.PersonID
	}
	return m, nil
}
