package file

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/resindex/resindex"
)

// Extract is one source system's extract file to ingest.
type Extract struct {
	Source, Path string
	// Full: the extract lists every live record of the source, so the
	// source's records it lacks are deleted.
	Full bool
	// AsOf is the extract's time: the version of rows whose mapping
	// gives none, and of Full's deletes (default: the file's
	// modification time).
	AsOf string
	// MaxDeleteShare: Full refuses to delete more of the source's
	// records than this share (a wrong or cut-short file).
	MaxDeleteShare float64
}

// Extracted counts what an extract did.
type Extracted struct {
	Rows, Applied, Rejected, Deleted int
}

// Held lists the ids of a source's live records in the store, for the
// full-extract deletion guard.
type Held func(source string) ([]string, error)

// Ingest applies a source system's extract (CSV, NDJSON or a JSON
// document), read by r through the source's mapping, a row at a time with its line as
// position, so a rerun of the same file resumes where it stopped. A
// rejected row is reported on log (by file and line, never its values)
// and skipped. With Full, the source's records the extract lacks are
// deleted (see DeleteMissing).
func Ingest(ctx context.Context, r *Reader, x Extract, a Applier, held Held, log io.Writer, prog Progress) (Extracted, error) {
	prog = orSilent(prog)
	var run Extracted
	stream, err := InputsHash([]string{x.Path}, fmt.Sprintf("source=%s full=%t", x.Source, x.Full))
	if err != nil {
		return run, err
	}
	if x.AsOf == "" {
		x.AsOf = fileVersion(x.Path)
	}
	seen := map[string]bool{}
	if err := run.apply(ctx, a, r, "file:"+x.Source+":"+stream, x.AsOf, seen, log, prog); err != nil {
		return run, err
	}
	if x.Full {
		err = run.deleteMissing(ctx, a, held, x, seen, prog)
	}
	return run, err
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

func (run *Extracted) apply(ctx context.Context, a Applier, r *Reader, stream, version string, seen map[string]bool, log io.Writer, prog Progress) error {
	for {
		if ctx.Err() != nil {
			prog.Logf("stopped at row %d; run the same command again to resume", run.Rows)
			return fmt.Errorf("interrupted: %w", ctx.Err())
		}
		rec, pos, err := r.Next()
		var rowErr *RowError
		switch {
		case errors.Is(err, io.EOF):
			return nil
		case errors.As(err, &rowErr):
			run.Rejected++
			fmt.Fprintln(log, err)
			continue
		case err != nil:
			return err
		}
		run.Rows++
		seen[rec.ID] = true
		if rec.Version == "" {
			rec.Version = version
		}
		ok, err := a.Apply(rec, resindex.Position{Stream: stream, Offset: int64(pos)})
		if err != nil {
			return err
		}
		if ok {
			run.Applied++
		}
		prog.Update("rows applied", run.Rows, 0)
	}
}

// deleteMissing is the full-extract deletion guard: it deletes the
// source's records the extract lacks, as of the extract's time (a record
// changed after it, by Kafka say, stands). It refuses when a row was
// rejected (its record would look deleted), when the extract had no
// rows, or when it would delete more of the source than MaxDeleteShare
// (the wrong file, a truncated one).
func (run *Extracted) deleteMissing(ctx context.Context, a Applier, held Held, x Extract, seen map[string]bool, prog Progress) error {
	switch {
	case run.Rejected > 0:
		prog.Logf("not deleting records missing from the extract: %d rows were rejected, and their records would look deleted", run.Rejected)
		return nil
	case run.Rows == 0:
		return fmt.Errorf("--full: %s has no rows; not deleting every %s record", x.Path, x.Source)
	}
	ids, err := held(x.Source)
	if err != nil {
		return err
	}
	missing := Missing(ids, seen)
	if share := float64(len(missing)) / float64(max(len(ids), 1)); share > x.MaxDeleteShare {
		return fmt.Errorf("--full: %s lacks %d of the %d %s records (%.0f%%), more than --max-delete-share %.2f allows: is it the right file, and whole? Rerun with a higher share to delete them",
			x.Path, len(missing), len(ids), x.Source, 100*share, x.MaxDeleteShare)
	}
	// Deletes are idempotent, so they need no resumable positions: a
	// stream of their own for each run, so a rerun does them all again.
	stream := fmt.Sprintf("file-deletes:%s:%d", x.Source, time.Now().UnixNano())
	for i, id := range missing {
		if ctx.Err() != nil {
			return fmt.Errorf("interrupted: %w", ctx.Err())
		}
		ok, err := a.Apply(resindex.Record{Source: x.Source, ID: id, Version: x.AsOf, Deleted: true},
			resindex.Position{Stream: stream, Offset: int64(i) + 1})
		if err != nil {
			return err
		}
		if ok {
			run.Deleted++
		}
	}
	return nil
}
