package web_test

import (
	"context"
	_ "embed"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/alerts"
	"github.com/resindex/resindex/web"
)

// The staff UI in a real browser: Debian's Chromium driven by chromedp.
// Each role signs in through the demo's role picker and walks search →
// person → household → why linked; what each page shows is checked
// against the same oracle as the access matrix, and every page against
// WCAG 2.2 A and AA with axe-core.

//go:embed testdata/axe/axe.min.js
var axeJS string

// chromium finds the browser: $RESINDEX_CHROMIUM, or chromium on the
// PATH. Without one the test skips, except under CI.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("RESINDEX_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "" {
		t.Skip("no Chromium found (install Debian's chromium, or set RESINDEX_CHROMIUM)")
	}
	t.Fatal("CI is set and no Chromium was found: .ci/run installs it")
	return ""
}

// startBrowser starts one headless Chromium for a test.
func startBrowser(t *testing.T, width, height int, more ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)), chromedp.NoSandbox, chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(width, height))
	opts = append(opts, more...)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatal(err)
	}
	return ctx
}

// screenshotDir is where screenshots go: $RESINDEX_SCREENSHOTS (CI keeps
// it in the workspace), else a new temporary folder that is kept.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("RESINDEX_SCREENSHOTS")
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "resindex-screenshots-"); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return dir
}

// tab is one signed-in browser walking the UI as one role.
type tab struct {
	t     *testing.T
	ctx   context.Context
	s     *server
	role  *access.Role
	shots string          // "" takes none
	seen  map[string]bool // page kinds already checked with axe (and shot)
	noAxe bool            // scripts are off: axe cannot run
}

// step bounds one browser action, so that a page that never loads fails
// the test instead of hanging it.
func (b *tab) step() context.Context {
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	b.t.Cleanup(cancel)
	return ctx
}

// pageState is what a page shows, read from its markup.
type pageState struct {
	Page      string   `json:"page"`
	Status    string   `json:"status"`
	H1        string   `json:"h1"`
	Fields    []string `json:"fields"`
	Records   []string `json:"records"`
	From      []string `json:"from"`
	Refs      []string `json:"refs"`
	Pairs     []string `json:"pairs"`
	Supported bool     `json:"supported"`
}

const readPage = `(() => {
  const main = document.querySelector('main');
  const all = (sel, f) => [...document.querySelectorAll(sel)].map(f);
  return {
    page: main ? main.dataset.page : '', status: main ? main.dataset.status : '',
    h1: (document.querySelector('h1') || {textContent: ''}).textContent.trim(),
    fields: [...new Set(all('main [data-field]', e => e.dataset.field))].sort(),
    records: all('main [data-record]', e => e.dataset.record),
    from: all('main [data-from]', e => e.dataset.from),
    refs: all('main [data-ref]', e => e.dataset.ref),
    pairs: all('main [data-pair]', e => e.dataset.pair),
    supported: document.body.classList.contains('govuk-frontend-supported'),
  };
})()`

// summaryOf checks the fields one person's summary on the page shows (a
// search result, a household member: the element marked with their
// reference) against the oracle, and returns what the oracle expects of
// them.
func (b *tab) summaryOf(ref string, withReason bool, what string) expectation {
	b.t.Helper()
	js := fmt.Sprintf(`[...new Set([...document.querySelectorAll('main [data-ref=%q] [data-field]')].map(e => e.dataset.field))].sort()`, ref)
	fields, err := chromedp.Run(b.step(), chromedp.Evaluate[[]string](js))
	if err != nil {
		b.t.Fatal(err)
	}
	e := expect(b.role, b.s.persons[b.s.refs[ref]], withReason)
	if g, w := set(fields), fieldsFor(b.role, e, summary); e.status == http.StatusOK && !maps.Equal(g, w) {
		b.t.Fatalf("%s %s as %s: fields %v, want %v", what, ref, b.role.Name, keys(g), keys(w))
	}
	return e
}

// open loads a page and reads it, checking it with axe (and taking its
// screenshot) the first time this tab sees its kind.
func (b *tab) open(path string) pageState {
	b.t.Helper()
	if err := chromedp.Do(b.step(), chromedp.Navigate(b.s.url+path)); err != nil {
		b.t.Fatalf("%s: %v", path, err)
	}
	return b.read()
}

// submit clicks a form's button and waits for the next page.
func (b *tab) submit(actions ...chromedp.Action[chromedp.Void]) pageState {
	b.t.Helper()
	if _, err := chromedp.Run(b.step(), chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Steps(actions...))); err != nil {
		b.t.Fatal(err)
	}
	return b.read()
}

