package web_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// A role without the rights ability must get 403 before any
// parameter or body is read.
func TestRightsRefusedBeforeTheRequestIsRead(t *testing.T) {
	b, err := loadBorough(40, 5)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.fraud.Close(); b.db.Close() })
	s := serverOn(t, b, webConfig())
	var ref string
	for pid := range s.persons {
		ref = s.svc.Ref(pid)
		break
	}
	fl := s.tokens["frontline"]
	do := func(method, path, ctype, body string) int {
		req, _ := http.NewRequest(method, s.url+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+fl)
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, c := range []struct{ method, path, ctype, body string }{
		{"GET", "/api/v1/rights/persons/" + ref + "?x=1", "", ""},
		{"PUT", "/api/v1/rights/persons/" + ref + "/restriction", "text/plain", "x"},
		{"PUT", "/api/v1/rights/persons/" + ref + "/restriction", "application/json", "{bad"},
		{"DELETE", "/api/v1/rights/persons/" + ref + "/objection", "application/json", `{"why":1}`},
		{"GET", "/api/v1/rights/persons/" + ref + "/sar?x=1", "", ""},
		{"POST", "/api/v1/rights/persons/" + ref + "/rectification", "application/json", "{bad"},
		{"POST", "/api/v1/rights/persons/" + ref + "/erase", "application/json", "{bad"},
	} {
		if got := do(c.method, c.path, c.ctype, c.body); got != http.StatusForbidden {
			t.Errorf("frontline %s %s (%s %q): %d, want 403", c.method, c.path, c.ctype, c.body, got)
		}
	}
}
