package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/web"
)

// checkErase is the access matrix's row for erasure: a role without the
// rights ability gets 403 whatever it sends; one with it gets 400 for a
// missing reason (naming the field) and 404 for a reference that names no
// one. Nothing is erased: the shared borough stays whole.
func checkErase(t *testing.T, s *server, role *access.Role, tok string, sample []string) {
	t.Helper()
	ref := s.svc.Ref(sample[0])
	for _, c := range []struct {
		path string
		body any
		want int // for a role with the rights ability
		code string
	}{
		{"/api/v1/rights/persons/" + ref + "/erase", map[string]any{"reason": " "}, http.StatusBadRequest, "bad_request"},
		{"/api/v1/rights/persons/" + ref + "/erase", map[string]any{}, http.StatusBadRequest, "bad_request"},
		{"/api/v1/rights/persons/nosuchreference/erase", map[string]any{"reason": "Art. 17 request"}, http.StatusNotFound, "not_found"},
	} {
		want, code := http.StatusForbidden, "forbidden"
		if role.Can(access.Rights) {
			want, code = c.want, c.code
		}
		got, body := s.call(t, "POST", c.path, tok, "", c.body)
		if got != want {
			t.Fatalf("POST %s %v as %s: status %d, want %d (%v)", c.path, c.body, role.Name, got, want, body)
		}
		assertError(t, body, code)
	}
	if _, ok := s.persons[sample[0]]; ok {
		if _, err := s.eng.Person(sample[0]); err != nil {
			t.Fatalf("after %s's erasure calls, person %s: %v", role.Name, sample[0], err)
		}
	}
}

// eraser erases through the engine and compacts the store, as cmd's does
// (without the alert and fraud scrubs, which cmd's test covers).
type eraser struct{ b *borough }

func (x eraser) Erase(pid string) (access.Erasure, error) {
	rep, err := x.b.eng.Erase(pid)
	return access.Erasure{Records: rep.Records, ChangeFeed: rep.ChangeFeed}, err
}

func (x eraser) Compact() error { return x.b.db.Compact() }

// eraseServer is a server over a borough of its own (erasure changes it),
// with an eraser.
func eraseServer(t *testing.T, cfg web.Config) *server {
	t.Helper()
	b, err := loadBorough(120, 16)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for b.fraud.Running() {
			time.Sleep(10 * time.Millisecond)
		}
		b.db.Close()
	})
	pol, err := access.Default()
	if err != nil {
		t.Fatal(err)
	}
	svc, err := access.New(pol, b.eng, b.eng, b.db, access.Options{Key: b.key, Now: time.Now, Alerts: b.db,
		Fraud: b.fraud, FraudReviews: b.db, Eraser: eraser{b}})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Access, cfg.Tokens, cfg.Rate, cfg.Burst = svc, b.db, 1e6, 1e6
	srv, err := web.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	s := &server{borough: b, svc: svc, url: hs.URL, tokens: map[string]string{}, refs: map[string]string{}, statuses: map[string]int{}}
	for _, role := range pol.Roles() {
		tok, err := web.CreateToken(b.db, web.TokenInfo{Name: "test-" + role, Role: role, Created: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		s.tokens[role] = tok
	}
	for pid := range b.persons {
		s.refs[s.svc.Ref(pid)] = pid
	}
	return s
}

// adultsWithRecords are persons of the borough with at least n records,
// most first.
func adultsWithRecords(s *server, n int) []string {
	var out []string
	for pid, p := range s.persons {
		if len(p.Records) >= n {
			out = append(out, pid)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return len(s.persons[b].Records) - len(s.persons[a].Records) })
	return out
}

// TestEraseAPI: malformed requests are refused naming the field, with
// nothing erased; a role without the rights ability is refused whatever
// the person; information governance erases a person, who is then not
// found by reference or by a search for their name, and a second erasure
// is not found either.
func TestEraseAPI(t *testing.T) {
	s := eraseServer(t, web.Config{})
	pid := adultsWithRecords(s, 2)[0]
	ref, ig := s.svc.Ref(pid), s.tokens["information_governance"]
	path := "/api/v1/rights/persons/" + ref + "/erase"
	for _, c := range []struct {
		name, tok string
		body      any
		want      int
		code      string
	}{
		{"no reason", ig, map[string]any{}, 400, "bad_request"},
		{"empty reason", ig, map[string]any{"reason": ""}, 400, "bad_request"},
		{"reason not a string", ig, map[string]any{"reason": 17}, 400, "bad_request"},
		{"unknown field", ig, map[string]any{"reason": "r", "everyone": true}, 400, "bad_request"},
		{"frontline", s.tokens["frontline"], map[string]any{"reason": "r"}, 403, "forbidden"},
		{"safeguarding", s.tokens["safeguarding"], map[string]any{"reason": "r"}, 403, "forbidden"},
		{"no token", "", map[string]any{"reason": "r"}, 401, "unauthenticated"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, body := s.call(t, "POST", path, c.tok, "", c.body)
			if got != c.want {
				t.Fatalf("status %d, want %d (%v)", got, c.want, body)
			}
			assertError(t, body, c.code)
			if _, err := s.eng.Person(pid); err != nil {
				t.Fatalf("the person after a refused erasure: %v", err)
			}
		})
	}
	got, body := s.call(t, "POST", path, ig, "", map[string]any{"reason": "Art. 17 request 2026-7"})
	if got != http.StatusOK || body["person"] != ref || sumRecords(body) != len(s.persons[pid].Records) {
		t.Fatalf("erasure: %d %v, want 200 with %d records", got, body, len(s.persons[pid].Records))
	}
	if got, _ := s.call(t, "GET", "/api/v1/persons/"+ref, ig, "", nil); got != http.StatusNotFound {
		t.Fatalf("the erased person's reference: %d, want 404", got)
	}
	name := s.persons[pid].Records[0].Name
	_, found := s.call(t, "GET", "/api/v1/persons?family="+name.Family+"&given="+name.Given, ig, "", nil)
	for _, r := range asSlice(found["results"]) {
		if r.(map[string]any)["id"] == ref {
			t.Fatalf("a search still finds the erased person")
		}
	}
	if got, _ := s.call(t, "POST", path, ig, "", map[string]any{"reason": "again"}); got != http.StatusNotFound {
		t.Fatalf("a second erasure: %d, want 404", got)
	}
	if _, err := s.db.VerifyAudit(); err != nil {
		t.Fatal(err)
	}
}

