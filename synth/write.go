package synth

import (
	"bufio"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/resindex/resindex"
)

// Write writes the borough into dir (created if missing):
//
//	canonical/<source>.ndjson   every source's change timeline, one record per line
//	native/<file>               every source's own extract of its live records, and README.md
//	truth/records.csv           source,id,person_id for every live record
//	truth/errors.csv            source,id,errors for every live record with deviations
//	truth/scenarios.json        the safeguarding and fraud scenarios
//	truth/households.csv        person_id,uprn,from,to: every true residence (to "" while still there)
//	events/<source>.kcat        every source's change events (events.go) and README.md, unless NoEvents
//	truth/malformed_events.csv  source,line,kind of each malformed event among them
//
// It checks the borough first and names the first problem it finds.
func (b *Borough) Write(dir string) error {
	if err := b.Validate(); err != nil {
		return err
	}
	for _, sub := range []string{"canonical", "native", "truth", "events"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return fmt.Errorf("synth: write: %w", err)
		}
	}
	var jobs []func() error
	for _, s := range resindex.Sources {
		jobs = append(jobs, func() error { return writeCanonical(filepath.Join(dir, "canonical", s+".ndjson"), b.Records[s]) })
	}
	for _, nf := range nativeFiles() {
		jobs = append(jobs, func() error { return writeNative(filepath.Join(dir, "native", nf.file), nf, b.Records[nf.source]) })
	}
	bad := make([][]MalformedEvent, len(nativeFiles()))
	for i, nf := range nativeFiles() {
		if b.cfg.NoEvents {
			break
		}
		jobs = append(jobs, func() (err error) {
			bad[i], err = writeEvents(filepath.Join(dir, "events", nf.source+".kcat"), nf, b.Records[nf.source], b.cfg.Start, b.cfg.Seed, streamEvents+uint64(i))
			return err
		})
	}
	jobs = append(jobs,
		func() error { return writeFile(filepath.Join(dir, "native", "README.md"), nativeReadme()) },
		func() error { return b.writeTruth(filepath.Join(dir, "truth", "records.csv")) },
		func() error { return b.writeErrors(filepath.Join(dir, "truth", "errors.csv")) },
		func() error { return b.writeScenarios(filepath.Join(dir, "truth", "scenarios.json")) },
		func() error { return b.writeResidences(filepath.Join(dir, "truth", "households.csv")) },
	)
	if !b.cfg.NoEvents {
		jobs = append(jobs, func() error { return writeFile(filepath.Join(dir, "events", "README.md"), eventsReadme()) })
	}
	if err := runAll(jobs); err != nil || b.cfg.NoEvents {
		return err
	}
	return writeMalformed(filepath.Join(dir, "truth", "malformed_events.csv"), slices.Concat(bad...))
}

// writeMalformed lists the malformed events, by source and line.
func writeMalformed(path string, bad []MalformedEvent) error {
	var sb strings.Builder
	sb.WriteString("source,line,kind\n")
	for _, m := range bad {
		fmt.Fprintf(&sb, "%s,%d,%s\n", m.Source, m.Line, m.Kind)
	}
	return writeFile(path, sb.String())
}

// runAll runs the jobs a few at a time (each writes its own file, so the
// bytes do not depend on the order) and returns the first error in job
// order.
func runAll(jobs []func() error) error {
	errs := make([]error, len(jobs))
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	for i, job := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = job()
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// create opens path for writing through a buffer; done flushes and closes,
// keeping the first error.
func create(path string) (*bufio.Writer, func() error, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, fmt.Errorf("synth: write: %w", err)
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	done := func() error {
		err := bw.Flush()
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("synth: write %s: %w", path, err)
		}
		return nil
	}
	return bw, done, nil
}

func writeFile(path, content string) error {
	bw, done, err := create(path)
	if err != nil {
		return err
	}
	bw.WriteString(content)
	return done()
}

// writeCanonical writes records as JSON lines.
func writeCanonical(path string, recs []resindex.Record) error {
	bw, done, err := create(path)
	if err != nil {
		return err
	}
	for i := range recs {
		line, err := json.Marshal(&recs[i])
		if err != nil {
			done()
			return fmt.Errorf("synth: write %s: record %s: %w", path, recs[i].ID, err)
		}
		bw.Write(line)
		bw.WriteByte('\n')
	}
	return done()
}

// writeNative writes one source's extract of its live records.
func writeNative(path string, nf nativeFile, versions []resindex.Record) error {
	bw, done, err := create(path)
	if err != nil {
		return err
	}
	live := liveRecords(versions)
	if nf.cols != nil {
		err = writeNativeCSV(bw, nf.cols, live)
	} else {
		err = writeNativeJSON(bw, nf, live)
	}
	if err != nil {
		done()
		return fmt.Errorf("synth: write %s: %w", path, err)
	}
	return done()
}