func (b *tab) read() pageState {
	b.t.Helper()
	st, err := chromedp.Run(b.step(), chromedp.Evaluate[pageState](readPage))
	if err != nil {
		b.t.Fatal(err)
	}
	kind := st.Page + "-" + st.Status
	if st.Page == "search" && len(st.Refs) > 0 {
		kind += "-results" // the empty form and a page of results are checked apart
	}
	if st.Page != "" && !b.seen[kind] {
		b.seen[kind] = true
		if !b.noAxe {
			b.axe(kind)
		}
		b.screenshot(kind)
	}
	return st
}

type axeResult struct {
	Passes     int
	Violations []struct {
		ID, Impact, Help string
		Nodes            []struct{ Target []any }
	}
}

// axe checks the page against WCAG 2.0, 2.1 and 2.2, levels A and AA.
func (b *tab) axe(kind string) {
	b.t.Helper()
	const run = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}}).then(r => ({violations: r.violations, passes: r.passes.length}))`
	if err := chromedp.Do(b.step(), chromedp.Evaluate[chromedp.Void](axeJS)); err != nil {
		b.t.Fatal(err)
	}
	res, err := chromedp.Run(b.step(), chromedp.Evaluate[axeResult](run, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatal(err)
	}
	if res.Passes == 0 {
		b.t.Fatalf("axe checked nothing on the %s page", kind)
	}
	for _, v := range res.Violations {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, fmt.Sprint(n.Target...))
		}
		b.t.Errorf("axe, %s page as %s: %s (%s): %s at %s", kind, b.role.Name, v.ID, v.Impact, v.Help, strings.Join(where, "; "))
	}
}

func (b *tab) screenshot(kind string) {
	if b.shots == "" {
		return
	}
	png, err := chromedp.Run(b.step(), chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(b.shots, b.role.Name+"-"+kind+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// signIn picks the role on the demo's sign-in page.
func (b *tab) signIn() pageState {
	b.t.Helper()
	b.open("/signin")
	st := b.submit(chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name=role][value=%q]`, b.role.Name))),
		chromedp.Click(chromedp.CSS(`form[action="/auth/demo"] button[type=submit]`)))
	if !st.Supported {
		b.t.Errorf("GOV.UK Frontend's script did not run under the Content-Security-Policy")
	}
	return st
}

func (b *tab) signOut() {
	b.t.Helper()
	st := b.submit(chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)))
	if st.Page != "signin" {
		b.t.Fatalf("after signing out: the %s page, want sign-in", st.Page)
	}
	if st := b.open("/search"); st.Page != "signin" {
		b.t.Fatalf("after signing out, /search shows the %s page", st.Page)
	}
}

// TestStaffUI signs in as every role and walks the pages it may use.
func TestStaffUI(t *testing.T) {
	ctx := startBrowser(t, 1280, 900)
	s := newServer(t, uiConfig())
	sample := pickSample(t, s)
	shots := screenshotDir(t)
	pol := s.svc.Policy()
	for i, name := range pol.Roles() {
		role, _ := pol.Role(name)
		t.Run(name, func(t *testing.T) {
			if i == 0 {
				signinError(t, ctx, s, role)
			}
			b := &tab{t: t, ctx: ctx, s: s, role: role, seen: map[string]bool{}}
			if name == "frontline" || name == "safeguarding" || name == "data_steward" || name == "auditor" || name == "fraud" {
				b.shots = shots
			}
			landing := b.signIn()
			seesPeople := role.Sees(access.Adult) || role.Sees(access.Child)
			switch {
			case seesPeople && landing.Page != "search":
				t.Fatalf("signed in as %s: landed on the %s page, want search", name, landing.Page)
			case !seesPeople && landing.Page == "search":
				t.Fatalf("signed in as %s, which sees no one: landed on search", name)
			}
			if seesPeople {
				for i, pid := range sample {
					if i%4 == 0 {
						b.walk(s.persons[pid])
					}
				}
			} else if st := b.open("/search"); st.Page != "error" || st.Status != "403" {
				t.Fatalf("search as %s, which sees no one: %s %s, want the 403 error page", name, st.Page, st.Status)
			}
			b.checkAbilityPages()
			if st := b.open("/no/such/page"); st.Page != "error" || st.Status != "404" {
				t.Fatalf("a missing page: %s %s", st.Page, st.Status)
			}
			b.signOut()
		})
	}
	if t.Failed() {
		return
	}
	if _, err := s.db.VerifyAudit(); err != nil {
		t.Error(err)
	}
}

