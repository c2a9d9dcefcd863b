package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/alerts"
	"github.com/resindex/resindex/internal/atomicfile"
	"github.com/resindex/resindex/internal/cli"
	"github.com/resindex/resindex/internal/config"
	"github.com/resindex/resindex/internal/progress"
	"github.com/resindex/resindex/internal/report"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/synth"
	"github.com/resindex/resindex/web"
)

func runDemo(ctx context.Context, e *env, args []string) error {
	fs := cli.NewFlags(e.stderr, "demo", "[--persons N] [--seed S] [--dir DIR] [--addr HOST:PORT] [--metrics-addr HOST:PORT] [--no-serve]")
	cfg := boroughFlags(fs, 5000)
	dir := fs.String("dir", "", "where to write the borough and results (default: a new temporary directory)")
	addr := fs.String("addr", "127.0.0.1:8080", "where to serve the staff UI and the JSON API once the borough is loaded")
	noServe := fs.Bool("no-serve", false, "stop after the accuracy report: load no store, serve nothing")
	metricsAddr := fs.String("metrics-addr", "", "also serve Prometheus metrics at http://ADDR/metrics, with /healthz and /readyz (e.g. 127.0.0.1:9464; default off)")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if !*noServe {
		if err := portFree(*addr); err != nil {
			return err
		}
		if *metricsAddr != "" {
			if err := portFree(*metricsAddr); err != nil {
				return err
			}
		}
	}
	if *dir == "" {
		d, err := os.MkdirTemp("", "resindex-demo-")
		if err != nil {
			return err
		}
		*dir = d
	}
	prog := progress.New(e.stderr, false)
	fmt.Fprintf(e.stdout, "resindex demo: a synthetic borough of %d people in %s\n", cfg.Persons, *dir)
	if err := generate(*cfg, *dir, prog); err != nil {
		return err
	}
	res, err := linkFiles(e, []string{filepath.Join(*dir, "canonical")}, "", filepath.Join(*dir, "truth", "records.csv"), 0, prog)
	if err != nil {
		return err
	}
	clusters := filepath.Join(*dir, "clusters.csv")
	if err := atomicfile.Write(clusters, func(w io.Writer) error { return report.Clusters(w, res) }); err != nil {
		return err
	}
	report.LinkStats(e.stdout, res.Stats)
	fmt.Fprintf(e.stdout, "\nclusters written to %s\n\naccuracy against the ground truth:\n", clusters)
	if err := evaluateClusters(e, evalConfig{truth: filepath.Join(*dir, "truth", "records.csv"), clusters: clusters, worst: 5}); err != nil || *noServe {
		return err
	}
	return demoServe(ctx, e, *dir, *addr, *metricsAddr, lastYear(*cfg))
}

// lastYear is where the demo's load turns from bulk to change by change:
// a year before the borough's timeline ends, so that the last year's
// moves raise their safeguarding alerts as they would have in service
// (a bulk first load raises none: it is no news).
func lastYear(c synth.Config) string {
	d := synth.DefaultConfig()
	start, years := cmp.Or(c.Start, d.Start), cmp.Or(c.Years, d.Years)
	return start.AddDate(years-1, 0, 0).Format(time.DateOnly)
}

// demoServe loads the borough into a store, makes a token for each role
// of the default policy and serves the JSON API, with the demo sign-in
// page, until interrupted.
func demoServe(ctx context.Context, e *env, dir, addr, metricsAddr, split string) error {
	data := filepath.Join(dir, "store")
	fmt.Fprintf(e.stdout, "\nloading the borough into the store %s: up to %s at once, then the last year change by change\n", data, split)
	canonical := []string{filepath.Join(dir, "canonical")}
	if err := demoBulk(ctx, e, data, canonical, split); err != nil {
		return err
	}
	m := &Main{Config: config.Config{Data: data, MetricsAddr: metricsAddr}, Create: true, ops: newOps()}
	defer m.Close()
	if err := ingestCanonical(ctx, e, m, ingestConfig{canonical: canonical, since: split, quiet: true}); err != nil {
		return err
	}
	_, n, err := alerts.List(m.DB, alerts.Filter{})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "the last year raised %d safeguarding alerts (sign in as safeguarding, then Alerts)\n", n.New+n.Acknowledged+n.Closed)
	if err := m.OpenAccess(); err != nil {
		return err
	}
	m.Fraud.Refresh() // the findings are ready by the time someone signs in as fraud
	fmt.Fprintf(e.stdout, "the fraud checks are running over the store (sign in as fraud, then Fraud findings)\n")
	fmt.Fprintf(e.stdout, "\ndemo API tokens, one for each role (they work only against this store):\n")
	for _, role := range m.Access.Policy().Roles() {
		tok, err := web.CreateToken(m.DB, web.TokenInfo{Name: "demo-" + role, Role: role, Created: time.Now().UTC(), Expires: time.Now().Add(24 * time.Hour).UTC()})
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "  %-20s %s\n", role, tok)
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	at, stop, err := m.startAPI(ctx, addr, m.Config.API, true, log)
	if err != nil {
		return err
	}
	defer stop()
	stopOps, err := m.ops.start(ctx, m, nil, log, progress.New(e.stdout, false))
	if err != nil {
		return err
	}
	defer stopOps()
	if stopAdmin, err := startAdmin(ctx, m, log); err != nil {
		log.Warn("demo: no admin socket: store commands need the demo stopped", "err", err)
	} else {
		defer stopAdmin()
	}
	fmt.Fprintf(e.stdout, "\nJSON API at http://%s/api/v1/ (OpenAPI: http://%s/api/v1/openapi.yaml)\n", at, at)
	fmt.Fprintf(e.stdout, "try:  curl -H 'Authorization: Bearer <token>' 'http://%s/api/v1/persons?family=Smith'\n", at)
	demoGuide(e.stdout, m, at)
	<-ctx.Done()
	return nil
}

