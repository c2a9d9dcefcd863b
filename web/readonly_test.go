package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/resindex/resindex/web"
)

// TestReadOnlyRefusesChanges: a read replica's server refuses every call
// that would change the index, on the API (JSON) and on the staff pages
// (a page), signed in or not, and serves reads; a writer's does not
// refuse them.
func TestReadOnlyRefusesChanges(t *testing.T) {
	ro := newServer(t, web.Config{ReadOnly: true})
	rw := serverOn(t, ro.borough, web.Config{})
	tok := ro.tokens["data_steward"]
	changes := []struct{ method, path string }{
		{"POST", "/api/v1/overrides"},
		{"POST", "/api/v1/alerts/A1/acknowledge"},
		{"POST", "/api/v1/alerts/A1/close"},
		{"POST", "/api/v1/fraud/findings/F1/review"},
		{"POST", "/api/v1/fraud/run"},
		{"PUT", "/api/v1/rights/persons/x/restriction"},
		{"DELETE", "/api/v1/rights/persons/x/objection"},
		{"POST", "/api/v1/rights/persons/x/rectification"},
		{"POST", "/api/v1/rights/persons/x/erase"},
		{"PATCH", "/api/v1/persons/x"},
		{"POST", "/review"},
		{"POST", "/alerts/A1/close"},
		{"POST", "/rights/x/erase"},
		{"POST", "/fraud/run"},
	}
	for _, c := range changes {
		for _, token := range []string{tok, ""} {
			code, body := send(t, ro.url, c.method, c.path, token)
			want := `"code":"read_replica"`
			if !strings.HasPrefix(c.path, "/api/") {
				want = "this is a read replica"
			}
			if code != http.StatusServiceUnavailable || !strings.Contains(body, want) {
				t.Errorf("%s %s (token %v) on a replica: %d %.200s", c.method, c.path, token != "", code, body)
			}
		}
		if code, _ := send(t, rw.url, c.method, c.path, tok); code == http.StatusServiceUnavailable {
			t.Errorf("%s %s on a writer: 503", c.method, c.path)
		}
	}
	for _, r := range []struct{ method, path string }{{"GET", "/api/v1/persons?family=Smith"}, {"GET", "/api/v1/me"}, {"POST", "/api/v1/verify"}} {
		if code, body := send(t, ro.url, r.method, r.path, tok); code == http.StatusServiceUnavailable {
			t.Errorf("%s %s, a read, refused on a replica: %.200s", r.method, r.path, body)
		}
	}
}

func send(t *testing.T, base, method, path, tok string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, base+path, strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