// walk searches for a person as a member of staff would, then opens their
// person, household and why-linked pages, with and without a reason.
func (b *tab) walk(p resindex.Person) {
	b.t.Helper()
	if !b.seen["search-400"] {
		b.open("/search")
		st := b.submit(chromedp.SetValue(chromedp.ID("dob"), "31/02/1990"), chromedp.Click(chromedp.CSS(`form[action="/search"] button`)))
		if st.Status != "400" {
			b.t.Fatalf("a search by an impossible date of birth as %s: status %s, want 400 with an error summary", b.role.Name, st.Status)
		}
	}
	b.search(p)
	ref := b.s.svc.Ref(p.ID)
	for _, reason := range []string{"", "section 47 enquiry"} {
		e := expect(b.role, p, reason != "")
		q := ""
		if reason != "" {
			q = "?" + url.Values{"reason": {reason}}.Encode()
		}
		b.person(ref+q, e)
		b.household(ref, q, p, e, reason)
		b.why(ref+"/why"+q, e)
	}
}

// wantPage checks a person page's kind against the oracle's status: 404
// the error page, 403 the reason page.
func (b *tab) wantPage(path string, st pageState, status int) bool {
	b.t.Helper()
	want := map[int]string{200: "", 403: "reason", 404: "error"}[status]
	switch {
	case status == http.StatusOK && (st.Page == "error" || st.Page == "reason"):
		b.t.Fatalf("%s as %s: the %s page (%s), want the person's", path, b.role.Name, st.Page, st.Status)
	case status != http.StatusOK && st.Page != want:
		b.t.Fatalf("%s as %s: the %s page, want %s (%d)", path, b.role.Name, st.Page, want, status)
	}
	return status == http.StatusOK
}

func (b *tab) person(path string, e expectation) {
	b.t.Helper()
	st := b.open("/persons/" + path)
	if !b.wantPage(path, st, e.status) {
		return
	}
	if got, want := set(st.Fields), fieldsFor(b.role, e, nil); !maps.Equal(got, want) {
		b.t.Fatalf("person %s as %s: fields\n got %v\nwant %v", path, b.role.Name, keys(got), keys(want))
	}
	visible := e.keys()
	if b.role.Field(e.class, "sources") {
		if got := set(st.Records); !maps.Equal(got, visible) {
			b.t.Fatalf("person %s as %s: source records %v, want the visible %v", path, b.role.Name, keys(got), keys(visible))
		}
	} else if len(st.From) > 0 || len(st.Records) > 0 {
		b.t.Fatalf("person %s: provenance shown to %s, which does not see sources", path, b.role.Name)
	}
	for _, f := range st.From {
		if !visible[f] {
			b.t.Fatalf("person %s as %s: a value from %s, a record it may not see", path, b.role.Name, f)
		}
	}
}

// shown checks a page that needs a field of the person's class: the
// error page with 403 for a role that would see the person but lacks the
// field, else the person's own status; ok means it is the page itself.
func (b *tab) shown(path string, st pageState, e expectation, field string) bool {
	b.t.Helper()
	if e.status == http.StatusOK && !b.role.Field(e.class, field) {
		if st.Page != "error" || st.Status != "403" {
			b.t.Fatalf("%s as %s, without the %s field: %s %s, want 403", path, b.role.Name, field, st.Page, st.Status)
		}
		return false
	}
	return b.wantPage(path, st, e.status)
}

func (b *tab) household(ref, q string, p resindex.Person, e expectation, reason string) {
	b.t.Helper()
	path := ref + "/household" + q
	st := b.open("/persons/" + path)
	if !b.shown(path, st, e, "household") {
		return
	}
	want := householdWant(b.s, b.role, p, e, reason)
	if got := set(st.Refs); !maps.Equal(got, want) {
		b.t.Fatalf("household of %s as %s: %d members shown, want %d", ref, b.role.Name, len(got), len(want))
	}
	for _, m := range st.Refs {
		b.summaryOf(m, reason != "", "household member")
	}
}

// householdWant is who the oracle says a household page shows: the person
// and whoever the role may see whose own visible address is the same
// property.
func householdWant(s *server, role *access.Role, p resindex.Person, e expectation, reason string) map[string]bool {
	want := map[string]bool{s.svc.Ref(p.ID): true}
	key := visibleProperty(s, e)
	if key == "" {
		return want
	}
	members, _ := s.eng.Household(key)
	for _, m := range members {
		if me := expect(role, s.persons[m], reason != ""); me.status == http.StatusOK && visibleProperty(s, me) == key {
			want[s.svc.Ref(m)] = true
		}
	}
	return want
}

