package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/evaluate"
)

// runConvert turns a public benchmark's files into canonical NDJSON and a
// truth file, laid out as `gen` lays out a borough, so that link, train,
// eval and the peers in bench/peer read them as they read a borough.
func runConvert(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "febrl" {
		return fmt.Errorf("want 'convert febrl --in FILE [--in FILE…] [--ssn] --out DIR': %w", errUsage)
	}
	fs := newFlags(e, "convert febrl", "--in FILE [--in FILE…] [--ssn] --out DIR")
	var ins multiFlag
	fs.Var(&ins, "in", "Febrl CSV file (repeatable; the files of one linkage task, e.g. dataset4a.csv and dataset4b.csv, share their persons)")
	ssn := fs.Bool("ssn", false, "keep soc_sec_id as the identifier soc_sec_id (left out by default: a council rarely has such an identifier)")
	out := fs.String("out", "", "output directory: writes canonical/<file name>.ndjson and truth/records.csv")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if len(ins) == 0 || *out == "" {
		fs.Usage()
		return fmt.Errorf("--in and --out are required: %w", errUsage)
	}
	files, err := readFEBRLFiles(ins, *ssn)
	if err != nil {
		return err
	}
	return writeConverted(e, *out, files)
}

// convertedFile is one input file's records, under the source name its
// canonical file takes.
type convertedFile struct {
	source string
	recs   []resindex.Record
	truth  []resindex.Assignment
}

// readFEBRLFiles reads every input before anything is written, so that a
// malformed file leaves no partial output behind. Each file's records take
// its base name without extension as their source, e.g. "dataset4a".
func readFEBRLFiles(paths []string, withSSN bool) ([]convertedFile, error) {
	files := make([]convertedFile, 0, len(paths))
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
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		recs, truth, err := evaluate.ReadFEBRL(f, evaluate.FEBRLOptions{WithSSN: withSSN, Source: source})
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if len(recs) == 0 {
			return nil, fmt.Errorf("%s: no records after the header", path)
		}
		files = append(files, convertedFile{source: source, recs: recs, truth: truth})
	}
	return files, nil
}

// writeConverted writes each file's canonical NDJSON and the truth of all
// of them together, each file atomically.
func writeConverted(e *env, dir string, files []convertedFile) error {
	canonical := filepath.Join(dir, "canonical")
	truthDir := filepath.Join(dir, "truth")
	for _, d := range []string{canonical, truthDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	var truth []resindex.Assignment
	persons := make(map[string]struct{})
	for _, cf := range files {
		path := filepath.Join(canonical, cf.source+".ndjson")
		if err := writeFile(path, func(w io.Writer) error { return writeRecords(w, cf.recs) }); err != nil {
			return err
		}
		truth = append(truth, cf.truth...)
		for _, a := range cf.truth {
			persons[a.PersonID] = struct{}{}
		}
	}
	truthPath := filepath.Join(truthDir, "records.csv")
	if err := writeFile(truthPath, func(w io.Writer) error { return evaluate.WriteAssignments(w, truth) }); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "converted %d records of %d persons from %d files to %s (canonical/, truth/records.csv)\n",
		len(truth), len(persons), len(files), dir)
	return nil
}

// writeRecords writes records as canonical NDJSON, one a line, in the JSON
// form of resindex.Record that link, train and ingest read back.
func writeRecords(w io.Writer, recs []resindex.Record) error {
	for i := range recs {
		line, err := json.Marshal(&recs[i])
		if err != nil {
			return fmt.Errorf("record %s: %w", recs[i].Key(), err)
		}
		line = append(line, '\n')
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
	return nil
}
