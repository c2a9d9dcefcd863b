package main

import (
	"cmp"
	"context"
	"fmt"

	"github.com/resindex/resindex/connectors/file"
	"github.com/resindex/resindex/connectors/mapping"
	"github.com/resindex/resindex/internal/progress"
	"github.com/resindex/resindex/resolver"
)

// extractConfig is ingest's configuration for one source's extract.
type extractConfig struct {
	file.Extract
	mappings string // the council's own mappings (default: the configuration's)
	quiet    bool
}

// ingestExtract applies a source system's extract through the source's
// mapping (see file.Ingest).
func ingestExtract(ctx context.Context, e *env, m *Main, x extractConfig) error {
	if x.Source == "" || x.Path == "" || m.Config.Data == "" {
		return fmt.Errorf("--source, --file and --data go together: %w", errUsage)
	}
	set, err := mapping.ShippedWith(cmp.Or(x.mappings, m.Config.Mappings))
	if err != nil {
		return err
	}
	mp, err := set.Get(x.Source)
	if err != nil {
		return err
	}
	// Opened before the store, so a missing file creates no store.
	r, err := file.Open(x.Path, mp)
	if err != nil {
		return err
	}
	defer r.Close()
	if err := m.OpenEngine(engineSetup{}); err != nil {
		return err
	}
	prog := progress.New(e.stderr, x.quiet)
	run, err := file.Ingest(ctx, r, x.Extract, m.Engine, func(source string) ([]string, error) { return resolver.SourceIDs(m.DB, source) }, e.stderr, prog)
	if err != nil {
		return err
	}
	prog.Logf("%s: %d rows, %d changed the index, %d rejected, %d records deleted as missing from the full extract",
		x.Path, run.Rows, run.Applied, run.Rejected, run.Deleted)
	if run.Rejected > 0 {
		return fmt.Errorf("%d rows of %s were rejected (listed above); the others are applied", run.Rejected, x.Path)
	}
	return nil
}