func (b *tab) why(path string, e expectation) {
	b.t.Helper()
	st := b.open("/persons/" + path)
	if !b.shown(path, st, e, "links") {
		return
	}
	if n := len(st.Pairs); n != max(len(e.visible)-1, 0) {
		b.t.Fatalf("why %s as %s: %d pairs among %d visible records", path, b.role.Name, n, len(e.visible))
	}
	visible := e.keys()
	for _, pair := range st.Pairs {
		for _, rec := range strings.Split(pair, "|") {
			if b.role.Field(e.class, "sources") != visible[rec] {
				b.t.Fatalf("why %s as %s names %q (sources granted: %v)", path, b.role.Name, rec, b.role.Field(e.class, "sources"))
			}
		}
	}
}

// search fills the search form with a record's name and date of birth
// (typed as staff type it) and checks the results: the same persons as the
// API gives, each showing the fields the oracle allows, and the person
// among them exactly when the role may see them.
func (b *tab) search(p resindex.Person) {
	b.t.Helper()
	e := expect(b.role, p, false)
	r := p.Records[0]
	if e.status == http.StatusOK {
		r = e.visible[0]
	}
	dob, err := time.Parse("2006-01-02", r.DOB)
	if r.Name.Family == "" || err != nil {
		return
	}
	b.open("/search")
	st := b.submit(chromedp.SetValue(chromedp.ID("given"), r.Name.Given), chromedp.SetValue(chromedp.ID("family"), r.Name.Family),
		chromedp.SetValue(chromedp.ID("dob"), dob.Format("02/01/2006")), chromedp.Click(chromedp.CSS(`form[action="/search"] button`)))
	if st.Page != "search" || st.Status != "200" {
		b.t.Fatalf("search as %s: %s %s", b.role.Name, st.Page, st.Status)
	}
	q := url.Values{"given": {r.Name.Given}, "family": {r.Name.Family}, "dob": {r.DOB}, "page_size": {"20"}}
	code, body := b.s.call(b.t, "GET", "/api/v1/persons?"+q.Encode(), b.s.tokens[b.role.Name], "", nil)
	if code != http.StatusOK {
		b.t.Fatalf("the API's search as %s: %d", b.role.Name, code)
	}
	var api []string
	for _, x := range body["results"].([]any) {
		api = append(api, x.(map[string]any)["id"].(string))
	}
	if !slices.Equal(st.Refs, api) {
		b.t.Fatalf("search as %s: the page shows %v, the API gives %v", b.role.Name, st.Refs, api)
	}
	for _, ref := range st.Refs {
		if re := b.summaryOf(ref, false, "search result"); re.status != http.StatusOK {
			b.t.Fatalf("search as %s shows %s, whom it may not see without a reason", b.role.Name, ref)
		}
	}
	if found := slices.Contains(st.Refs, b.s.svc.Ref(p.ID)); found != (e.status == http.StatusOK) {
		b.t.Fatalf("search for a record of %s as %s: found %v, want %v", p.ID, b.role.Name, found, e.status == http.StatusOK)
	}
}

// checkAbilityPages opens the review queue and the audit log: each only
// for the role with the ability.
func (b *tab) checkAbilityPages() {
	b.t.Helper()
	for _, pg := range []struct {
		path string
		need access.Ability
	}{{"/review", access.ReviewMatches}, {"/audit", access.ReadAudit}, {"/alerts", access.Alerts}, {"/fraud", access.FraudFindings}} {
		st := b.open(pg.path)
		switch {
		case b.role.Can(pg.need) && st.Page != strings.TrimPrefix(pg.path, "/"):
			b.t.Fatalf("%s as %s: the %s page (%s)", pg.path, b.role.Name, st.Page, st.Status)
		case !b.role.Can(pg.need) && (st.Page != "error" || st.Status != "403"):
			b.t.Fatalf("%s as %s, without %s: %s %s, want the 403 error page", pg.path, b.role.Name, pg.need, st.Page, st.Status)
		}
	}
	if b.role.Can(access.ReadAudit) {
		b.checkAudit()
	}
	if b.role.Can(access.Alerts) {
		b.checkAlerts()
	}
	if b.role.Can(access.FraudFindings) {
		b.checkFraud()
	}
}