func sumRecords(body map[string]any) int {
	n := 0
	recs, _ := body["records"].(map[string]any)
	for _, v := range recs {
		f, _ := v.(float64)
		n += int(f)
	}
	return n
}

// TestErasePage: information governance opens a person's erasure page (a
// confirmation naming them by reference, with a warning), sends it
// without a reason (400, the problem linked to the field), then with one:
// the page says the records are erased, and the person's page is not
// found. Each page is checked with axe. Frontline is refused the page.
func TestErasePage(t *testing.T) {
	ctx := startBrowser(t, 1280, 900)
	s := eraseServer(t, uiConfig())
	pid := adultsWithRecords(s, 2)[0]
	ref := s.svc.Ref(pid)
	role, _ := s.svc.Policy().Role("information_governance")
	b := &tab{t: t, ctx: ctx, s: s, role: role, seen: map[string]bool{}, shots: screenshotDir(t)}
	b.signIn()
	st := b.open("/rights/" + ref + "/erase")
	if st.Page != "erase" || st.Status != "200" || b.eval(`[document.getElementById('ref').textContent]`)[0] != ref ||
		len(b.eval(`[...document.querySelectorAll('.govuk-warning-text')].map(e => e.textContent)`)) != 1 {
		t.Fatalf("the erasure page: %s %s, want it naming %s with a warning", st.Page, st.Status, ref)
	}
	st = b.submit(chromedp.Click(chromedp.CSS(`form[action$="/erase"] button`)))
	if errs := b.eval(`[...document.querySelectorAll('.govuk-error-summary__list a')].map(e => e.getAttribute('href'))`); st.Page != "erase" || st.Status != "400" || !slices.Equal(errs, []string{"#reason"}) {
		t.Fatalf("an erasure without a reason: %s %s, errors %v", st.Page, st.Status, errs)
	}
	if _, err := s.eng.Person(pid); err != nil {
		t.Fatalf("the person after a refused erasure: %v", err)
	}
	st = b.submit(chromedp.SetValue(chromedp.ID("reason"), "Art. 17 request 2026-8"), chromedp.Click(chromedp.CSS(`form[action$="/erase"] button`)))
	if st.Page != "erase" || st.Status != "200" || len(b.eval(`[...document.querySelectorAll('#erased')].map(e => e.id)`)) != 1 {
		t.Fatalf("after the erasure: %s %s, want the confirmation", st.Page, st.Status)
	}
	if _, err := s.eng.Person(pid); err == nil {
		t.Fatal("the person is still in the index")
	}
	if st := b.open("/persons/" + ref); st.Status != "404" {
		t.Fatalf("the erased person's page: %s %s, want 404", st.Page, st.Status)
	}
	if st := b.open("/rights/" + ref + "/erase"); st.Page != "erase" || st.Status != "200" {
		t.Fatalf("the form again: %s %s", st.Page, st.Status) // the form names no one; sending it is not found
	}
	st = b.submit(chromedp.SetValue(chromedp.ID("reason"), "again"), chromedp.Click(chromedp.CSS(`form[action$="/erase"] button`)))
	if st.Status != "404" {
		t.Fatalf("erasing again: %s %s, want 404", st.Page, st.Status)
	}
	b.signOut()
	front, _ := s.svc.Policy().Role("frontline")
	b.role = front
	b.signIn()
	if st := b.open("/rights/" + s.svc.Ref(adultsWithRecords(s, 1)[1]) + "/erase"); st.Status != "403" {
		t.Fatalf("the erasure page as frontline: %s %s, want 403", st.Page, st.Status)
	}
}

