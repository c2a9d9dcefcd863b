package web_test

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/resindex/resindex"
)

// TestRightsPages walks, as information_governance in Chromium, from a
// person's page to the residents' rights hub and on to the subject access
// report, each page checked with axe-core: the hub links every action on
// the person's data; the report lists the records the API's report does,
// links to its JSON, names no other member of the household, and refuses
// to show them without a reason. Frontline, without the rights ability,
// gets the 403 page for both.
func TestRightsPages(t *testing.T) {
	ctx := startBrowser(t, 1280, 900)
	s := newServer(t, uiConfig())
	role, _ := s.svc.Policy().Role("information_governance")
	b := &tab{t: t, ctx: ctx, s: s, role: role, seen: map[string]bool{}, shots: filepath.Join(screenshotDir(t), "rights")}
	if err := os.MkdirAll(b.shots, 0o755); err != nil {
		t.Fatal(err)
	}
	b.signIn()
	p := sarPerson(t, s)
	ref := s.svc.Ref(p.ID)
	if st := b.open("/persons/" + ref); st.Page != "person" || st.Status != "200" {
		t.Fatalf("the person page: %s %s", st.Page, st.Status)
	}
	st := b.submit(chromedp.Click(chromedp.CSS(`main a[href^="/rights/"]`)))
	if st.Page != "rights" || st.Status != "200" {
		t.Fatalf("the rights link from the person page: %s %s", st.Page, st.Status)
	}
	actions := b.eval(`[...document.querySelectorAll('main [data-section=actions] a')].map(e => e.getAttribute('href'))`)
	for _, want := range []string{"sar", "rectify", "restriction", "erase"} {
		if !slices.Contains(actions, "/rights/"+ref+"/"+want) {
			t.Errorf("the hub's actions %v lack %s", actions, want)
		}
	}
	st = b.submit(chromedp.Click(chromedp.CSS(`main [data-section=actions] a[href$="/sar"]`)))
	if st.Page != "sar" || st.Status != "200" {
		t.Fatalf("the subject access report: %s %s", st.Page, st.Status)
	}
	b.checkReport(p, st)
	st = b.submit(chromedp.Click(chromedp.CSS(`details summary`)), chromedp.Click(chromedp.ID("third_parties")),
		chromedp.Click(chromedp.CSS(`form[action$="/sar"] button`)))
	if st.Status != "400" {
		t.Errorf("other residents asked for without a reason: %s %s, want 400", st.Page, st.Status)
	}
	b.signOut()
	b.role, _ = s.svc.Policy().Role("frontline")
	b.signIn()
	for _, path := range []string{"/rights/" + ref, "/rights/" + ref + "/sar"} {
		if st := b.open(path); st.Page != "error" || st.Status != "403" {
			t.Errorf("%s as frontline: %s %s, want the 403 page", path, st.Page, st.Status)
		}
	}
	if got := b.eval(`[...document.querySelectorAll('a[href^="/rights/"]')].map(e => e.href)`); len(got) > 0 {
		t.Errorf("frontline is shown rights links: %v", got)
	}
}

// checkReport: the report page lists the API report's records and links
// to its JSON; no household member's name is on it.
func (b *tab) checkReport(p *resindex.Person, st pageState) {
	b.t.Helper()
	_, body := b.s.call(b.t, "GET", "/api/v1/rights/persons/"+b.s.svc.Ref(p.ID)+"/sar", b.s.tokens["information_governance"], "", nil)
	var api []string
	for _, r := range asSlice(body["records"]) {
		m := r.(map[string]any)
		api = append(api, m["source"].(string)+"/"+m["id"].(string))
	}
	shown := slices.Clone(st.Records)
	sort.Strings(api)
	sort.Strings(shown)
	if !slices.Equal(shown, api) {
		b.t.Fatalf("the report page lists %v, the API %v", shown, api)
	}
	if dl := b.eval(`[...document.querySelectorAll('main a[download]')].map(e => e.getAttribute('href'))`); len(dl) != 1 || !strings.HasPrefix(dl[0], "/api/v1/rights/persons/") {
		b.t.Errorf("the report's JSON download: %v", dl)
	}
	text := b.eval(`[document.querySelector('main').innerText]`)[0]
	own := map[string]bool{}
	for _, r := range p.Records {
		own[r.Name.Given+" "+r.Name.Family] = true
	}
	for _, m := range householdOthers(b.t, b.s, p) {
		for _, r := range b.s.persons[m].Records {
			if n := r.Name.Given + " " + r.Name.Family; !own[n] && strings.Contains(text, n) {
				b.t.Errorf("the report page names household member %s (%s)", m, n)
			}
		}
	}
	if code, _ := b.s.call(b.t, "GET", "/api/v1/rights/persons/"+b.s.svc.Ref(p.ID)+"/sar", b.s.tokens["frontline"], "", nil); code != http.StatusForbidden {
		b.t.Errorf("the report's JSON as frontline: %d", code)
	}
}

// TestRightsPagesWithoutJavaScript: with the browser's scripts off,
// information_governance opens the hub, follows it to the report, and
// asks for other residents to be shown with a reason using the report's
// form (a details element and a GET form: nothing needs a script).
func TestRightsPagesWithoutJavaScript(t *testing.T) {
	ctx := startBrowser(t, 1280, 900, chromedp.Flag("blink-settings", "scriptEnabled=false"))
	s := newServer(t, uiConfig())
	role, _ := s.svc.Policy().Role("information_governance")
	b := &tab{t: t, ctx: ctx, s: s, role: role, seen: map[string]bool{}, noAxe: true}
	b.open("/signin")
	st := b.submit(chromedp.Click(chromedp.CSS(`input[name=role][value=information_governance]`)), chromedp.Click(chromedp.CSS(`form[action="/auth/demo"] button[type=submit]`)))
	if st.Supported {
		t.Fatal("GOV.UK Frontend's script ran: scripts are not off")
	}
	ref := s.svc.Ref(sarPerson(t, s).ID)
	if st := b.open("/rights/" + ref); st.Page != "rights" || st.Status != "200" {
		t.Fatalf("the hub without scripts: %s %s", st.Page, st.Status)
	}
	st = b.submit(chromedp.Click(chromedp.CSS(`main [data-section=actions] a[href$="/sar"]`)))
	if st.Page != "sar" || st.Status != "200" {
		t.Fatalf("the report without scripts: %s %s", st.Page, st.Status)
	}
	st = b.submit(chromedp.Click(chromedp.CSS(`details summary`)), chromedp.Click(chromedp.ID("third_parties")),
		chromedp.SetValue(chromedp.ID("third_party_reason"), "their written consent"), chromedp.Click(chromedp.CSS(`form[action$="/sar"] button`)))
	shown := b.eval(`[...document.querySelectorAll('[data-field=third_parties]')].map(e => e.textContent)`)
	if st.Page != "sar" || st.Status != "200" || len(shown) != 1 || !strings.Contains(shown[0], "their written consent") {
		t.Fatalf("other residents shown without scripts: %s %s %v", st.Page, st.Status, shown)
	}
}