// checkAlerts opens the inbox and an alert (each checked with axe): the
// borough's alerts are listed, the link in the navigation counts the new
// ones, and the persons linked to are the alert's. As safeguarding it
// takes a fresh alert through the forms, from new to acknowledged to
// closed, refused first for want of an outcome and a note.
func (b *tab) checkAlerts() {
	b.t.Helper()
	st := b.open("/alerts")
	listed := b.eval(`[...document.querySelectorAll('main tr[data-alert]')].map(e => e.dataset.alert)`)
	for _, id := range b.s.alerts {
		if !slices.Contains(listed, id) {
			b.t.Fatalf("the inbox as %s lists %v, not alert %s", b.role.Name, listed, id)
		}
	}
	for _, ref := range st.Refs {
		if _, ok := b.s.refs[ref]; !ok {
			b.t.Fatalf("the inbox as %s links to %q, not a person's reference", b.role.Name, ref)
		}
	}
	if nav := b.eval(`[...document.querySelectorAll('.govuk-service-navigation__link[href="/alerts"]')].map(e => e.textContent.trim())`); len(nav) != 1 ||
		!strings.HasPrefix(nav[0], "Alerts (") || !strings.HasSuffix(nav[0], " new)") {
		b.t.Fatalf("the navigation as %s: %v, want one link \"Alerts (N new)\"", b.role.Name, nav)
	}
	st = b.open("/alerts/" + b.s.alerts[0])
	want := []string{b.s.svc.Ref(b.s.alert.Adult.Person), b.s.svc.Ref(b.s.alert.Children[0].Person)}
	if st.Page != "alert" || st.Status != "200" || !slices.Equal(st.Refs, want) {
		b.t.Fatalf("alert %s as %s: %s %s linking to %v, want the alert's adult and child %v", b.s.alerts[0], b.role.Name, st.Page, st.Status, st.Refs, want)
	}
	if b.role.Name == "safeguarding" {
		b.workAlert()
	}
}

// workAlert acknowledges and closes a fresh alert with the alert page's
// forms.
func (b *tab) workAlert() {
	b.t.Helper()
	id, err := b.s.raise(b.s.alert)
	if err != nil {
		b.t.Fatal(err)
	}
	b.open("/alerts/" + id)
	st := b.submit(chromedp.SetValue(chromedp.ID("assignee"), "j.bloggs"), chromedp.Click(chromedp.CSS(`form[action$="/acknowledge"] button`)))
	b.wantAlert(st, "200", resindex.AlertAcknowledged)
	st = b.submit(chromedp.Click(chromedp.CSS(`form[action$="/close"] button`)))
	if errs := b.eval(`[...document.querySelectorAll('.govuk-error-summary__list a')].map(e => e.getAttribute('href'))`); !slices.Equal(errs, []string{"#outcome", "#note"}) {
		b.t.Fatalf("closing without an outcome or a note: errors %v, want the outcome's and the note's", errs)
	}
	b.wantAlert(st, "400", resindex.AlertAcknowledged)
	st = b.submit(chromedp.SetValue(chromedp.ID("outcome"), "referred"), chromedp.SetValue(chromedp.ID("note"), "referred to the MASH"),
		chromedp.Click(chromedp.CSS(`form[action$="/close"] button`)))
	b.wantAlert(st, "200", resindex.AlertClosed)
	a, err := alerts.Get(b.s.db, id)
	if err != nil || a.Assignee != "j.bloggs" || a.Outcome != "referred" || len(a.History) != 3 || a.History[2].By != "demo:safeguarding" {
		b.t.Fatalf("after the forms, alert %s: assignee %q, outcome %q, history %+v (%v)", id, a.Assignee, a.Outcome, a.History, err)
	}
}

// wantAlert checks the page is an alert's, with a status, showing the
// alert in a state.
func (b *tab) wantAlert(st pageState, status, state string) {
	b.t.Helper()
	got := b.eval(`[(document.querySelector('[data-alert-status]') || {dataset: {}}).dataset.alertStatus || '']`)
	if st.Page != "alert" || st.Status != status || got[0] != state {
		b.t.Fatalf("as %s: the %s page (%s) showing an alert %s, want the alert page (%s) showing it %s", b.role.Name, st.Page, st.Status, got[0], status, state)
	}
}

// eval runs a script on the page that gives a list of texts.
func (b *tab) eval(js string) []string {
	b.t.Helper()
	out, err := chromedp.Run(b.step(), chromedp.Evaluate[[]string](js))
	if err != nil {
		b.t.Fatal(err)
	}
	return out
}

