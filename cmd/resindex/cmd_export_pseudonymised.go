package main

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/internal/atomicfile"
	"github.com/resindex/resindex/internal/cli"
	"github.com/resindex/resindex/resolver"
)

// runExportPseudonymised writes the pseudonymised export for analysis
// (docs/rights-export.md): one row per person, keyed pseudonyms, no
// direct identifiers; restricted, objecting and shielded persons and
// children without recorded consent left out.
func runExportPseudonymised(e *env, args []string) error {
	fs := cli.NewFlags(e.stderr, "export pseudonymised", "--data DIR --out FILE --config FILE [--as-of DATE] [--key-file FILE]")
	cf := addConfigFlags(fs, false)
	out := fs.String("out", "", "CSV file to write (docs/rights-export.md)")
	asOfFlag := fs.String("as-of", "", "the day ages are reckoned on (default today)")
	m, err := cf.parseMain(fs, args)
	if err != nil {
		return err
	}
	defer m.Close()
	asOf, err := cli.Time("--as-of", *asOfFlag)
	if err != nil {
		return err
	}
	if asOf.IsZero() {
		asOf = time.Now().UTC()
	}
	if *out == "" {
		return fmt.Errorf("--out is required: %w", errUsage)
	}
	if m.Config.Rights.PseudonymKeyFile == "" {
		return fmt.Errorf("the pseudonymised export needs rights.pseudonym_key_file in the configuration (--config FILE): %w", errUsage)
	}
	key, err := access.ReadPseudonymKey(m.Config.Rights.PseudonymKeyFile)
	if err != nil {
		return fmt.Errorf("%w: %w", err, errUsage)
	}
	ps, err := access.NewPseudonymiser(key)
	if err != nil {
		return err
	}
	if err := m.OpenStore(); err != nil {
		return err
	}
	return writePseudonymised(e, m, ps, asOf, *out)
}

// writePseudonymised writes the file whole, then says on stderr how many
// rows it holds and how many persons were left out, and audits it.
func writePseudonymised(e *env, m *Main, ps access.Pseudonymiser, asOf time.Time, out string) error {
	rs, err := access.LoadRightsSets(m.DB)
	if err != nil {
		return err
	}
	scan := func(fn func(string, *resindex.Record, resindex.Property) error) error {
		return resolver.LiveRecords(m.DB, fn)
	}
	var n access.PseudonymisedCounts
	err = atomicfile.Write(out, func(w io.Writer) error {
		var err error
		n, err = access.WritePseudonymised(w, scan, rs, ps, access.PseudonymisedOptions{AsOf: asOf, Trust: m.Config.Engine.Trust, Window: m.Config.ActivityWindow()})
		return err
	})
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	query := []string{"pseudonymised", "as_of=" + asOf.Format(time.DateOnly), "rows=" + strconv.Itoa(n.Rows),
		"left_out_restricted=" + strconv.Itoa(n.Restricted), "left_out_objecting=" + strconv.Itoa(n.Objecting),
		"left_out_shielded=" + strconv.Itoa(n.Shielded), "left_out_children=" + strconv.Itoa(n.Children)}
	if aerr := auditCommand(m, "export", query, nil, "", outcome); aerr != nil && err == nil {
		err = aerr
	}
	if err == nil {
		fmt.Fprintf(e.stderr, "export pseudonymised: %d rows; left out %d restricted and %d objecting persons, %d shielded persons and %d children\n",
			n.Rows, n.Restricted, n.Objecting, n.Shielded, n.Children)
	}
	return err
}