// TestErasePageWithoutJavaScript: with scripts off, information
// governance erases a person with the form.
func TestErasePageWithoutJavaScript(t *testing.T) {
	ctx := startBrowser(t, 1280, 900, chromedp.Flag("blink-settings", "scriptEnabled=false"))
	s := eraseServer(t, uiConfig())
	pid := adultsWithRecords(s, 2)[0]
	role, _ := s.svc.Policy().Role("information_governance")
	b := &tab{t: t, ctx: ctx, s: s, role: role, seen: map[string]bool{}, noAxe: true}
	b.open("/signin")
	b.submit(chromedp.Click(chromedp.CSS(`input[name=role][value=information_governance]`)), chromedp.Click(chromedp.CSS(`form[action="/auth/demo"] button[type=submit]`)))
	b.open("/rights/" + s.svc.Ref(pid) + "/erase")
	st := b.submit(chromedp.SetValue(chromedp.ID("reason"), "Art. 17 request 2026-9"), chromedp.Click(chromedp.CSS(`form[action$="/erase"] button`)))
	if st.Page != "erase" || st.Status != "200" {
		t.Fatalf("an erasure without scripts: %s %s", st.Page, st.Status)
	}
	if _, err := s.eng.Person(pid); err == nil {
		t.Fatal("the person is still in the index")
	}
}

// FuzzEraseRequest sends arbitrary bodies to the erasure endpoint, as
// information governance, for a reference that names no one (nothing is
// erased): every answer is a 400 (the body), 404 (a valid body) or 415,
// in the one error format, never a 500 or a panic.
func FuzzEraseRequest(f *testing.F) {
	s := newServer(f, webConfig())
	tok := s.tokens["information_governance"]
	for _, seed := range []string{`{"reason":"Art. 17"}`, `{}`, `{"reason":""}`, `{"reason":1}`, `{"reason":"a","x":1}`,
		`{"reason":"a"}{"reason":"b"}`, `[]`, `null`, `{"reason":"\u0000"}`, strings.Repeat(`{"reason":`, 100)} {
		f.Add(seed, "application/json")
	}
	f.Add(`{"reason":"a"}`, "text/plain")
	f.Fuzz(func(t *testing.T, body, contentType string) {
		req, err := http.NewRequest("POST", s.url+"/api/v1/rights/persons/nosuchreference/erase", strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", contentType)
		resp, err := http.DefaultClient.Do(req)
		if err != nil && strings.Contains(err.Error(), "invalid header field value") {
			return // the client refuses to send it
		}
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if !slices.Contains([]int{400, 404, 415}, resp.StatusCode) {
			t.Fatalf("body %q (%s): status %d", body, contentType, resp.StatusCode)
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("body %q: answered %s", body, resp.Header.Get("Content-Type"))
		}
	})
}
