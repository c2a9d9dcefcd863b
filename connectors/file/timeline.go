package file

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/internal/ndjson"
)

// Progress is told how long work is going; *progress.Progress is one.
type Progress interface {
	Update(stage string, done, total int)
	Logf(format string, args ...any)
}

// maxReported bounds how many bad lines are printed one by one; the rest
// are counted.
const maxReported = 20

// LineReport prints the first malformed lines of canonical files, by file
// and line (never their values), and counts the rest.
type LineReport struct {
	W     io.Writer
	Count int
}

// Bad reports one malformed line.
func (r *LineReport) Bad(file string, le *ndjson.LineError) {
	if r.Count++; r.Count <= maxReported {
		fmt.Fprintf(r.W, "%s:%v (skipped)\n", file, le)
	}
}

// Timeline is every version of every record of some canonical files.
type Timeline struct {
	// Changes are in version order, then file and line, so the order and
	// the positions derived from it are the same on every run.
	Changes []ndjson.HeaderLine
	Records int // distinct records
}

// ReadTimeline reads the files' headers (each line's record is decoded
// only when applied) and puts them in version order. Malformed lines are
// reported to bad and skipped.
func ReadTimeline(files []string, bad *LineReport, prog Progress) (Timeline, error) {
	return readTimeline(files, func(string) bool { return true }, bad, prog)
}

// ReadSelection is sel.Apply(ReadTimeline(files…)) without holding what
// the selection drops: a version outside its time bounds is let go as it
// is read, so that an ingest of the last months of a long timeline does
// not hold the years before them. Records still counts every record of
// the files, as ReadTimeline does.
func ReadSelection(files []string, sel Selection, bad *LineReport, prog Progress) (Timeline, error) {
	tl, err := readTimeline(files, sel.inRange(), bad, prog)
	tl.Changes = sel.Apply(tl.Changes)
	return tl, err
}

func readTimeline(files []string, keep func(version string) bool, bad *LineReport, prog Progress) (Timeline, error) {
	prog = orSilent(prog)
	var out []ndjson.HeaderLine
	keys := map[resindex.RecordKey]bool{}
	read := 0
	for _, name := range files {
		if err := readChanges(name, keep, &out, &read, keys, bad, prog); err != nil {
			return Timeline{}, err
		}
	}
	slices.SortStableFunc(out, func(a, b ndjson.HeaderLine) int {
		if c := resindex.CompareVersions(a.Header.Version, b.Header.Version); c != 0 {
			return c
		}
		if c := cmp.Compare(a.File, b.File); c != 0 {
			return c
		}
		return cmp.Compare(a.No, b.No)
	})
	return Timeline{Changes: out, Records: len(keys)}, nil
}

func readChanges(name string, keep func(string) bool, out *[]ndjson.HeaderLine, read *int, keys map[resindex.RecordKey]bool, bad *LineReport, prog Progress) error {
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("input: %w", err)
	}
	defer f.Close()
	_, err = ndjson.ReadHeaders(f, runtime.GOMAXPROCS(0), func(hl ndjson.HeaderLine) {
		keys[hl.Header.Key()] = true
		if *read++; *read%16384 == 0 {
			prog.Update("reading", *read, 0)
		}
		if keep(hl.Header.Version) {
			hl.File = name
			*out = append(*out, hl)
		}
	}, func(le *ndjson.LineError) { bad.Bad(name, le) })
	if err != nil {
		return fmt.Errorf("input %s: %w", name, err)
	}
	return nil
}

// Selection picks the versions of a timeline an ingest applies.
type Selection struct {
	// Since and Before are the bounds as the operator gave them: they
	// name the position stream (Stream), so the same words resume.
	Since, Before string
	// From and To are the bounds as instants (versions at or after From,
	// before To); zero is unbounded.
	From, To time.Time
	// Latest keeps only each record's newest version in range: a
	// snapshot load.
	Latest bool
}

// Apply filters a timeline in version order. Versions compare with the
// bounds as instants (CompareVersions), whatever their offsets and
// fractions. It reuses the slice's storage.
func (s Selection) Apply(changes []ndjson.HeaderLine) []ndjson.HeaderLine {
	in := s.inRange()
	out := changes[:0]
	for _, c := range changes {
		if in(c.Header.Version) {
			out = append(out, c)
		}
	}
	clear(changes[len(out):]) // let the lines not kept be freed
	if !s.Latest {
		return out
	}
	// The timeline is in version order, so a record's last entry is its
	// newest version.
	last := map[resindex.RecordKey]int{}
	for i, c := range out {
		last[c.Header.Key()] = i
	}
	snap := out[:0]
	for i, c := range out {
		if last[c.Header.Key()] == i {
			snap = append(snap, c)
		}
	}
	clear(out[len(snap):])
	return snap
}

// inRange reports whether a version lies within the time bounds.
func (s Selection) inRange() func(version string) bool {
	from, to := bound(s.From), bound(s.To)
	return func(v string) bool {
		return (from == "" || resindex.CompareVersions(v, from) >= 0) && (to == "" || resindex.CompareVersions(v, to) < 0)
	}
}

func bound(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}

// Stream names the source position of an ingest: the input files (name,
// size, modification time) and the selection. Rerunning the same ingest
// after a crash resumes where it stopped; another input or selection is
// another stream and is applied in full (versions already stored are
// no-ops).
func (s Selection) Stream(files []string) (string, error) {
	h, err := InputsHash(files, fmt.Sprintf("since=%s before=%s latest=%t", s.Since, s.Before, s.Latest))
	return "ingest:" + h, err
}

// silent is the Progress of work nobody watches.
type silent struct{}

func (silent) Update(string, int, int) {}
func (silent) Logf(string, ...any)     {}

// orSilent lets callers pass a nil Progress.
func orSilent(p Progress) Progress {
	if p == nil {
		return silent{}
	}
	return p
}

// LiveRecords decodes the changes that are not deletes: after a Selection
// with Latest, the records as they stand. A line that does not decode is
// reported on log and skipped.
func LiveRecords(changes []ndjson.HeaderLine, log io.Writer) []resindex.Record {
	var recs []resindex.Record
	for _, c := range changes {
		if c.Header.Deleted {
			continue
		}
		rec, err := ndjson.DecodeRecord(c.Line)
		if err != nil {
			fmt.Fprintf(log, "%s:line %d: %v (skipped)\n", c.File, c.No, err)
			continue
		}
		recs = append(recs, rec)
	}
	return recs
}
