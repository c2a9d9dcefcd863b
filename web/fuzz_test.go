package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/web"
)

// FuzzAPIRequest sends arbitrary paths, queries, bodies and credentials
// to the API: every answer is JSON in the one error format or a success,
// never a 500 and never a panic, and a person the caller may not see is
// never in it.
func FuzzAPIRequest(f *testing.F) {
	b := mustBorough(f)
	pol, err := access.Default()
	if err != nil {
		f.Fatal(err)
	}
	svc, err := access.New(pol, b.eng, b.eng, b.db, access.Options{Key: b.key, Now: func() time.Time { return now }})
	if err != nil {
		f.Fatal(err)
	}
	srv, err := web.New(context.Background(), web.Config{Access: svc, Tokens: b.db, Rate: 1e9, Burst: 1e9})
	if err != nil {
		f.Fatal(err)
	}
	tok, err := web.CreateToken(b.db, web.TokenInfo{Name: "fuzz", Role: "frontline", Created: now})
	if err != nil {
		f.Fatal(err)
	}
	frontline, _ := pol.Role("frontline")
	hidden := map[string]bool{} // references of persons frontline may not see
	for pid, p := range b.persons {
		if expect(frontline, p, true).status != http.StatusOK {
			hidden[svc.Ref(pid)] = true
		}
	}
	for _, seed := range []struct{ method, path, body, auth string }{
		{"GET", "/api/v1/persons?family=Smith&page_size=5", "", "token"},
		{"GET", "/api/v1/persons?id=nino:AB123456C&id=nino:AB123456D", "", "token"},
		{"GET", "/api/v1/persons?dob=1980-13-45&page_token=bm9wZQ", "", "token"},
		{"GET", "/api/v1/persons?family=Smith&dob=6/5/1980&surname=Smith&%zz", "", "token"},
		{"GET", "/api/v1/persons/P0000000001?x=1", "", "token"},
		{"GET", "/api/v1/persons/AAAAAAAAAAAAAAAAAAAAAA/household", "", "token"},
		{"POST", "/api/v1/verify", `{"given":"A","family":"B","dob":"1980-01-01","postcode":"NW1 1AA"}`, "token"},
		{"POST", "/api/v1/verify", `{"given":1}`, "token"},
		{"POST", "/api/v1/export", `{"persons":["x"],"reason":"r"}`, "token"},
		{"POST", "/api/v1/overrides", `{"a":"council_tax/1","b":"x","kind":"link","reason":"r"}`, "token"},
		{"GET", "/api/v1/audit?since=yesterday", "", "token"},
		{"GET", "/api/v1/persons?family=Smith", "", "Basic Zm9vOmJhcg=="},
		{"GET", "/api/v1/me", "", "Bearer rxt_"},
	} {
		f.Add(seed.method, seed.path, seed.body, seed.auth)
	}
	f.Fuzz(func(t *testing.T, method, path, body, auth string) {
		if method != "GET" && method != "POST" {
			method = "GET"
		}
		if !strings.HasPrefix(path, "/") {
			path = "/api/v1/" + path
		}
		req, err := http.NewRequest(method, "http://resindex.test"+path, strings.NewReader(body))
		if err != nil {
			return // not a request a client could send
		}
		switch auth {
		case "token":
			req.Header.Set("Authorization", "Bearer "+tok)
		case "":
		default:
			req.Header.Set("Authorization", auth)
		}
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %q: status %d: %s", method, path, rec.Code, rec.Body)
		}
		if !strings.HasPrefix(path, "/api/v1/") || strings.HasSuffix(req.URL.Path, "openapi.yaml") || rec.Code/100 == 3 {
			return
		}
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s %q: status %d, not JSON: %q", method, path, rec.Code, rec.Body)
		}
		if rec.Code >= 400 {
			if e, ok := out["error"].(map[string]any); !ok || e["code"] == "" {
				t.Fatalf("%s %q: status %d without the error format: %s", method, path, rec.Code, rec.Body)
			}
		}
		for ref := range hidden {
			if strings.Contains(rec.Body.String(), ref) && !strings.Contains(path, ref) && !strings.Contains(body, ref) {
				t.Fatalf("%s %q: the answer names %s, whom frontline may not see", method, path, ref)
			}
		}
	})
}
