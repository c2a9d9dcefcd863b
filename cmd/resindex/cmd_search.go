package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/internal/cli"
)

// runSearch finds persons in the store and records the search in the
// audit log. Until the views of the access package exist it prints
// person IDs, record keys and weights only, never resident data.
func runSearch(ctx context.Context, e *env, args []string) error {
	fs := cli.NewFlags(e.stderr, "search", "--data DIR [--config FILE] [--given G] [--family F] [--dob D] [--postcode P] [--address LINE] [--id KIND=VALUE] [--limit N]")
	cf := addConfigFlags(fs, true)
	var q resindex.Query
	fs.StringVar(&q.Given, "given", "", "given name(s)")
	fs.StringVar(&q.Family, "family", "", "family name")
	fs.StringVar(&q.DOB, "dob", "", "date of birth, YYYY-MM-DD (or YYYY-MM, YYYY)")
	fs.StringVar(&q.Postcode, "postcode", "", "postcode")
	var lines, ids cli.Multi
	fs.Var(&lines, "address", "address line (repeatable)")
	fs.Var(&ids, "id", "identifier as KIND=VALUE, e.g. nino=AB123456C (repeatable)")
	limit := fs.Int("limit", 10, "most persons to list")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	m, err := cf.main()
	if err != nil {
		return err
	}
	q.AddressLines = lines
	for _, id := range ids {
		kind, val, ok := strings.Cut(id, "=")
		if !ok || kind == "" || val == "" {
			return fmt.Errorf("--id %q: want KIND=VALUE: %w", kind, errUsage)
		}
		if q.Identifiers == nil {
			q.Identifiers = map[string]string{}
		}
		q.Identifiers[kind] = val
	}
	if m.Config.Data == "" || (q.Given == "" && q.Family == "" && q.DOB == "" && q.Postcode == "" && len(lines) == 0 && len(ids) == 0) {
		fs.Usage()
		return fmt.Errorf("--data and at least one search field are required: %w", errUsage)
	}
	defer m.Close()
	if err := m.OpenEngine(engineSetup{}); err != nil {
		return err
	}
	hits, err := m.Engine.Search(q, *limit)
	persons := make([]string, len(hits))
	for i, h := range hits {
		persons[i] = h.PersonID
	}
	if aerr := auditCommand(m, "search", args, persons, "", access.Outcome(err)); aerr != nil {
		return aerr // no look without its record
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%-12s %8s  %s\n", "person", "weight", "best record")
	for _, h := range hits {
		fmt.Fprintf(e.stdout, "%-12s %+8.2f  %s\n", h.PersonID, h.Weight, h.Record)
	}
	return nil
}
