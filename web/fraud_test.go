package web_test

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/fraud"
	"github.com/resindex/resindex/web"
)

// The fraud findings over HTTP: the borough's injected sublets and false
// discounts, found by the real checks over the test store, shown through
// the API and the pages only to roles with fraud_findings, and what they
// show of each person checked against the oracle.

// firstFinding is the highest-scoring finding of a check in the
// borough's latest run.
func firstFinding(t testing.TB, s *server, k fraud.Kind) fraud.Finding {
	t.Helper()
	rep, _, err := s.fraud.Report(context.Background(), k)
	if err != nil || len(rep.Findings) == 0 {
		t.Fatalf("the borough's %s check: %d findings (%v)", k, len(rep.Findings), err)
	}
	return rep.Findings[0]
}

// checkFraud asks the four fraud endpoints: a role with fraud_findings
// lists both checks' findings, reads one, reviews it and asks for a run,
// each showing persons as the oracle allows; any other role gets 403 from
// each, and the finding keeps the review fraud gave it (or none).
func checkFraud(t *testing.T, s *server, role *access.Role, tok string) {
	t.Helper()
	id := firstFinding(t, s, fraud.SPD).ID
	want := http.StatusForbidden
	if role.Can(access.FraudFindings) {
		want = http.StatusOK
	}
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"GET", "/api/v1/fraud/subletting", nil},
		{"GET", "/api/v1/fraud/spd?min_score=0&status=unreviewed&page_size=100", nil},
		{"GET", "/api/v1/fraud/findings/" + id, nil},
		{"POST", "/api/v1/fraud/findings/" + id + "/review", map[string]any{"outcome": "insufficient_evidence", "note": "matrix"}},
		{"POST", "/api/v1/fraud/run", map[string]any{}},
	} {
		code, body := s.call(t, c.method, c.path, tok, "", c.body)
		if code != want {
			t.Fatalf("%s %s as %s: status %d, want %d (%v)", c.method, c.path, role.Name, code, want, body)
		}
		if code != http.StatusOK {
			assertError(t, body, "forbidden")
			continue
		}
		checkFindingsBody(t, s, role, c.path, body)
	}
	if r, ok := storedReview(t, s, id); ok && r.Role != "fraud" {
		t.Fatalf("after %s's calls, finding %s has a review by %s", role.Name, id, r.Role)
	}
}

