package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/resindex/resindex/alerts"
	"github.com/resindex/resindex/internal/cli"
)

// csvOrJSON refuses a --format the list commands do not write.
func csvOrJSON(format string) error {
	if format != "csv" && format != "json" {
		return fmt.Errorf("--format %q: want csv or json: %w", format, errUsage)
	}
	return nil
}

// runAlerts lists the safeguarding inbox for operators, as CSV (the plain
// format case-management systems read) or JSON.
func runAlerts(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "list" {
		return fmt.Errorf("resindex alerts list --data DIR [--format csv|json] [--status S] [--kind K]: %w", errUsage)
	}
	fs := cli.NewFlags(e.stderr, "alerts list", "--data DIR [--key-file FILE] [--config FILE] [--format csv|json] [--status new|acknowledged|closed] [--kind K]")
	cf := addConfigFlags(fs, false)
	format := fs.String("format", "csv", "csv or json")
	var f alerts.Filter
	fs.StringVar(&f.Status, "status", "", "only alerts in this status: new, acknowledged or closed")
	fs.StringVar(&f.Kind, "kind", "", "only alerts of this kind: new_adult_with_child or child_looked_up")
	m, err := cf.parseMain(fs, args[1:])
	if err != nil {
		return err
	}
	defer m.Close()
	if err := csvOrJSON(*format); err != nil {
		return err
	}
	if err := m.OpenStore(); err != nil {
		return err
	}
	list, _, err := alerts.List(m.DB, f)
	if err != nil {
		return err
	}
	var persons []string
	for _, a := range list {
		if a.Adult != nil {
			persons = append(persons, a.Adult.Person)
		}
		for _, c := range a.Children {
			persons = append(persons, c.Person)
		}
	}
	if err := auditCommand(m, "alerts", append(args[:1:1], "status="+f.Status, "kind="+f.Kind, "results="+strconv.Itoa(len(list))), persons, "", "ok"); err != nil {
		return err
	}
	if *format == "json" {
		return alerts.WriteJSON(e.stdout, list)
	}
	return alerts.WriteCSV(e.stdout, list)
}
