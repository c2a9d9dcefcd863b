package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/web"
)

// checkRights is the access matrix's row for the rights endpoints: the
// state of every sampled person, and each change put in force and ended
// again (the borough is shared), only for a role with the rights
// ability; every other role is forbidden whoever the person.
func checkRights(t *testing.T, s *server, role *access.Role, tok string, sample []string) {
	t.Helper()
	changed := false
	for _, pid := range sample {
		ref := s.svc.Ref(pid)
		want := http.StatusForbidden
		if role.Can(access.Rights) {
			want = expectRights(role, s.persons[pid])
		}
		code, body := s.call(t, "GET", "/api/v1/rights/persons/"+ref, tok, "", nil)
		if code != want {
			t.Fatalf("GET rights of %s as %s: %d, want %d (%v)", pid, role.Name, code, want, body)
		}
		if code == http.StatusOK && (body["id"] != ref || body["restricted"] != false) {
			t.Fatalf("GET rights of %s: %v", pid, body)
		}
		if changed || (want != http.StatusOK && want != http.StatusForbidden) {
			continue
		}
		changed = true
		for _, c := range []struct{ method, right, flag string }{
			{"PUT", "restriction", "restricted"}, {"DELETE", "restriction", ""},
			{"PUT", "objection", "objecting"}, {"DELETE", "objection", ""},
		} {
			code, body := s.call(t, c.method, "/api/v1/rights/persons/"+ref+"/"+c.right, tok, "", map[string]any{"reason": "matrix"})
			if code != want {
				t.Fatalf("%s %s of %s as %s: %d, want %d (%v)", c.method, c.right, pid, role.Name, code, want, body)
			}
			if code != http.StatusOK {
				assertError(t, body, "forbidden")
			} else if c.flag != "" && body[c.flag] != true {
				t.Fatalf("%s %s: %v", c.method, c.right, body)
			}
		}
	}
}

// expectRights is what a rights call answers a role with the ability:
// the record-level rules of expect but the activity window's, since the
// rights are over every record held (a shielded person needs no further
// reason: the request is one).
func expectRights(role *access.Role, p resindex.Person) int {
	if !role.Sees(classOf(p)) || (isShielded(p) && !role.Can(access.SeeShielded)) {
		return http.StatusNotFound
	}
	for _, r := range p.Records {
		if role.Source(r.Source) {
			return http.StatusOK
		}
	}
	return http.StatusNotFound
}

// TestRightsAPI: a person restricted through the API is not found by
// frontline's search or view and is found by safeguarding with a reason,
// marked restricted; bad requests are refused naming the field. Run on a
// borough of its own, as it leaves persons restricted.
func TestRightsAPI(t *testing.T) {
	b, err := loadBorough(300, 21)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.fraud.Close(); b.db.Close() })
	s := serverOn(t, b, webConfig())
	var pid string
	var p resindex.Person
	frontline, _ := s.svc.Policy().Role("frontline")
	for id, per := range s.persons {
		if expect(frontline, per, false).status == http.StatusOK && (pid == "" || id < pid) {
			pid, p = id, per
		}
	}
	ref := s.svc.Ref(pid)
	g := resindex.GoldenRecord(p.Records, resindex.DefaultTrust, time.Time{})
	search := "/api/v1/persons?family=" + url.QueryEscape(g.Name.Value.Family) + "&dob=" + g.DOB.Value
	found := func(role, reason string) (bool, any) {
		t.Helper()
		code, body := s.call(t, "GET", search, s.tokens[role], reason, nil)
		if code != http.StatusOK {
			t.Fatalf("search as %s: %d %v", role, code, body)
		}
		res, _ := body["results"].([]any)
		for _, r := range res {
			if m, _ := r.(map[string]any); m["id"] == ref {
				return true, m["shield_reason"]
			}
		}
		return false, nil
	}
	if ok, _ := found("frontline", ""); !ok {
		t.Fatal("frontline does not find the person before the restriction")
	}
	ig := s.tokens["information_governance"]
	if code, body := s.call(t, "PUT", "/api/v1/rights/persons/"+ref+"/restriction", ig, "", map[string]any{"reason": "accuracy contested"}); code != 200 {
		t.Fatalf("restrict: %d %v", code, body)
	}
	if ok, _ := found("frontline", ""); ok {
		t.Error("frontline finds a restricted person")
	}
	if code, _ := s.call(t, "GET", "/api/v1/persons/"+ref, s.tokens["frontline"], "a reason", nil); code != http.StatusNotFound {
		t.Errorf("frontline view of a restricted person: %d", code)
	}
	if ok, why := found("safeguarding", "section 47 enquiry"); !ok || why != access.ShieldRestricted {
		t.Error("safeguarding does not find a restricted person with a reason, marked restricted")
	}
	for _, c := range []struct {
		name, method, path, ctype, body string
		status                          int
		field                           string
	}{
		{"no reason", "PUT", "/restriction", "application/json", `{}`, 400, "reason"},
		{"blank reason", "DELETE", "/restriction", "application/json", `{"reason":"  "}`, 400, "reason"},
		{"long reason", "PUT", "/objection", "application/json", `{"reason":"` + strings.Repeat("x", 501) + `"}`, 400, "reason"},
		{"unknown field", "PUT", "/objection", "application/json", `{"reason":"r","why":"x"}`, 400, "body"},
		{"not JSON", "PUT", "/objection", "application/json", `reason=r`, 400, "body"},
		{"a number", "PUT", "/objection", "application/json", `{"reason":5}`, 400, "body"},
		{"form", "PUT", "/objection", "application/x-www-form-urlencoded", `reason=r`, 415, ""},
		{"query", "GET", "?x=1", "", ``, 400, "x"},
		{"nobody", "PUT", "/objection", "application/json", `{"reason":"r"}`, 404, ""},
	} {
		path := "/api/v1/rights/persons/" + ref + c.path
		if c.name == "nobody" {
			path = "/api/v1/rights/persons/AAAAAAAAAAAAAAAAAAAAAA" + c.path
		}
		code, body := rawCall(t, s, c.method, path, ig, c.ctype, c.body)
		if code != c.status {
			t.Errorf("%s: %d, want %d (%v)", c.name, code, c.status, body)
		}
		if e, _ := body["error"].(map[string]any); c.field != "" && (e == nil || e["field"] != c.field) {
			t.Errorf("%s: error %v, want field %s", c.name, body, c.field)
		}
	}
	if code, _ := s.call(t, "DELETE", "/api/v1/rights/persons/"+ref+"/restriction", ig, "", map[string]any{"reason": "accuracy confirmed"}); code != 200 {
		t.Fatalf("release: %d", code)
	}
	if ok, _ := found("frontline", ""); !ok {
		t.Error("frontline does not find the person after release")
	}
}

