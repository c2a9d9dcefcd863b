package main

import (
	"fmt"
	"os"
	"runtime"
	"sync/atomic"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/connectors/file"
	"github.com/resindex/resindex/evaluate"
	"github.com/resindex/resindex/internal/ndjson"
	"github.com/resindex/resindex/internal/progress"
	"github.com/resindex/resindex/matcher"
	"github.com/resindex/resindex/resolver"
)

// maxReported bounds how many problems are printed one by one; the rest
// are counted.
const maxReported = 20

// readLive reads canonical NDJSON files on all cores and keeps the latest
// version of each record, dropping deleted ones. Only each line's header is
// scanned at first; just the winning versions are decoded in full.
// Malformed lines are reported on stderr with file and line number and
// skipped.
func readLive(e *env, ins []string, workers int, prog *progress.Progress) ([]resindex.Record, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	files, err := file.InputFiles(ins)
	if err != nil {
		return nil, err
	}
	var live resolver.LatestLines
	r := &file.LineReport{W: e.stderr}
	versions := 0
	for _, name := range files {
		if err := readFile(name, workers, &live, &versions, r, prog); err != nil {
			return nil, err
		}
	}
	recs, failed := live.Records(workers, r.Bad)
	recs, err = resolver.Fallback(recs, failed, func(add func(resindex.Record)) error {
		prog.Logf("%d record(s) have a malformed newest version: reading again for their older versions", len(failed))
		return readAll(files, workers, add)
	})
	if err != nil {
		return nil, err
	}
	if r.Count > 0 {
		fmt.Fprintf(e.stderr, "skipped %d malformed line(s)\n", r.Count)
	}
	prog.Logf("%d record versions read; %d live records", versions, len(recs))
	return recs, nil
}

// readAll decodes every line of the files, skipping malformed ones
// silently (they were reported on the first reading).
func readAll(files []string, workers int, add func(resindex.Record)) error {
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("input: %w", err)
		}
		_, err = ndjson.ReadRecords(f, workers, add, func(*ndjson.LineError) {})
		f.Close()
		if err != nil {
			return fmt.Errorf("input %s: %w", name, err)
		}
	}
	return nil
}

func readFile(name string, workers int, live *resolver.LatestLines, versions *int, r *file.LineReport, prog *progress.Progress) error {
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("input: %w", err)
	}
	defer f.Close()
	var read atomic.Int64
	lines, err := ndjson.ReadHeaderBatches(f, workers, func(hls []ndjson.HeaderLine) {
		live.AddAll(hls, name)
		prog.Update("reading", *versions+int(read.Add(int64(len(hls)))), 0)
	}, func(le *ndjson.LineError) { r.Bad(name, le) })
	*versions += int(read.Load())
	if err != nil {
		return fmt.Errorf("input %s: %w", name, err)
	}
	prog.Logf("read %d lines from %s", lines, name)
	return nil
}

// readAssignmentsFile reads a source,id,person_id CSV.
func readAssignmentsFile(name string) ([]resindex.Assignment, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	as, err := evaluate.ReadAssignments(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return as, nil
}

// shippedModel is the --model value that names the model resindex ships.
const shippedModel = "shipped"

// loadModel reads a model file, or returns the shipped model for "" or
// "shipped".
func loadModel(path string) (*matcher.Model, error) {
	if path == "" || path == shippedModel {
		return matcher.DefaultModel(), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m, err := matcher.ParseModel(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}
