package febrl

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/evaluate"
	"github.com/resindex/resindex/internal/atomicfile"
)

// Converted counts what Convert wrote.
type Converted struct {
	Records, Persons, Files int
}

// Convert reads Febrl CSV files (the files of one linkage task share
// their persons) and writes dir/canonical/<file>.ndjson for each and
// dir/truth/records.csv for all. Every input is read before anything is
// written, so a malformed file leaves no partial output behind. withSSN
// keeps soc_sec_id as an identifier.
func Convert(paths []string, withSSN bool, dir string) (Converted, error) {
	files, err := read(paths, withSSN)
	if err != nil {
		return Converted{}, err
	}
	return write(dir, files)
}

// file is one input file's records, under the source name its canonical
// file takes.
type file struct {
	source string
	recs   []resindex.Record
	truth  []resindex.Assignment
}

// read reads every input. Each file's records take its base name without
// extension as their source, e.g. "dataset4a".
func read(paths []string, withSSN bool) ([]file, error) {
	files := make([]file, 0, len(paths))
	first := make(map[string]string)
	for _, path := range paths {
		source := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		if source == "" || source == "." {
			return nil, fmt.Errorf("%s: no file name to name the source by", path)
		}
		if prev, dup := first[source]; dup {
			return nil, fmt.Errorf("%s and %s would both be source %q (canonical/%s.ndjson): give files with different names", prev, path, source, source)
		}
		first[source] = path
		f, err := readFile(path, evaluate.FEBRLOptions{WithSSN: withSSN, Source: source})
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

func readFile(path string, opts evaluate.FEBRLOptions) (file, error) {
	f, err := os.Open(path)
	if err != nil {
		return file{}, err
	}
	defer f.Close()
	recs, truth, err := evaluate.ReadFEBRL(f, opts)
	if err != nil {
		return file{}, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) == 0 {
		return file{}, fmt.Errorf("%s: no records after the header", path)
	}
	return file{source: opts.Source, recs: recs, truth: truth}, nil
}

// write writes each file's canonical NDJSON and the truth of all of them
// together, each file atomically.
func write(dir string, files []file) (Converted, error) {
	canonical, truthDir := filepath.Join(dir, "canonical"), filepath.Join(dir, "truth")
	for _, d := range []string{canonical, truthDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return Converted{}, err
		}
	}
	var truth []resindex.Assignment
	persons := make(map[string]struct{})
	for _, f := range files {
		path := filepath.Join(canonical, f.source+".ndjson")
		if err := atomicfile.Write(path, func(w io.Writer) error { return writeRecords(w, f.recs) }); err != nil {
			return Converted{}, err
		}
		truth = append(truth, f.truth...)
		for _, a := range f.truth {
			persons[a.PersonID] = struct{}{}
		}
	}
	path := filepath.Join(truthDir, "records.csv")
	if err := atomicfile.Write(path, func(w io.Writer) error { return evaluate.WriteAssignments(w, truth) }); err != nil {
		return Converted{}, err
	}
	return Converted{Records: len(truth), Persons: len(persons), Files: len(files)}, nil
}

// writeRecords writes records as canonical NDJSON, one a line, in the JSON
// form of resindex.Record that link, train and ingest read back.
func writeRecords(w io.Writer, recs []resindex.Record) error {
	for i := range recs {
		line, err := json.Marshal(&recs[i])
		if err != nil {
			return fmt.Errorf("record %s: %w", recs[i].Key(), err)
		}
		if _, err := w.Write(append(line, '\n')); err != nil {
			return err
		}
	}
	return nil
}
