package main

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/internal/latency"
	"github.com/resindex/resindex/internal/searchbench"
)

// uiPages times the staff UI's pages as a member of staff meets them: the
// search results page, then the first person found and their household.
// The pages are fetched with the bench's API token, which the UI accepts
// as it accepts a session. The search pages are timed by the searches;
// the person and household pages after them, each on its own.
type uiPages struct {
	firsts            []string // each search's first result
	person, household []time.Duration
}

// resultRef is how the search page marks each result.
var resultRef = regexp.MustCompile(`<li [^>]*data-ref="([^"]+)"`)

// search fetches the search page for a query, keeping its first result.
func (u *uiPages) search(c *searchbench.Client, q resindex.Query, want string) (bool, error) {
	body, err := u.get(c, "/search?"+searchbench.FormValues(q).Encode(), nil)
	if err != nil {
		return false, err
	}
	var refs []string
	for _, m := range resultRef.FindAllSubmatch(body, -1) {
		refs = append(refs, string(m[1]))
	}
	if len(refs) > 0 {
		u.firsts = append(u.firsts, refs[0])
	}
	return slices.Contains(refs[:min(len(refs), 10)], want), nil
}

// pages times the person and household pages of each search's first
// result.
func (u *uiPages) pages(c *searchbench.Client) error {
	for _, ref := range u.firsts {
		if _, err := u.get(c, "/persons/"+ref, &u.person); err != nil {
			return err
		}
		if _, err := u.get(c, "/persons/"+ref+"/household", &u.household); err != nil {
			return err
		}
	}
	return nil
}

// get fetches a page, timing it into into (nil: not timed). A page a role
// may not use (403, for a household without the field) is timed all the
// same: the server did the work of deciding.
func (u *uiPages) get(c *searchbench.Client, path string, into *[]time.Duration) ([]byte, error) {
	req, err := http.NewRequest("GET", c.Base+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.Token)
	t0 := time.Now()
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if into != nil {
		*into = append(*into, time.Since(t0))
	}
	if err == nil && resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusForbidden {
		err = fmt.Errorf("bench ui: %s answered %d", req.URL.Path, resp.StatusCode)
	}
	return body, err
}

func (u *uiPages) print(w io.Writer) {
	fmt.Fprintf(w, "person page (%d):    %s\n", len(u.person), latency.Summary(u.person))
	fmt.Fprintf(w, "household page (%d): %s\n", len(u.household), latency.Summary(u.household))
}
