package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/connectors/file"
	"github.com/resindex/resindex/resolver"
)

// extractOptions are ingest's flags for one source's extract.
type extractOptions struct {
	source, path, mappings string
	full, quiet            bool
	asOf                   string  // the extract's time: versions of rows without one, and of deletes
	maxDeleteShare         float64 // --full refuses to delete more of the source's records than this
}

// extractRun counts what an extract did.
type extractRun struct {
	rows, applied, rejected, deleted int
}

// ingestExtract applies a source system's extract (CSV, NDJSON or a JSON
// document) through the source's mapping, a row at a time with its line
// as position, so a rerun of the same file resumes where it stopped.
// With full, the source's records the extract lacks are deleted, unless
// a row could not be read: a rejected row's record would look deleted.
func ingestExtract(e *env, ef engineFlags, o extractOptions) error {
	if o.source == "" || o.path == "" || *ef.data == "" {
		return fmt.Errorf("--source, --file and --data go together: %w", errUsage)
	}
	r, err := openExtract(ef, o)
	if err != nil {
		return err
	}
	defer r.Close()
	stream, err := inputsHash([]string{o.path}, fmt.Sprintf("source=%s full=%t", o.source, o.full))
	if err != nil {
		return err
	}
	stream = "file:" + o.source + ":" + stream
	db, eng, err := ef.openWithModel()
	if err != nil {
		return err
	}
	defer db.Close()
	prog := newProgress(e.stderr, o.quiet)
	asOf := o.asOf
	if asOf == "" {
		asOf = fileVersion(o.path)
	}
	run := &extractRun{}
	seen := map[string]bool{}
	if err := run.apply(e, eng, r, stream, asOf, seen, prog); err != nil {
		return err
	}
	if o.full {
		if err := run.deleteMissing(e, db, eng, o, asOf, seen, prog); err != nil {
			return err
		}
	}
	prog.logf("%s: %d rows, %d changed the index, %d rejected, %d records deleted as missing from the full extract",
		o.path, run.rows, run.applied, run.rejected, run.deleted)
	if run.rejected > 0 {
		return fmt.Errorf("%d rows of %s were rejected (listed above); the others are applied", run.rejected, o.path)
	}
	return nil
}

func openExtract(ef engineFlags, o extractOptions) (*file.Reader, error) {
	dir := o.mappings
	if dir == "" {
		dir = ef.cfg.Mappings
	}
	set, err := loadMappings(dir)
	if err != nil {
		return nil, err
	}
	m, err := set.Get(o.source)
	if err != nil {
		return nil, err
	}
	return file.Open(o.path, m)
}

// fileVersion is the version of rows whose mapping gives none: the
// extract's time.
func fileVersion(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return ""
	}
	return fi.ModTime().UTC().Format(time.RFC3339)
}

// apply applies the extract's rows; a rejected row is reported (by file
// and line, never its values) and skipped.
func (run *extractRun) apply(e *env, eng *resolver.Engine, r *file.Reader, stream, version string, seen map[string]bool, prog *progress) error {
	ctx := e.context()
	for {
		if ctx.Err() != nil {
			prog.logf("stopped at row %d; run the same command again to resume", run.rows)
			return fmt.Errorf("interrupted: %w", ctx.Err())
		}
		rec, pos, err := r.Next()
		var rowErr *file.RowError
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case errors.As(err, &rowErr):
			run.rejected++
			fmt.Fprintln(e.stderr, err)
			continue
		case err != nil:
			return err
		}
		run.rows++
		seen[rec.ID] = true
		if rec.Version == "" {
			rec.Version = version
		}
		ok, err := eng.Apply(rec, resindex.Position{Stream: stream, Offset: int64(pos)})
		if err != nil {
			return err
		}
		if ok {
			run.applied++
		}
		prog.update("rows applied", run.rows, 0)
	}
}

// deleteMissing deletes the source's records the full extract lacks, as
// of the extract's time: a record changed after it (by Kafka, say) stands.
// It refuses when a row was rejected (its record would look deleted),
// when the extract had no rows, or when it would delete more of the
// source than maxDeleteShare (the wrong file, a truncated one).
func (run *extractRun) deleteMissing(e *env, db resolver.Store, eng *resolver.Engine, o extractOptions, asOf string, seen map[string]bool, prog *progress) error {
	switch {
	case run.rejected > 0:
		prog.logf("not deleting records missing from the extract: %d rows were rejected, and their records would look deleted", run.rejected)
		return nil
	case run.rows == 0:
		return fmt.Errorf("--full: %s has no rows; not deleting every %s record", o.path, o.source)
	}
	held, err := heldIDs(db, o.source)
	if err != nil {
		return err
	}
	missing := file.Missing(held, seen)
	if share := float64(len(missing)) / float64(max(len(held), 1)); share > o.maxDeleteShare {
		return fmt.Errorf("--full: %s lacks %d of the %d %s records (%.0f%%), more than --max-delete-share %.2f allows: is it the right file, and whole? Rerun with a higher share to delete them",
			o.path, len(missing), len(held), o.source, 100*share, o.maxDeleteShare)
	}
	// Deletes are idempotent, so they need no resumable positions: a
	// stream of their own for each run, so a rerun does them all again.
	stream := fmt.Sprintf("file-deletes:%s:%d", o.source, time.Now().UnixNano())
	for i, id := range missing {
		if e.context().Err() != nil {
			return fmt.Errorf("interrupted: %w", e.context().Err())
		}
		ok, err := eng.Apply(resindex.Record{Source: o.source, ID: id, Version: asOf, Deleted: true},
			resindex.Position{Stream: stream, Offset: int64(i) + 1})
		if err != nil {
			return err
		}
		if ok {
			run.deleted++
		}
	}
	return nil
}

// heldIDs lists the ids of a source's live records in the store.
func heldIDs(db resolver.Store, source string) ([]string, error) {
	var held []string
	err := resolver.Export(db, func(a resindex.Assignment) error {
		if a.Key.Source == source {
			held = append(held, a.Key.ID)
		}
		return nil
	})
	return held, err
}
