package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/internal/atomicfile"
	"github.com/resindex/resindex/internal/cli"
	"github.com/resindex/resindex/web"
)

const sarUsage = "--data DIR --person ID [--person ID…] [--out DIR] [--reason TEXT] [--third-parties REASON] [--role ROLE] [--key-file FILE] [--config FILE]"

// runSAR writes a subject access report of one resident, who may be held
// as more than one index person, as sar.json and a printable sar.html,
// through the access service as the information-governance role, which
// records it in the audit log.
func runSAR(ctx context.Context, e *env, args []string) error {
	fs := cli.NewFlags(e.stderr, "sar", sarUsage)
	cf := addConfigFlags(fs, false)
	var persons cli.Multi
	fs.Var(&persons, "person", "the person's ID (P0000000001) or API reference (repeatable: the requester may be held as more than one person)")
	out := fs.String("out", ".", "directory to write sar.json and sar.html into")
	reason := fs.String("reason", "subject access request", "why the report is made (recorded in the audit log)")
	third := fs.String("third-parties", "", "show the other residents of the household by name, for this reason (their consent, say); default: withheld")
	roleName := fs.String("role", "information_governance", "the policy role the report is made in (it needs the rights ability)")
	m, err := cf.parseMain(fs, args)
	if err != nil {
		return err
	}
	defer m.Close()
	if len(persons) == 0 {
		fs.Usage()
		return fmt.Errorf("--person is required: %w", errUsage)
	}
	if err := os.MkdirAll(*out, 0o700); err != nil {
		return fmt.Errorf("--out %s: %w", *out, err)
	}
	if err := m.OpenAccess(); err != nil {
		return err
	}
	name, _ := m.operator()
	p := resindex.Principal{User: name, Role: *roleName, Via: "cli", Surface: "cli"}
	req := access.SARRequest{Refs: persons, Reason: *reason, ThirdParties: *third != "", ThirdPartyReason: *third}
	sar, err := m.Access.SubjectAccessFor(ctx, p, req)
	if err != nil {
		return fmt.Errorf("sar: %w", err)
	}
	if err := writeSAR(*out, sar); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "sar: %d records of %d index persons; wrote %s and %s\n", len(sar.Records), len(sar.Persons),
		filepath.Join(*out, "sar.json"), filepath.Join(*out, "sar.html"))
	return nil
}

// writeSAR writes the report's two files, each whole or not at all.
func writeSAR(dir string, sar *access.SAR) error {
	err := atomicfile.Write(filepath.Join(dir, "sar.json"), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(sar)
	})
	if err != nil {
		return fmt.Errorf("sar: write sar.json: %w", err)
	}
	if err := atomicfile.Write(filepath.Join(dir, "sar.html"), func(w io.Writer) error { return web.WriteSARReport(w, sar) }); err != nil {
		return fmt.Errorf("sar: write sar.html: %w", err)
	}
	return nil
}