// checkAudit filters the log by action and checks the chain's status.
func (b *tab) checkAudit() {
	b.t.Helper()
	st := b.open("/audit?action=signin")
	text, err := chromedp.Run(b.step(), chromedp.Text(chromedp.ID("chain")))
	if err != nil {
		b.t.Fatal(err)
	}
	if !strings.Contains(text, "intact") {
		b.t.Fatalf("audit page: the chain's status says %q", text)
	}
	actions, err := chromedp.Run(b.step(), chromedp.Evaluate[[]string](`[...document.querySelectorAll('tbody tr td:nth-child(4)')].map(e => e.textContent.trim())`))
	if err != nil {
		b.t.Fatal(err)
	}
	if len(actions) == 0 || slices.ContainsFunc(actions, func(a string) bool { return a != "signin" }) {
		b.t.Fatalf("audit filtered by signin: actions %v", actions)
	}
	if st = b.open("/audit?since=31/02/2026"); st.Status != "400" {
		b.t.Fatalf("audit with an impossible date: status %s, want 400 with an error summary", st.Status)
	}
}

func set(list []string) map[string]bool {
	out := map[string]bool{}
	for _, x := range list {
		out[x] = true
	}
	return out
}

// TestKeyboardOnly completes a search and opens a person with the keyboard
// alone.
func TestKeyboardOnly(t *testing.T) {
	ctx := startBrowser(t, 1280, 900)
	s := newServer(t, uiConfig())
	pol := s.svc.Policy()
	role, _ := pol.Role("frontline")
	b := &tab{t: t, ctx: ctx, s: s, role: role, seen: map[string]bool{"search-200": true, "signin-200": true, "person-200": true}}
	b.signIn()
	b.open("/search")
	b.tabTo(`document.activeElement.id === 'family'`, 30)
	if err := chromedp.Do(ctx, chromedp.KeyEvent("Smith")); err != nil {
		t.Fatal(err)
	}
	st := b.submit(chromedp.KeyEvent(kb.Enter))
	if st.Page != "search" || len(st.Refs) == 0 {
		t.Fatalf("after typing a name and Enter: %s page with %d results", st.Page, len(st.Refs))
	}
	b.tabTo(`document.activeElement.matches('main [data-ref] a')`, 60)
	st = b.submit(chromedp.KeyEvent(kb.Enter))
	if st.Page != "person" {
		t.Fatalf("Enter on a result: the %s page, want a person", st.Page)
	}
}

// focusShown is "" when the focused element shows its focus (an outline
// or a box shadow: GOV.UK Frontend's yellow focus state) or nothing is
// focused, and otherwise describes the element.
const focusShown = `(() => {
  const e = document.activeElement;
  if (!e || e === document.body) return '';
  const s = getComputedStyle(e);
  if ((s.outlineStyle !== 'none' && s.outlineWidth !== '0px') || s.boxShadow !== 'none') return '';
  return e.tagName + (e.id ? '#' + e.id : '') + ' ' + (e.textContent || '').trim().slice(0, 30);
})()`

// tabTo presses Tab until the focused element satisfies a condition,
// checking on the way that every element focused shows its focus.
func (b *tab) tabTo(cond string, most int) {
	b.t.Helper()
	for range most {
		if err := chromedp.Do(b.step(), chromedp.KeyEvent(kb.Tab)); err != nil {
			b.t.Fatal(err)
		}
		if hidden, err := chromedp.Run(b.step(), chromedp.Evaluate[string](focusShown)); err != nil || hidden != "" {
			b.t.Errorf("focus is not visible on %s (%v)", hidden, err)
		}
		ok, err := chromedp.Run(b.step(), chromedp.Evaluate[bool](cond))
		if err != nil {
			b.t.Fatal(err)
		}
		if ok {
			return
		}
	}
	b.t.Fatalf("%d presses of Tab did not reach %s", most, cond)
}