func writeNativeCSV(bw *bufio.Writer, cols []column, live []*resindex.Record) error {
	cw := csv.NewWriter(bw)
	row := make([]string, len(cols))
	for i, c := range cols {
		row[i] = c.name
	}
	cw.Write(row)
	for _, r := range live {
		for i, c := range cols {
			row[i] = c.get(r)
		}
		cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// writeNativeJSON writes JSON lines, or one document with the records in
// an array when nf.array is set.
func writeNativeJSON(bw *bufio.Writer, nf nativeFile, live []*resindex.Record) error {
	if nf.array != "" {
		fmt.Fprintf(bw, "{\"@odata.context\":\"contacts\",%q:[\n", nf.array)
	}
	for i, r := range live {
		b, err := json.Marshal(nf.json(r))
		if err != nil {
			return fmt.Errorf("record %s: %w", r.ID, err)
		}
		bw.Write(b)
		if nf.array != "" && i < len(live)-1 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
	}
	if nf.array != "" {
		bw.WriteString("]}\n")
	}
	return nil
}

func (b *Borough) writeTruth(path string) error {
	rows := slices.Clone(b.Truth)
	slices.SortFunc(rows, func(x, y TruthRow) int { return cmp.Or(cmp.Compare(x.Source, y.Source), cmp.Compare(x.ID, y.ID)) })
	out := [][]string{{"source", "id", "person_id"}}
	for _, r := range rows {
		out = append(out, []string{r.Source, r.ID, r.PersonID})
	}
	return writeCSV(path, out)
}

func (b *Borough) writeErrors(path string) error {
	rows := slices.Clone(b.Errors)
	slices.SortFunc(rows, func(x, y ErrorRow) int { return cmp.Or(cmp.Compare(x.Source, y.Source), cmp.Compare(x.ID, y.ID)) })
	out := [][]string{{"source", "id", "errors"}}
	for _, r := range rows {
		if len(r.Kinds) > 0 {
			out = append(out, []string{r.Source, r.ID, strings.Join(r.Kinds, ";")})
		}
	}
	return writeCSV(path, out)
}

func writeCSV(path string, rows [][]string) error {
	bw, done, err := create(path)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cw.WriteAll(rows)
	if err := cw.Error(); err != nil {
		done()
		return fmt.Errorf("synth: write %s: %w", path, err)
	}
	return done()
}

// writeScenarios writes the scenarios as indented JSON, with empty lists
// as [] rather than null.
func (b *Borough) writeScenarios(path string) error {
	s := b.Scenarios
	s.Safeguarding = nonNil(s.Safeguarding)
	s.Sublets = nonNil(s.Sublets)
	s.SinglePersonDiscounts = nonNil(s.SinglePersonDiscounts)
	for i := range s.Safeguarding {
		s.Safeguarding[i].Records = nonNil(s.Safeguarding[i].Records)
	}
	for i := range s.Sublets {
		s.Sublets[i].Records = nonNil(s.Sublets[i].Records)
		s.Sublets[i].OccupantPersonIDs = nonNil(s.Sublets[i].OccupantPersonIDs)
	}
	for i := range s.SinglePersonDiscounts {
		s.SinglePersonDiscounts[i].Records = nonNil(s.SinglePersonDiscounts[i].Records)
	}
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return fmt.Errorf("synth: write %s: %w", path, err)
	}
	return writeFile(path, string(data)+"\n")
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}

// Validate checks that the borough can be written as documented: every
// source known, every record named, versions RFC 3339 and strictly
// increasing per record, files in version order, the truth covering
// exactly the live records, deviations naming known kinds. The error names
// the source, the record and the problem.
func (b *Borough) Validate() error {
	var unknown []string
	for s := range b.Records {
		if !slices.Contains(resindex.Sources, s) {
			unknown = append(unknown, s)
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return fmt.Errorf("synth: borough: unknown source %q", unknown[0])
	}
	live := map[resindex.RecordKey]bool{}
	for _, s := range resindex.Sources {
		if err := validateTimeline(s, b.Records[s], live); err != nil {
			return err
		}
	}
	return b.validateTruth(live)
}

// validateTimeline checks one source's versions and adds its live records
// to live.
func validateTimeline(source string, recs []resindex.Record, live map[resindex.RecordKey]bool) error {
	last := map[string]string{}
	prev := ""
	for i := range recs {
		r := &recs[i]
		switch {
		case r.Source != source:
			return fmt.Errorf("synth: borough: %s line %d: record %s has source %q", source, i+1, r.ID, r.Source)
		case r.ID == "":
			return fmt.Errorf("synth: borough: %s line %d: record without id", source, i+1)
		case r.Version < prev:
			return fmt.Errorf("synth: borough: %s record %s: version %s is out of version order", source, r.ID, r.Version)
		case r.Version <= last[r.ID]:
			return fmt.Errorf("synth: borough: %s record %s: version %s is not after %s", source, r.ID, r.Version, last[r.ID])
		}
		if _, err := time.Parse(time.RFC3339, r.Version); err != nil {
			return fmt.Errorf("synth: borough: %s record %s: version %q is not RFC 3339", source, r.ID, r.Version)
		}
		prev, last[r.ID] = r.Version, r.Version
		live[r.Key()] = !r.Deleted
	}
	return nil
}

func (b *Borough) validateTruth(live map[resindex.RecordKey]bool) error {
	n := 0
	for _, v := range live {
		if v {
			n++
		}
	}
	seen := make(map[resindex.RecordKey]bool, len(b.Truth))
	for _, t := range b.Truth {
		k := resindex.RecordKey{Source: t.Source, ID: t.ID}
		switch {
		case !live[k]:
			return fmt.Errorf("synth: borough: truth row %s is not a live record", k)
		case seen[k]:
			return fmt.Errorf("synth: borough: truth row %s is repeated", k)
		case t.PersonID == "":
			return fmt.Errorf("synth: borough: truth row %s has no person", k)
		}
		seen[k] = true
	}
	if len(seen) != n {
		return fmt.Errorf("synth: borough: truth has %d rows for %d live records", len(seen), n)
	}
	for _, e := range b.Errors {
		k := resindex.RecordKey{Source: e.Source, ID: e.ID}
		if !live[k] {
			return fmt.Errorf("synth: borough: errors row %s is not a live record", k)
		}
		for _, kind := range e.Kinds {
			if !slices.Contains(ErrorKinds, kind) {
				return fmt.Errorf("synth: borough: errors row %s: unknown deviation %q", k, kind)
			}
		}
	}
	return nil
}