// demoBulk loads the borough up to split in bulk, in a store of its own
// opening.
func demoBulk(ctx context.Context, e *env, data string, canonical []string, split string) error {
	m := &Main{Config: config.Config{Data: data}, Create: true}
	defer m.Close()
	return ingestCanonical(ctx, e, m, ingestConfig{canonical: canonical, before: split, bulk: true, quiet: true})
}

// portFree checks, before the minute of generating and loading, that the
// demo will be able to serve at addr.
func portFree(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("demo: cannot serve at %s (%w): choose another address with --addr HOST:PORT, e.g. --addr 127.0.0.1:8081", addr, err)
	}
	return ln.Close()
}

// demoGuide prints where the staff UI is, the roles to sign in as and
// what to try first.
func demoGuide(w io.Writer, m *Main, at string) {
	fmt.Fprintf(w, "\nstaff UI: http://%s/  (sign in by picking a role)\n\nroles:\n", at)
	pol := m.Access.Policy()
	for _, name := range pol.Roles() {
		role, _ := pol.Role(name)
		fmt.Fprintf(w, "  %-20s %s\n", name, role.Description)
	}
	if ex, ok := demoExample(m); ok {
		fmt.Fprintf(w, "\ntry first: sign in as safeguarding and search for %s, born %s; open the household:\n", ex.name, ukDate(ex.dob))
		fmt.Fprintf(w, "  it has %d %s known to children's services. Sign out, sign in as frontline and search again:\n", ex.children, plural(ex.children, "child", "children"))
		fmt.Fprintf(w, "  frontline sees no children, so the same household shows only the adults.\n")
	}
	fmt.Fprintf(w, "stop with Ctrl-C\n")
}

// ukDate writes an ISO date as staff type it (DD/MM/YYYY).
func ukDate(iso string) string {
	if t, err := time.Parse("2006-01-02", iso); err == nil {
		return t.Format("02/01/2006")
	}
	return iso
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// example is an adult living with children known to children's services.
type example struct {
	name, dob string
	children  int
}

// demoExample finds a household for the guide: an adult, named and dated
// in a council-tax record, who lives with children known to children's
// services.
func demoExample(m *Main) (example, bool) {
	var ex example
	errFound := errors.New("found")
	err := resolver.Export(m.DB, func(a resindex.Assignment) error {
		p, err := m.Engine.Person(a.PersonID)
		if err != nil || p.Household == "" || a.Key.Source != resindex.SourceCouncilTax {
			return nil
		}
		r, ok := recordOf(p, a.Key)
		if !ok || r.DOB == "" || r.Name.Family == "" || knownToChildrens(p) || access.IsShielded(&p) {
			return nil
		}
		members, err := m.Engine.Household(p.Household)
		if err != nil {
			return nil
		}
		n := 0
		for _, id := range members {
			if c, err := m.Engine.Person(id); err == nil && knownToChildrens(c) {
				n++
			}
		}
		if n == 0 {
			return nil
		}
		ex = example{name: strings.TrimSpace(r.Name.Given + " " + r.Name.Family), dob: r.DOB, children: n}
		return errFound
	})
	return ex, errors.Is(err, errFound)
}

func recordOf(p resindex.Person, k resindex.RecordKey) (resindex.Record, bool) {
	for _, r := range p.Records {
		if r.Key() == k {
			return r, true
		}
	}
	return resindex.Record{}, false
}

func knownToChildrens(p resindex.Person) bool {
	for _, r := range p.Records {
		if r.Source == resindex.SourceChildrenSocial {
			return true
		}
	}
	return false
}