// TestStewardReview links a pair from the review queue, sees the outcome,
// and undoes it, on a borough of its own (the decisions change it).
func TestStewardReview(t *testing.T) {
	ctx := startBrowser(t, 1280, 900)
	bor, err := loadBorough(400, 5)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bor.db.Close() })
	s := serverOn(t, bor, uiConfig())
	role, _ := s.svc.Policy().Role("data_steward")
	b := &tab{t: t, ctx: ctx, s: s, role: role, seen: map[string]bool{}, shots: screenshotDir(t)}
	b.signIn()
	b.open("/review")
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('form[action="/review"] input[name=a]').length`)); err != nil || n == 0 {
		t.Fatalf("the review queue shows no pairs (%v)", err)
	}
	a, c := inputValue(b, `form[action="/review"] input[name=a]`), inputValue(b, `form[action="/review"] input[name=b]`)
	ka, kc := mustKey(t, a), mustKey(t, c)
	checkDecisionError(b, ka.Source)
	b.open("/review")
	// A decision without a reason is refused, with an error summary.
	st := b.submit(chromedp.Click(chromedp.ID("decision-0")), chromedp.Click(chromedp.CSS(`form[method=post][action="/review"] button`)))
	if st.Status != "400" {
		t.Fatalf("a decision without a reason: status %s, want 400", st.Status)
	}
	st = b.submit(chromedp.Click(chromedp.ID("decision-0")), chromedp.SetValue(chromedp.ID("reason-0"), "same NI number on the paper form"),
		chromedp.Click(chromedp.CSS(`form[method=post][action="/review"] button`)))
	if st.Page != "outcome" || len(st.Refs) != 2 || st.Refs[0] != st.Refs[1] {
		t.Fatalf("after linking %s and %s: %s page, persons %v, want one", a, c, st.Page, st.Refs)
	}
	if pa, _ := bor.eng.PersonOf(ka); pa != s.refs[st.Refs[0]] {
		t.Fatalf("the outcome shows %s, the index holds %s in %s", s.refs[st.Refs[0]], a, pa)
	}
	// Undo without a reason: the outcome again, with the error.
	if st = b.submit(chromedp.Click(chromedp.CSS(`form[method=post][action="/review"] button`))); st.Page != "outcome" || st.Status != "400" {
		t.Fatalf("an undo without a reason: %s %s, want the outcome page with 400", st.Page, st.Status)
	}
	st = b.submit(chromedp.SetValue(chromedp.ID("reason-0"), "linked by mistake"), chromedp.Click(chromedp.CSS(`form[method=post][action="/review"] button`)))
	if st.Page != "outcome" || len(st.Refs) != 2 || st.Refs[0] == st.Refs[1] {
		t.Fatalf("after unlinking: %s page, persons %v, want two", st.Page, st.Refs)
	}
	pa, _ := bor.eng.PersonOf(ka)
	pc, _ := bor.eng.PersonOf(kc)
	if pa == pc {
		t.Fatalf("after unlinking, the index still holds %s and %s in one person", a, c)
	}
	code, body := s.call(t, "GET", "/api/v1/audit?user=demo:data_steward", s.tokens["auditor"], "", nil)
	if code != http.StatusOK || !strings.Contains(fmt.Sprint(body), "override") {
		t.Fatalf("the steward's decisions are not in the audit log: %d", code)
	}
}

func inputValue(b *tab, sel string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.step(), chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector(%q).value`, sel)))
	if err != nil {
		b.t.Fatal(err)
	}
	return v
}

