package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/internal/atomicfile"
	"github.com/resindex/resindex/internal/cli"
)

// Rectification told once (issue 16): rectify records a correction for a
// person through access, which keeps a notice of it for every other
// source holding them; notices writes one source's notices as CSV, for a
// source system that does not read the notices topic.

// rightsRole is the role the command line acts in unless --role says
// otherwise: the shipped policy's role with the rights ability.
const rightsRole = "information_governance"

// rectifyFlags are rectify's flags beyond the store's.
type rectifyFlags struct {
	person, field, given, family, dob, postcode, uprn, via, reason, role string
	lines                                                                cli.Multi
}

func addRectifyFlags(fs *flag.FlagSet) *rectifyFlags {
	f := &rectifyFlags{}
	fs.StringVar(&f.person, "person", "", "the person: their ID (P0000000001) or API reference")
	fs.StringVar(&f.field, "field", "", "what to correct: name, dob or address")
	fs.StringVar(&f.given, "given", "", "with --field name: the corrected given name(s)")
	fs.StringVar(&f.family, "family", "", "with --field name: the corrected family name")
	fs.StringVar(&f.dob, "dob", "", "with --field dob: the corrected date of birth, YYYY-MM-DD")
	fs.Var(&f.lines, "line", "with --field address: an address line (repeat for each, first line first)")
	fs.StringVar(&f.postcode, "postcode", "", "with --field address: the postcode")
	fs.StringVar(&f.uprn, "uprn", "", "with --field address: the property's UPRN, if known")
	fs.StringVar(&f.via, "reported-via", "", "the source system the resident told (it is not sent a notice)")
	fs.StringVar(&f.reason, "reason", "", "why the correction is recorded (kept with the notice, not in the audit log)")
	fs.StringVar(&f.role, "role", rightsRole, "the policy role to act in (it needs the rights ability)")
	return f
}

// correction is the correction the flags give; access checks it.
func (f *rectifyFlags) correction() resindex.Correction {
	c := resindex.Correction{Field: f.field, DOB: f.dob, ReportedVia: f.via, Reason: f.reason}
	if f.given != "" || f.family != "" {
		c.Name = &resindex.CorrectedName{Given: f.given, Family: f.family}
	}
	if len(f.lines) > 0 || f.postcode != "" || f.uprn != "" {
		c.Address = &resindex.CorrectedAddress{Lines: f.lines, Postcode: f.postcode, UPRN: f.uprn}
	}
	return c
}

// runRectify records a correction and prints its notice as JSON.
func runRectify(ctx context.Context, e *env, args []string) error {
	fs := cli.NewFlags(e.stderr, "rectify", "--data DIR --person ID --field name|dob|address [--given G --family F | --dob YYYY-MM-DD | --line L ... --postcode P [--uprn U]] [--reported-via SOURCE] --reason TEXT")
	cf := addConfigFlags(fs, false)
	rf := addRectifyFlags(fs)
	m, err := cf.parseMain(fs, args)
	if err != nil {
		return err
	}
	defer m.Close()
	if rf.person == "" || rf.field == "" || strings.TrimSpace(rf.reason) == "" {
		fs.Usage()
		return fmt.Errorf("--person, --field and --reason are required: %w", errUsage)
	}
	if err := checkSourceFlag(m, "reported-via", rf.via); err != nil {
		return err
	}
	if err := m.OpenEngine(engineSetup{}); err != nil {
		return err
	}
	if err := m.OpenAccess(); err != nil {
		return err
	}
	n, err := m.Access.Rectify(cliPrincipal(m, rf.role), cliRef(m, rf.person), rf.correction())
	if err != nil {
		return fmt.Errorf("rectify: %w", err)
	}
	fmt.Fprintf(e.stderr, "notice %d: %s for %d sources\n", n.Seq, n.Correction.Field, len(n.Targets))
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(n)
}

// cliPrincipal is the operator at the command line, in a role.
func cliPrincipal(m *Main, role string) resindex.Principal {
	name, _ := m.operator()
	return resindex.Principal{User: name, Role: role, Via: "cli", Surface: "cli"}
}

