package main

import (
	"fmt"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/connectors/file"
	"github.com/resindex/resindex/internal/progress"
	"github.com/resindex/resindex/resolver"
)

// readLive reads canonical NDJSON files (a directory stands for its
// *.ndjson) and keeps the latest version of each record (see
// resolver.ReadLive). Malformed lines are reported on stderr with file and
// line number and skipped.
func readLive(e *env, ins []string, workers int, prog *progress.Progress) ([]resindex.Record, error) {
	files, err := file.InputFiles(ins)
	if err != nil {
		return nil, err
	}
	r := &file.LineReport{W: e.stderr}
	recs, versions, err := resolver.ReadLive(files, workers, r.Bad, prog)
	if err != nil {
		return nil, err
	}
	if r.Count > 0 {
		fmt.Fprintf(e.stderr, "skipped %d malformed line(s)\n", r.Count)
	}
	prog.Logf("%d record versions read; %d live records", versions, len(recs))
	return recs, nil
}
