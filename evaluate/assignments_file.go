package evaluate

import (
	"fmt"
	"io"
	"os"

	"github.com/resindex/resindex"
)

// ReadAssignmentsFile reads an assignments CSV file (see ReadAssignments);
// errors name the file.
func ReadAssignmentsFile(path string) ([]resindex.Assignment, error) {
	return readFile(path, ReadAssignments)
}

// readFile reads a file with read; errors name the file.
func readFile[T any](path string, read func(io.Reader) (T, error)) (T, error) {
	var zero T
	f, err := os.Open(path)
	if err != nil {
		return zero, err
	}
	defer f.Close()
	v, err := read(f)
	if err != nil {
		return zero, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
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
