package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/internal/config"
	"github.com/resindex/resindex/internal/searchbench"
	"github.com/resindex/resindex/web"
)

// benchAPI times the same searches through the JSON API on a loopback
// port, as a member of staff's client makes them: sign-in by API token,
// the policy's redaction and an audit entry for every search. The token
// it makes is removed when it ends; the audit entries stay, as they
// would.
func benchAPI(ctx context.Context, e *env, m *Main, c benchConfig, ui *uiPages) error {
	if err := m.OpenAccess(); err != nil {
		return err
	}
	db, eng := m.DB, m.Engine
	role, ok := m.Access.Policy().Role(c.role)
	if !ok {
		return fmt.Errorf("--role %q: not a role of the policy: %w", c.role, errUsage)
	}
	tok, err := web.CreateToken(db, web.TokenInfo{Name: "bench", Role: c.role, Created: time.Now().UTC(), Expires: time.Now().Add(24 * time.Hour).UTC()})
	if err != nil {
		return err
	}
	defer db.DeleteToken(web.HashToken(tok))
	api := config.API{RatePerSecond: 1e9, Burst: 1e9} // measure the API, not its limit
	at, stop, err := m.startAPI(ctx, "127.0.0.1:0", api, false, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	defer stop()
	drawn, err := draw(db, c, m.Access.Ref)
	if err != nil {
		return err
	}
	client := &searchbench.Client{HTTP: &http.Client{Timeout: 30 * time.Second}, Base: "http://" + at, Token: tok}
	search := func(q resindex.Query, want string) (bool, error) {
		refs, err := client.Search(q)
		return slices.Contains(refs, want), err
	}
	if ui != nil {
		search = func(q resindex.Query, want string) (bool, error) { return ui.search(client, q, want) }
	}
	// The API refuses a search by what the role does not see.
	results, err := whileIngesting(ctx, e, eng, c.ingest, func() (searchbench.Results, error) {
		return searchbench.Run(drawn, role.MaySearchBy, search)
	})
	if err != nil {
		return err
	}
	if ui != nil {
		if err := ui.pages(client); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "through the staff UI's pages at %s as %s (policy and audit on); a person the role may not see counts as not found\nsearch page:\n", at, c.role)
		results.Print(e.stdout, len(drawn))
		ui.print(e.stdout)
		return nil
	}
	fmt.Fprintf(e.stdout, "through the JSON API at %s as %s (policy and audit on); a person the role may not see counts as not found\n", at, c.role)
	results.Print(e.stdout, len(drawn))
	return nil
}
