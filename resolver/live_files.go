package resolver

import (
	"fmt"
	"os"
	"runtime"
	"sync/atomic"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/internal/ndjson"
)

// ReadProgress is told how reading input files goes; the commands'
// *progress.Progress is one.
type ReadProgress interface {
	Update(stage string, done, total int)
	Logf(format string, args ...any)
}

// ReadLive reads canonical NDJSON files on workers (default all cores)
// and returns the latest version of each record, deleted ones dropped,
// sorted by key, with the number of versions read. Only each line's
// header is scanned at first; just the winning versions are decoded in
// full (see LatestLines). Malformed lines are handed to bad, one call at
// a time, and skipped; a record whose newest version is malformed keeps
// its newest good one, from a second reading. prog may be nil.
func ReadLive(files []string, workers int, bad func(file string, le *ndjson.LineError), prog ReadProgress) ([]resindex.Record, int, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if prog == nil {
		prog = quiet{}
	}
	var live LatestLines
	versions := 0
	for i, name := range files {
		if err := readHeaders(name, i, workers, &live, &versions, bad, prog); err != nil {
			return nil, versions, err
		}
	}
	recs, failed, err := live.Records(files, workers, bad)
	if err != nil {
		return nil, versions, err
	}
	recs, err = Fallback(recs, failed, func(add func(resindex.Record)) error {
		prog.Logf("%d record(s) have a malformed newest version: reading again for their older versions", len(failed))
		return readAll(files, workers, add)
	})
	return recs, versions, err
}

// readHeaders offers one file's lines to live by their headers.
func readHeaders(name string, file, workers int, live *LatestLines, versions *int, bad func(string, *ndjson.LineError), prog ReadProgress) error {
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("input: %w", err)
	}
	defer f.Close()
	var read atomic.Int64
	lines, err := ndjson.ReadHeaderBatches(f, workers, func(hls []ndjson.HeaderLine) {
		live.AddAll(hls, file)
		prog.Update("reading", *versions+int(read.Add(int64(len(hls)))), 0)
	}, func(le *ndjson.LineError) { bad(name, le) })
	*versions += int(read.Load())
	if err != nil {
		return fmt.Errorf("input %s: %w", name, err)
	}
	prog.Logf("read %d lines from %s", lines, name)
	return nil
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

// quiet is the ReadProgress of a reading nobody watches.
type quiet struct{}

func (quiet) Update(string, int, int) {}
func (quiet) Logf(string, ...any)     {}
