package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/internal/cli"
)

// runErase erases a person from the index (issue 16): their records and
// everything derived from them, earlier audit entries redacted, the
// erasure audited as the operator, the store compacted. It prints what
// was removed, in counts by source: never an erased value.
func runErase(ctx context.Context, e *env, args []string) error {
	fs := cli.NewFlags(e.stderr, "erase", "--data DIR --person ID --reason TEXT [--key-file FILE] [--config FILE]")
	cf := addConfigFlags(fs, true)
	person := fs.String("person", "", "the person: the index's ID (P0000000001) or the API's reference")
	reason := fs.String("reason", "", "why the person is erased (required; kept in the audit log; do not quote the person's details)")
	m, err := cf.parseMain(fs, args)
	if err != nil {
		return err
	}
	if *person == "" || strings.TrimSpace(*reason) == "" {
		fs.Usage()
		return fmt.Errorf("--person and --reason are required: %w", errUsage)
	}
	defer m.Close()
	if err := m.OpenAccess(); err != nil {
		return err
	}
	name, role := operator()
	out, err := m.Access.EraseByOperator(resindex.Principal{User: name, Role: role, Via: "cli", Surface: "cli"}, *person, *reason)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "erased %s; the store is compacted\n", *person)
	for _, src := range slices.Sorted(maps.Keys(out.Records)) {
		fmt.Fprintf(e.stdout, "  records %-24s %d\n", src, out.Records[src])
	}
	fmt.Fprintf(e.stdout, "  change-feed entries %d, overrides %d, review pairs %d, redirects %d, notices %d\n",
		out.ChangeFeed, out.Overrides, out.ReviewPairs, out.Redirects, out.Notices)
	fmt.Fprintf(e.stdout, "  alerts scrubbed %d, episodes %d, fraud reviews scrubbed %d\n", out.Alerts, out.Episodes, out.FraudReviews)
	fmt.Fprintf(e.stdout, "  audit entries redacted %d", out.AuditRedacted)
	if out.AuditUnsealed > 0 {
		fmt.Fprintf(e.stdout, " (%d older entries name the person and could not be redacted)", out.AuditUnsealed)
	}
	fmt.Fprintln(e.stdout)
	return nil
}
