package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
	"github.com/resindex/resindex/web"
)

// benchAPI times the same searches through the JSON API on a loopback
// port, as a member of staff's client makes them: sign-in by API token,
// the policy's redaction and an audit entry for every search. The token
// it makes is removed when it ends; the audit entries stay, as they
// would.
func benchAPI(ctx context.Context, e *env, ef engineFlags, db *store.DB, eng *resolver.Engine, sample []resolver.Sampled, role string) error {
	svc, err := newAccess(ef.cfg, db, eng)
	if err != nil {
		return err
	}
	tok, err := web.CreateToken(db, web.TokenInfo{Name: "bench", Role: role, Created: time.Now().UTC(), Expires: time.Now().Add(24 * time.Hour).UTC()})
	if err != nil {
		return err
	}
	defer db.DeleteToken(web.HashToken(tok))
	cfg := *ef.cfg
	cfg.API.RatePerSecond, cfg.API.Burst = 1e9, 1e9 // measure the API, not its limit
	at, stop, err := startAPI(ctx, "127.0.0.1:0", &cfg, svc, db, false, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	defer stop()
	r, ok := svc.Policy().Role(role)
	if !ok {
		return fmt.Errorf("--role %q: not a role of the policy: %w", role, errUsage)
	}
	client := &http.Client{Timeout: 30 * time.Second}
	results := map[string]*benchResult{}
	for _, s := range sample {
		want := svc.Ref(s.PersonID)
		for kind, q := range benchQueries(&s.Record) {
			if !r.MaySearchBy(q) {
				continue // the API refuses a search by what the role does not see
			}
			t0 := time.Now()
			refs, err := apiSearch(client, "http://"+at+"/api/v1/persons?"+queryValues(q).Encode(), tok)
			if err != nil {
				return err
			}
			found := false
			for _, r := range refs {
				found = found || r == want
			}
			results[kind] = results[kind].add(time.Since(t0), found)
		}
	}
	fmt.Fprintf(e.stdout, "through the JSON API at %s as %s (policy and audit on); a person the role may not see counts as not found\n", at, role)
	printBench(e, len(sample), results)
	return nil
}

func queryValues(q resindex.Query) url.Values {
	v := url.Values{"page_size": {"10"}}
	for k, x := range map[string]string{"given": q.Given, "family": q.Family, "dob": q.DOB, "postcode": q.Postcode} {
		if x != "" {
			v.Set(k, x)
		}
	}
	for kind, x := range q.Identifiers {
		v.Add("id", kind+":"+x)
	}
	return v
}

// apiSearch makes one search and returns the references found.
func apiSearch(c *http.Client, u, tok string) ([]string, error) {
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var eb web.ErrorBody
		json.NewDecoder(resp.Body).Decode(&eb)
		return nil, fmt.Errorf("bench api: search answered %d: %s", resp.StatusCode, eb.Error.Message)
	}
	var page access.SearchPage
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		return nil, err
	}
	refs := make([]string, len(page.Results))
	for i, r := range page.Results {
		refs[i] = r.Ref
	}
	return refs, nil
}