func mustKey(t *testing.T, s string) resindex.RecordKey {
	t.Helper()
	k, err := resindex.ParseRecordKey(s)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// uiConfig serves the demo's sign-in; sessions expire by the real clock,
// as the browser's cookies do.
func uiConfig() web.Config { return web.Config{Demo: true, Now: time.Now} }

// TestPhoneWidth walks search → person → household → why linked in a
// phone-sized window: no page may need sideways scrolling.
func TestPhoneWidth(t *testing.T) {
	ctx := startBrowser(t, 375, 812)
	s := newServer(t, uiConfig())
	role, _ := s.svc.Policy().Role("safeguarding")
	b := &tab{t: t, ctx: ctx, s: s, role: role, seen: map[string]bool{}, shots: filepath.Join(screenshotDir(t), "phone")}
	if err := os.MkdirAll(b.shots, 0o755); err != nil {
		t.Fatal(err)
	}
	b.signIn()
	b.open("/search")
	st := b.submit(chromedp.SetValue(chromedp.ID("family"), "Smith"), chromedp.Click(chromedp.CSS(`form[action="/search"] button`)))
	if len(st.Refs) == 0 {
		t.Fatal("no Smith in the borough")
	}
	b.fits("search results")
	for _, path := range []string{"", "/household", "/why"} {
		st := b.open("/persons/" + st.Refs[0] + path)
		if st.Status != "200" {
			t.Fatalf("%s as safeguarding on a phone: %s %s", path, st.Page, st.Status)
		}
		b.fits(st.Page)
	}
}

// fits checks the page is no wider than the window.
func (b *tab) fits(what string) {
	b.t.Helper()
	w, err := chromedp.Run(b.step(), chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth]`))
	if err != nil {
		b.t.Fatal(err)
	}
	if w[0] > w[1] {
		b.t.Errorf("the %s page is %d px wide in a %d px window: it scrolls sideways", what, w[0], w[1])
	}
}

// signinError submits the demo's sign-in without a role: the sign-in page
// again, with an error summary (and checked with axe like any page).
func signinError(t *testing.T, ctx context.Context, s *server, role *access.Role) {
	t.Helper()
	b := &tab{t: t, ctx: ctx, s: s, role: role, seen: map[string]bool{"signin-200": true}}
	b.open("/signin")
	st := b.submit(chromedp.Click(chromedp.CSS(`form[action="/auth/demo"] button[type=submit]`)))
	if st.Page != "signin" || st.Status != "400" {
		t.Fatalf("sign-in without a role: %s %s, want the sign-in page with 400", st.Page, st.Status)
	}
}

// checkDecisionError sends the last pair of a filtered page of the queue
// without a reason: the same filtered page comes back, the error on that
// pair's own form with its choice kept, and nothing recorded.
func checkDecisionError(b *tab, source string) {
	b.t.Helper()
	b.open("/review?" + url.Values{"source": {source}}.Encode())
	n, err := chromedp.Run(b.step(), chromedp.Evaluate[int](`document.querySelectorAll('form[method=post] input[name=a]').length`))
	if err != nil || n == 0 {
		b.t.Fatalf("the queue filtered by %s shows no pairs (%v)", source, err)
	}
	last := n - 1
	form := fmt.Sprintf(`document.querySelectorAll('form[method=post][action="/review"]')[%d]`, last)
	a, err := chromedp.Run(b.step(), chromedp.Evaluate[string](form+`.querySelector('input[name=a]').value`))
	if err != nil {
		b.t.Fatal(err)
	}
	st := b.submit(chromedp.Click(chromedp.ID(fmt.Sprintf("decision-%d-no", last))),
		chromedp.Evaluate[chromedp.Void](form+`.querySelector('button').click()`))
	if st.Page != "review" || st.Status != "400" {
		b.t.Fatalf("a decision without a reason: %s %s, want the queue with 400", st.Page, st.Status)
	}
	got, err := chromedp.Run(b.step(), chromedp.Evaluate[[]string](`[document.getElementById('source').value,
		(document.getElementById('reason-`+strconv.Itoa(last)+`-error') || {closest: () => null}).closest('form') ?
		document.getElementById('reason-`+strconv.Itoa(last)+`-error').closest('form').querySelector('input[name=a]').value : '',
		String(document.getElementById('decision-`+strconv.Itoa(last)+`-no').checked)]`))
	if err != nil {
		b.t.Fatal(err)
	}
	if want := []string{source, a, "true"}; !slices.Equal(got, want) {
		b.t.Fatalf("after a decision without a reason: filter, pair with the error, choice kept = %v, want %v", got, want)
	}
}

// TestWithoutJavaScript: the core flows work with the browser's scripts
// switched off — sign in, search, a person, their household and why their
// records are linked.
func TestWithoutJavaScript(t *testing.T) {
	// The page's scripts are off; DevTools can still read the page.
	ctx := startBrowser(t, 1280, 900, chromedp.Flag("blink-settings", "scriptEnabled=false"))
	s := newServer(t, uiConfig())
	role, _ := s.svc.Policy().Role("safeguarding")
	b := &tab{t: t, ctx: ctx, s: s, role: role, seen: map[string]bool{}, noAxe: true}
	b.open("/signin")
	st := b.submit(chromedp.Click(chromedp.CSS(`input[name=role][value=safeguarding]`)), chromedp.Click(chromedp.CSS(`form[action="/auth/demo"] button[type=submit]`)))
	if st.Supported {
		t.Fatal("GOV.UK Frontend's script ran: scripts are not off")
	}
	if st.Page != "search" {
		t.Fatalf("signed in without scripts: the %s page, want search", st.Page)
	}
	st = b.submit(chromedp.SendKeys(chromedp.ID("family"), "Smith"), chromedp.Click(chromedp.CSS(`form[action="/search"] button`)))
	if st.Page != "search" || len(st.Refs) == 0 {
		t.Fatalf("a search without scripts: %s page, %d results", st.Page, len(st.Refs))
	}
	for _, link := range []string{`main [data-ref] a`, `a[href$="/household"]`, `a[href*="/why"]`} {
		st = b.submit(chromedp.Click(chromedp.CSS(link)))
		if st.Status != "200" {
			t.Fatalf("following %s without scripts: %s %s", link, st.Page, st.Status)
		}
		if link != `a[href*="/why"]` && st.Page == "household" {
			st = b.submit(chromedp.Click(chromedp.CSS(`a.govuk-back-link`)))
		}
	}
	if st.Page != "why" {
		t.Fatalf("the walk without scripts ended on the %s page, want why", st.Page)
	}
}