// cliRef takes a person as the command line names them: an index ID
// (as exports and the change feed give) is turned into its reference;
// anything else is taken as a reference.
func cliRef(m *Main, person string) string {
	if len(person) == 11 && person[0] == 'P' {
		if _, err := strconv.ParseUint(person[1:], 10, 64); err == nil {
			return m.Access.Ref(person)
		}
	}
	return person
}

// runNotices writes the notices for one source as CSV.
func runNotices(ctx context.Context, e *env, args []string) error {
	fs := cli.NewFlags(e.stderr, "notices", "--data DIR --source NAME [--after N] [--out FILE]")
	cf := addConfigFlags(fs, false)
	source := fs.String("source", "", "the source system whose notices to write (e.g. council_tax)")
	after := fs.Uint64("after", 0, "only notices numbered after this (the last one the source imported)")
	out := fs.String("out", "", "write the CSV to this file (default: standard output)")
	role := fs.String("role", rightsRole, "the policy role to act in (it needs the rights ability)")
	m, err := cf.parseMain(fs, args)
	if err != nil {
		return err
	}
	defer m.Close()
	if *source == "" {
		fs.Usage()
		return fmt.Errorf("--source is required: %w", errUsage)
	}
	if err := checkSourceFlag(m, "source", *source); err != nil {
		return err
	}
	if err := m.OpenEngine(engineSetup{}); err != nil {
		return err
	}
	if err := m.OpenAccess(); err != nil {
		return err
	}
	msgs, err := m.Access.SourceNotices(cliPrincipal(m, *role), *source, *after)
	if err != nil {
		return fmt.Errorf("notices: %w", err)
	}
	fmt.Fprintf(e.stderr, "%d notices for %s after %d\n", len(msgs), *source, *after)
	if *out == "" {
		return writeNoticesCSV(e.stdout, msgs)
	}
	return atomicfile.Write(*out, func(w io.Writer) error { return writeNoticesCSV(w, msgs) })
}

// noticeColumns are the notices CSV's columns (docs/rights-notices.md):
// a correction's values fill the columns of its field; the others are
// empty.
var noticeColumns = []string{"notice", "issued_at", "source", "record_ids", "person", "field", "given", "family", "dob",
	"address_line_1", "address_line_2", "address_line_3", "address_line_4", "address_line_5", "address_line_6",
	"postcode", "uprn", "reported_via"}

// writeNoticesCSV writes notices, one row each; record IDs are joined by
// semicolons.
func writeNoticesCSV(w io.Writer, msgs []resindex.NoticeMessage) error {
	cw := csv.NewWriter(w)
	cw.Write(noticeColumns)
	for i := range msgs {
		cw.Write(spreadsheetSafe(noticeRow(&msgs[i])))
	}
	cw.Flush()
	return cw.Error()
}

// spreadsheetSafe prefixes with a single quote every cell a spreadsheet
// would take for a formula (access.FormulaLead): corrected values never
// start so (access refuses them), so this guards the rest, record IDs
// above all, which come from the sources as they are.
func spreadsheetSafe(row []string) []string {
	for i, c := range row {
		if access.FormulaLead(c) {
			row[i] = "'" + c
		}
	}
	return row
}

func noticeRow(m *resindex.NoticeMessage) []string {
	row := []string{strconv.FormatUint(m.Seq, 10), m.IssuedAt.UTC().Format(time.RFC3339), m.Source, strings.Join(m.Records, ";"), m.Person, m.Field}
	var given, family string
	if m.Name != nil {
		given, family = m.Name.Given, m.Name.Family
	}
	row = append(row, given, family, m.DOB)
	lines, postcode, uprn := make([]string, 6), "", ""
	if a := m.Address; a != nil {
		copy(lines, a.Lines)
		postcode, uprn = a.Postcode, a.UPRN
	}
	return append(append(row, lines...), postcode, uprn, m.ReportedVia)
}
