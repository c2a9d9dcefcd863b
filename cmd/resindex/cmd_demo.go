package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/resindex/resindex/internal/atomicfile"
	"github.com/resindex/resindex/internal/cli"
	"github.com/resindex/resindex/internal/config"
	"github.com/resindex/resindex/internal/progress"
	"github.com/resindex/resindex/internal/report"
	"github.com/resindex/resindex/web"
)

func runDemo(ctx context.Context, e *env, args []string) error {
	fs := cli.NewFlags(e.stderr, "demo", "[--persons N] [--seed S] [--dir DIR] [--addr HOST:PORT] [--no-serve]")
	cfg := boroughFlags(fs, 5000)
	dir := fs.String("dir", "", "where to write the borough and results (default: a new temporary directory)")
	addr := fs.String("addr", "127.0.0.1:8080", "where to serve the JSON API once the borough is loaded")
	noServe := fs.Bool("no-serve", false, "stop after the accuracy report: load no store, serve nothing")
	if err := cli.Parse(fs, args); err != nil {
		return err
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
	return demoServe(ctx, e, *dir, *addr)
}

// demoServe loads the borough into a store, makes a token for each role
// of the default policy and serves the JSON API, with the demo sign-in
// page, until interrupted.
func demoServe(ctx context.Context, e *env, dir, addr string) error {
	m := &Main{Config: config.Config{Data: filepath.Join(dir, "store")}}
	defer m.Close()
	fmt.Fprintf(e.stdout, "\nloading the borough into the store %s\n", m.Config.Data)
	if err := ingestCanonical(ctx, e, m, ingestConfig{canonical: []string{filepath.Join(dir, "canonical")}, bulk: true, quiet: true}); err != nil {
		return err
	}
	if err := m.OpenEngine(engineSetup{}); err != nil {
		return err
	}
	if err := m.OpenAccess(); err != nil {
		return err
	}
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
	fmt.Fprintf(e.stdout, "\nJSON API at http://%s/api/v1/ (OpenAPI: http://%s/api/v1/openapi.yaml)\n", at, at)
	fmt.Fprintf(e.stdout, "try:  curl -H 'Authorization: Bearer <token>' 'http://%s/api/v1/persons?family=Smith'\n", at)
	fmt.Fprintf(e.stdout, "browser sign-in as any role: http://%s/auth/demo\nstop with Ctrl-C\n", at)
	<-ctx.Done()
	return nil
}