func storedReview(t testing.TB, s *server, id string) (fraud.Review, bool) {
	t.Helper()
	var r fraud.Review
	var ok bool
	err := s.db.View(func(tx resindex.Txn) error {
		var err error
		r, ok, err = fraud.GetReview(tx, id)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return r, ok
}

// personID is the index's own person ID, which no answer may hold.
var personID = regexp.MustCompile(`\bP[0-9]{10}\b`)

// checkFindingsBody checks every finding of an answer (a list, or one
// finding): no person ID anywhere, and each person and evidence record as
// the oracle allows.
func checkFindingsBody(t *testing.T, s *server, role *access.Role, path string, body map[string]any) {
	t.Helper()
	raw, _ := json.Marshal(body)
	if m := personID.Find(raw); m != nil {
		t.Fatalf("%s as %s names the person ID %s", path, role.Name, m)
	}
	list := []any{body}
	show := []string(nil)
	if fs, ok := body["findings"]; ok {
		list, show = asSlice(fs), summary
		if len(list) == 0 || body["counts"] == nil {
			t.Fatalf("%s as %s: %v, want findings and counts", path, role.Name, body)
		}
	} else if _, ok := body["finding_id"]; !ok {
		return // the run's answer names no one
	}
	for _, x := range list {
		f := x.(map[string]any)
		people := asSlice(f["others"])
		if sub, ok := f["subject"]; ok {
			people = append(people, sub)
		}
		for _, pv := range people {
			checkFindingPerson(t, s, role, pv.(map[string]any), show)
		}
		for _, sig := range asSlice(f["signals"]) {
			for _, ev := range asSlice(sig.(map[string]any)["evidence"]) {
				checkEvidenceRow(t, s, role, ev.(map[string]any))
			}
		}
	}
}

// evidenceSource: the checks weigh every source but social care's.
func evidenceSource(src string) bool {
	return src != resindex.SourceAdultSocialCare && src != resindex.SourceChildrenSocial
}

// checkFindingPerson: never a child; a shielded person by reference
// only; anyone else with exactly the fields the role is granted for
// adults, from the records of granted sources the checks weigh, inside
// the window (and none when there are none), never a flag or an NHS
// number.
func checkFindingPerson(t *testing.T, s *server, role *access.Role, pv map[string]any, show []string) {
	t.Helper()
	ref, _ := pv["id"].(string)
	pid, ok := s.refs[ref]
	if !ok {
		t.Fatalf("a finding names %q, not a person's reference", ref)
	}
	p := s.persons[pid]
	if classOf(p) == access.Child {
		t.Fatalf("a finding shows %s, a child, to %s", pid, role.Name)
	}
	if isShielded(p) != (pv["shielded"] == true) {
		t.Fatalf("a finding shows %s as shielded %v", pid, pv["shielded"])
	}
	e := expectation{class: access.Adult}
	for _, r := range p.Records {
		if role.Source(r.Source) && inWindow(r) && evidenceSource(r.Source) && !isShielded(p) {
			e.visible = append(e.visible, r)
		}
	}
	want := map[string]bool{}
	if len(e.visible) > 0 {
		want = fieldsFor(role, e, show)
	}
	maps.DeleteFunc(want, func(f string, _ bool) bool { return strings.HasPrefix(f, "flags.") || f == "identifiers.nhs" })
	if got := shown(pv); !maps.Equal(got, want) {
		t.Fatalf("a finding shows %s to %s with fields %v, want %v", pid, role.Name, keys(got), keys(want))
	}
}

// checkEvidenceRow: an evidence record is of a person the finding may
// show, with its property and dates, and names its record only for a
// source the role sees, of a person not shielded.
func checkEvidenceRow(t *testing.T, s *server, role *access.Role, ev map[string]any) {
	t.Helper()
	pid, ok := s.refs[ev["person"].(string)]
	if !ok || classOf(s.persons[pid]) == access.Child {
		t.Fatalf("evidence %v is of no person, or of a child", ev)
	}
	src := ev["source"].(string)
	_, named := ev["id"]
	if !evidenceSource(src) || named != (role.Source(src) && !isShielded(s.persons[pid])) || ev["last_active"] == nil {
		t.Fatalf("evidence %v shown to %s", ev, role.Name)
	}
}

// fraudPages are the fraud pages, with the page each draws for the fraud
// role (a form's POST answers with the finding's page, or the list).
func fraudPages(id string) []struct{ method, path, page string } {
	return []struct{ method, path, page string }{
		{"GET", "/fraud", "fraud"},
		{"GET", "/fraud?check=spd&min_score=0.6&status=unreviewed", "fraud"},
		{"GET", "/fraud/findings/" + id, "finding"},
		{"POST", "/fraud/findings/" + id + "/review", "finding"},
		{"POST", "/fraud/run", "fraud"},
	}
}

// TestFraudPages opens every fraud page as every role: only fraud gets
// them (a review recorded, a run started), with a link to them in its
// navigation; every other role gets the 403 page, with no such link, and
// its forms record nothing.
func TestFraudPages(t *testing.T) {
	s := newServer(t, web.Config{})
	id := firstFinding(t, s, fraud.Subletting).ID
	for _, name := range s.svc.Policy().Roles() {
		role, _ := s.svc.Policy().Role(name)
		pc := &pageClient{t: t, s: s, tok: s.tokens[name], c: &http.Client{Jar: must(cookiejar.New(nil))}}
		_, _, body := pc.do("GET", "/fraud", nil)
		csrf := csrfInput.FindStringSubmatch(body)
		if csrf == nil {
			t.Fatalf("as %s: no CSRF token on the page", name)
		}
		form := url.Values{"csrf": {csrf[1]}, "outcome": {"no_fraud"}, "note": {"pages"}, "check": {"subletting"}}
		for _, pg := range fraudPages(id) {
			var sent url.Values
			if pg.method == "POST" {
				sent = form
			}
			got, st, body := pc.do(pg.method, pg.path, sent)
			switch {
			case role.Can(access.FraudFindings) && (got != pg.page || st != "200" || !strings.Contains(body, `href="/fraud"`)):
				t.Fatalf("%s %s as %s: %s %s, want the %s page with a link to the findings", pg.method, pg.path, name, got, st, pg.page)
			case !role.Can(access.FraudFindings) && (got != "error" || st != "403" || strings.Contains(body, `href="/fraud"`)):
				t.Fatalf("%s %s as %s: %s %s, want 403 with no link to the findings", pg.method, pg.path, name, got, st)
			}
		}
	}
	if r, ok := storedReview(t, s, id); !ok || r.Outcome != "no_fraud" || r.By != "token:test-fraud" {
		t.Fatalf("after the pages, finding %s's review: %+v", id, r)
	}
}

// TestFraudBadRequests: what the fraud endpoints and pages cannot serve
// is refused naming the field, with 400 (a check or finding that does not
// exist, 404), and a form's problem is shown on its page.
func TestFraudBadRequests(t *testing.T) {
	s := newServer(t, web.Config{})
	tok := s.tokens["fraud"]
	id := firstFinding(t, s, fraud.SPD).ID
	long := strings.Repeat("n", fraud.MaxNoteLen+1)
	for _, c := range []struct {
		method, path string
		body         any
		status       int
		field        string
	}{
		{"GET", "/api/v1/fraud/spd?min_score=high", nil, 400, "min_score"},
		{"GET", "/api/v1/fraud/spd?min_score=1.5", nil, 400, "min_score"},
		{"GET", "/api/v1/fraud/spd?min_score=NaN", nil, 400, "min_score"},
		{"GET", "/api/v1/fraud/spd?min_score=0.5&min_score=0.6", nil, 400, "min_score"},
		{"GET", "/api/v1/fraud/spd?signal=tenant_dormant", nil, 400, "signal"},
		{"GET", "/api/v1/fraud/spd?signal=moon_phase", nil, 400, "signal"},
		{"GET", "/api/v1/fraud/spd?status=open", nil, 400, "status"},
		{"GET", "/api/v1/fraud/spd?score=0.5", nil, 400, "score"},
		{"GET", "/api/v1/fraud/spd?page_size=0", nil, 400, "page_size"},
		{"POST", "/api/v1/fraud/findings/" + id + "/review", map[string]any{"outcome": "guilty"}, 400, "outcome"},
		{"POST", "/api/v1/fraud/findings/" + id + "/review", map[string]any{"outcome": "no_fraud", "note": long}, 400, "note"},
		{"POST", "/api/v1/fraud/findings/" + id + "/review", map[string]any{"outcome": "no_fraud", "verdict": "x"}, 400, "body"},
		{"POST", "/api/v1/fraud/run", map[string]any{"now": true}, 400, "body"},
		{"GET", "/api/v1/fraud/burglary", nil, 404, ""},
		{"GET", "/api/v1/fraud/findings/FS000000000000", nil, 404, ""},
		{"POST", "/api/v1/fraud/findings/FD000000000000/review", map[string]any{"outcome": "no_fraud"}, 404, ""},
	} {
		code, body := s.call(t, c.method, c.path, tok, "", c.body)
		e, _ := body["error"].(map[string]any)
		if code != c.status || e == nil || (c.field != "" && e["field"] != c.field) {
			t.Errorf("%s %s: status %d, error %v; want %d naming %q", c.method, c.path, code, e, c.status, c.field)
		}
	}
	if r, ok := storedReview(t, s, id); ok && r.Note == long {
		t.Error("a refused review was kept")
	}
	checkFraudFormProblems(t, s, id)
}

// checkFraudFormProblems: the findings page names a filter it cannot use,
// and the finding's page a review it cannot keep, each on the form with
// 400; a check that does not exist is the 404 page.
func checkFraudFormProblems(t *testing.T, s *server, id string) {
	t.Helper()
	pc := &pageClient{t: t, s: s, tok: s.tokens["fraud"], c: &http.Client{Jar: must(cookiejar.New(nil))}}
	for path, field := range map[string]string{
		"/fraud?min_score=high":              "min_score",
		"/fraud?check=spd&signal=moon_phase": "signal",
		"/fraud?status=open":                 "status",
		"/fraud?colour=red":                  "signal",
	} {
		if pg, st, body := pc.do("GET", path, nil); pg != "fraud" || st != "400" || !strings.Contains(body, `href="#`+field+`"`) {
			t.Errorf("%s: %s %s, want the findings page with 400 and a problem linked to #%s", path, pg, st, field)
		}
	}
	if pg, st, _ := pc.do("GET", "/fraud?check=burglary", nil); pg != "error" || st != "404" {
		t.Errorf("an unknown check: %s %s, want 404", pg, st)
	}
	_, _, body := pc.do("GET", "/fraud/findings/"+id, nil)
	csrf := csrfInput.FindStringSubmatch(body)[1]
	for _, c := range []struct {
		form  url.Values
		field string
	}{
		{url.Values{"csrf": {csrf}, "outcome": {"guilty"}}, "outcome"},
		{url.Values{"csrf": {csrf}, "outcome": {"no_fraud"}, "note": {strings.Repeat("n", fraud.MaxNoteLen+1)}}, "note"},
	} {
		if pg, st, body := pc.do("POST", "/fraud/findings/"+id+"/review", c.form); pg != "finding" || st != "400" || !strings.Contains(body, `href="#`+c.field+`"`) {
			t.Errorf("a review with a bad %s: %s %s, want the finding with 400 naming it", c.field, pg, st)
		}
	}
}

// TestFindingsWhileRunning: before the first run of the checks ends, the
// findings page says they are running and the API answers 503 with
// Retry-After, each after a short wait rather than the whole run's.
func TestFindingsWhileRunning(t *testing.T) {
	b := *mustBorough(t)
	gate := make(chan struct{})
	t.Cleanup(func() {
		close(gate)
		for b.fraud.Running() { // the run reads the shared store, which must outlive it
			time.Sleep(10 * time.Millisecond)
		}
	})
	b.fraud = fraud.NewCache(func(fn func(string, *resindex.Record, resindex.Property) error) error {
		<-gate
		return liveRecords(b.db)(fn)
	}, 0)
	s := serverOn(t, &b, web.Config{})
	done := make(chan string)
	go func() {
		pc := &pageClient{t: t, s: s, tok: s.tokens["fraud"], c: &http.Client{}}
		pg, st, body := pc.do("GET", "/fraud", nil)
		done <- pg + " " + st + " " + strconv.FormatBool(strings.Contains(body, `id="running"`))
	}()
	req, _ := http.NewRequest("GET", s.url+"/api/v1/fraud/spd", nil)
	req.Header.Set("Authorization", "Bearer "+s.tokens["fraud"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("the API while the checks run: %d, Retry-After %q; want 503 with it", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if got := <-done; got != "fraud 503 true" {
		t.Errorf("the page while the checks run: %s, want the findings page with 503 saying they are running", got)
	}
}

// TestFraudMalformedFromOtherRoles: a role without fraud_findings is
// refused before its request is read, so a malformed one tells it nothing
// the well-formed one would not: 403, never 400.
func TestFraudMalformedFromOtherRoles(t *testing.T) {
	s := newServer(t, web.Config{})
	tok := s.tokens["frontline"]
	for _, c := range []struct {
		method, path string
		body         any
	}{
		{"GET", "/api/v1/fraud/spd?min_score=high", nil},
		{"GET", "/api/v1/fraud/spd?colour=red", nil},
		{"GET", "/api/v1/fraud/findings/FS000000000000?colour=red", nil},
		{"POST", "/api/v1/fraud/findings/FS000000000000/review", map[string]any{"verdict": "x"}},
		{"POST", "/api/v1/fraud/run", map[string]any{"now": true}},
	} {
		if code, _ := s.call(t, c.method, c.path, tok, "", c.body); code != 403 {
			t.Errorf("%s %s as frontline: %d, want 403", c.method, c.path, code)
		}
	}
	pc := &pageClient{t: t, s: s, tok: tok, c: &http.Client{Jar: must(cookiejar.New(nil))}}
	for _, path := range []string{"/fraud?min_score=high", "/fraud?colour=red"} {
		if pg, st, body := pc.do("GET", path, nil); pg != "error" || st != "403" || strings.Contains(body, "Run the checks") {
			t.Errorf("%s as frontline: %s %s, want the 403 page", path, pg, st)
		}
	}
}