// rawCall sends a body as given, with a content type.
func rawCall(t testing.TB, s *server, method, path, token, ctype, body string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, s.url+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	data, _ := io.ReadAll(resp.Body)
	json.Unmarshal(data, &out)
	return resp.StatusCode, out
}

// FuzzRightsRequest sends arbitrary bodies to the rights endpoints, on a
// borough of its own: every answer is a success or a client error in the
// one error format, never a 500, and never quotes the body.
func FuzzRightsRequest(f *testing.F) {
	b, err := loadBorough(60, 23)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { b.fraud.Close(); b.db.Close() })
	pol, err := access.Default()
	if err != nil {
		f.Fatal(err)
	}
	svc, err := access.New(pol, b.eng, b.eng, b.db, access.Options{Key: b.key, Now: func() time.Time { return now }, Rights: b.db})
	if err != nil {
		f.Fatal(err)
	}
	srv, err := web.New(context.Background(), web.Config{Access: svc, Tokens: b.db, Rate: 1e9, Burst: 1e9})
	if err != nil {
		f.Fatal(err)
	}
	tok, err := web.CreateToken(b.db, web.TokenInfo{Name: "fuzz", Role: "information_governance", Created: now})
	if err != nil {
		f.Fatal(err)
	}
	var ref string
	for pid := range b.persons {
		ref = svc.Ref(pid)
		break
	}
	for _, seed := range []struct {
		put         bool
		right, body string
	}{
		{true, "restriction", `{"reason":"asked"}`}, {false, "restriction", `{"reason":"done"}`},
		{true, "objection", `{"reason":""}`}, {false, "objection", `{"reason":"x","y":1}`},
		{true, "objection", `[1,2]`}, {true, "restriction", `{"reason":"\u0000\ud800"}`}, {true, "restriction", `{"reason":"a"} {}`},
	} {
		f.Add(seed.put, seed.right, seed.body)
	}
	f.Fuzz(func(t *testing.T, put bool, right, body string) {
		method := http.MethodDelete
		if put {
			method = http.MethodPut
		}
		req := httptest.NewRequest(method, "/api/v1/rights/persons/"+ref+"/"+url.PathEscape(right), strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code == http.StatusTemporaryRedirect || rec.Code == http.StatusMovedPermanently {
			return // a path with "." or ".." segments: the router sends the client to the clean one
		}
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%d: not JSON: %q", rec.Code, rec.Body.String())
		}
		if rec.Code >= 500 {
			t.Fatalf("%d for %q", rec.Code, body)
		}
		if e, ok := out["error"].(map[string]any); ok && len(body) > 8 && strings.Contains(e["message"].(string), body) {
			t.Fatalf("the error quotes the body: %v", e)
		}
	})
}
