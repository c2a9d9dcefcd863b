package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/alerts"
	"github.com/resindex/resindex/web"
)

// pageClient reads the staff pages with a role's API token (the pages
// take one as the API does) and keeps the CSRF cookie forms need.
type pageClient struct {
	t   *testing.T
	s   *server
	tok string
	c   *http.Client
}

var (
	pageHooks = regexp.MustCompile(`data-page="([a-z]+)" data-status="([0-9]+)"`)
	csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
)

// do requests a page and returns its data-page, data-status and markup.
func (pc *pageClient) do(method, path string, form url.Values) (string, string, string) {
	pc.t.Helper()
	req, err := http.NewRequest(method, pc.s.url+path, strings.NewReader(form.Encode()))
	if err != nil {
		pc.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+pc.tok)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := pc.c.Do(req)
	if err != nil {
		pc.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	m := pageHooks.FindStringSubmatch(string(body))
	if m == nil {
		pc.t.Fatalf("%s %s: status %d, a page without data-page", method, path, resp.StatusCode)
	}
	return m[1], m[2], string(body)
}

// TestAlertPagesRefuse: the inbox names an unknown status as a problem,
// a missing alert is the 404 page, a form without its CSRF token is
// refused, a step the alert's state no longer allows draws the alert
// with the problem and records nothing, and a role without the ability
// is refused the pages and sees no link to them.
func TestAlertPagesRefuse(t *testing.T) {
	s := newServer(t, web.Config{})
	pc := &pageClient{t: t, s: s, tok: s.tokens["safeguarding"], c: &http.Client{Jar: must(cookiejar.New(nil))}}
	if pg, st, _ := pc.do("GET", "/alerts?status=open", nil); pg != "alerts" || st != "400" {
		t.Errorf("an unknown status: %s %s, want the inbox with 400", pg, st)
	}
	if pg, st, _ := pc.do("GET", "/alerts/A0000099999", nil); pg != "error" || st != "404" {
		t.Errorf("a missing alert: %s %s, want 404", pg, st)
	}
	id := must(s.raise(s.alert))
	_, _, body := pc.do("GET", "/alerts/"+id, nil)
	csrf := csrfInput.FindStringSubmatch(body)
	if csrf == nil || !strings.Contains(body, `action="/alerts/`+id+`/acknowledge"`) {
		t.Fatal("a new alert's page has no acknowledge form with a CSRF token")
	}
	if pg, st, _ := pc.do("POST", "/alerts/"+id+"/acknowledge", url.Values{"assignee": {"x"}}); pg != "error" || st != "403" {
		t.Errorf("a form without its CSRF token: %s %s, want 403", pg, st)
	}
	if code, _ := s.call(t, "POST", "/api/v1/alerts/"+id+"/acknowledge", s.tokens["childrens_services"], "", map[string]string{}); code != 200 {
		t.Fatalf("acknowledging by the API: %d", code)
	}
	pg, st, body := pc.do("POST", "/alerts/"+id+"/acknowledge", url.Values{"csrf": {csrf[1]}, "assignee": {"x"}})
	if pg != "alert" || st != "409" || !strings.Contains(body, "no longer new") {
		t.Errorf("acknowledging an acknowledged alert: %s %s, want the alert with 409 saying so", pg, st)
	}
	if a := must(alerts.Get(s.db, id)); a.Status != resindex.AlertAcknowledged || len(a.History) != 2 || a.Assignee == "x" {
		t.Errorf("after a refused step: %s, %d steps, assigned to %q", a.Status, len(a.History), a.Assignee)
	}
	frontline := &pageClient{t: t, s: s, tok: s.tokens["frontline"], c: &http.Client{}}
	for _, path := range []string{"/alerts", "/alerts/" + id} {
		if pg, st, body := frontline.do("GET", path, nil); pg != "error" || st != "403" || strings.Contains(body, `href="/alerts"`) {
			t.Errorf("%s as frontline: %s %s, want 403 with no link to the alerts", path, pg, st)
		}
	}
}
