package web_test

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/resindex/resindex/fraud"
)

// checkFraud opens the findings of both checks and a finding (each page
// checked with axe on first sight): the page lists the findings the API
// does, in its order, linking only to persons' references, with the link
// in the navigation; then it records a review with the finding's form,
// refused first for want of an outcome, and sees it on the finding and in
// the list.
func (b *tab) checkFraud() {
	b.t.Helper()
	if nav := b.eval(`[...document.querySelectorAll('.govuk-service-navigation__link[href="/fraud"]')].map(e => e.textContent.trim())`); !slices.Equal(nav, []string{"Fraud findings"}) {
		b.t.Fatalf("the navigation as %s: %v, want one link to the fraud findings", b.role.Name, nav)
	}
	for _, check := range []string{"subletting", "spd"} {
		st := b.open("/fraud?check=" + check)
		listed := b.eval(`[...document.querySelectorAll('main tr[data-finding]')].map(e => e.dataset.finding)`)
		if st.Page != "fraud" || st.Status != "200" || !slices.Equal(listed, b.apiFindings(check)) {
			b.t.Fatalf("the %s findings as %s: %s %s listing %v, want the API's %v", check, b.role.Name, st.Page, st.Status, listed, b.apiFindings(check))
		}
		for _, ref := range st.Refs {
			if _, ok := b.s.refs[ref]; !ok {
				b.t.Fatalf("the %s findings link to %q, not a person's reference", check, ref)
			}
		}
	}
	st := b.submit(chromedp.Click(chromedp.CSS(`main tr[data-finding] a[href^="/fraud/findings/"]`)))
	id := strings.TrimPrefix(b.eval(`[location.pathname]`)[0], "/fraud/findings/")
	if st.Page != "finding" || st.Status != "200" || len(b.eval(`[...document.querySelectorAll('main [data-evidence]')].map(e => e.dataset.evidence)`)) == 0 {
		b.t.Fatalf("finding %s as %s: %s %s, want its page with its evidence", id, b.role.Name, st.Page, st.Status)
	}
	b.reviewFinding(id)
}

// apiFindings are the IDs of the first page of a check's findings, as the
// API lists them for the role.
func (b *tab) apiFindings(check string) []string {
	b.t.Helper()
	code, body := b.s.call(b.t, "GET", "/api/v1/fraud/"+check+"?page_size=20", b.s.tokens[b.role.Name], "", nil)
	if code != http.StatusOK {
		b.t.Fatalf("the API's %s findings as %s: %d", check, b.role.Name, code)
	}
	var ids []string
	for _, x := range asSlice(body["findings"]) {
		ids = append(ids, x.(map[string]any)["finding_id"].(string))
	}
	return ids
}

// reviewFinding sends the open finding's review form without an outcome
// (400, the problem linked to the outcome), then with one and a note: the
// finding shows the review, the store keeps it in the user's name, and
// the list shows it.
func (b *tab) reviewFinding(id string) {
	b.t.Helper()
	st := b.submit(chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('input[name=outcome]').forEach(e => { e.checked = false })`),
		chromedp.Click(chromedp.CSS(`form[action$="/review"] button`)))
	if errs := b.eval(`[...document.querySelectorAll('.govuk-error-summary__list a')].map(e => e.getAttribute('href'))`); st.Page != "finding" || st.Status != "400" || !slices.Equal(errs, []string{"#outcome"}) {
		b.t.Fatalf("a review without an outcome: %s %s, errors %v; want the finding with 400 and the outcome's error", st.Page, st.Status, errs)
	}
	st = b.submit(chromedp.Click(chromedp.ID("outcome-1")), chromedp.SetValue(chromedp.ID("note"), "tenancy file checked: the tenant lives in Leeds"),
		chromedp.Click(chromedp.CSS(`form[action$="/review"] button`)))
	shown := b.eval(`[document.getElementById('review').dataset.review]`)
	if st.Page != "finding" || st.Status != "200" || shown[0] != fraud.Outcomes[1] {
		b.t.Fatalf("after the review: %s %s showing %v, want the finding showing %s", st.Page, st.Status, shown, fraud.Outcomes[1])
	}
	if r, ok := storedReview(b.t, b.s, id); !ok || r.Outcome != fraud.Outcomes[1] || r.By != "demo:"+b.role.Name || !strings.Contains(r.Note, "Leeds") {
		b.t.Fatalf("the stored review of %s: %+v", id, r)
	}
	check := "subletting"
	if strings.HasPrefix(id, "FD") {
		check = "spd"
	}
	b.open("/fraud?check=" + check + "&status=" + fraud.Outcomes[1])
	if rows := b.eval(`[...document.querySelectorAll('main tr[data-finding]')].map(e => e.dataset.finding + ' ' + e.querySelector('[data-review]').dataset.review)`); !slices.Contains(rows, id+" "+fraud.Outcomes[1]) {
		b.t.Fatalf("the findings reviewed %s: %v, want %s among them", fraud.Outcomes[1], rows, id)
	}
}

// TestFraudPhoneWidth opens the findings and a finding in a phone-sized
// window as fraud: neither may need sideways scrolling.
func TestFraudPhoneWidth(t *testing.T) {
	ctx := startBrowser(t, 375, 812)
	s := newServer(t, uiConfig())
	role, _ := s.svc.Policy().Role("fraud")
	b := &tab{t: t, ctx: ctx, s: s, role: role, seen: map[string]bool{}, shots: filepath.Join(screenshotDir(t), "phone")}
	if err := os.MkdirAll(b.shots, 0o755); err != nil {
		t.Fatal(err)
	}
	b.signIn()
	for _, check := range []string{"subletting", "spd"} {
		if st := b.open("/fraud?check=" + check); st.Page != "fraud" || st.Status != "200" {
			t.Fatalf("the %s findings on a phone: %s %s", check, st.Page, st.Status)
		}
		b.fits(check + " findings")
		if st := b.open("/fraud/findings/" + firstFinding(t, s, fraud.Kind(check)).ID); st.Page != "finding" || st.Status != "200" {
			t.Fatalf("a %s finding on a phone: %s %s", check, st.Page, st.Status)
		}
		b.fits(check + " finding")
	}
}

// TestFraudWithoutJavaScript: with the browser's scripts off, fraud opens
// the findings, follows one and records a review with its form.
func TestFraudWithoutJavaScript(t *testing.T) {
	ctx := startBrowser(t, 1280, 900, chromedp.Flag("blink-settings", "scriptEnabled=false"))
	s := newServer(t, uiConfig())
	role, _ := s.svc.Policy().Role("fraud")
	b := &tab{t: t, ctx: ctx, s: s, role: role, seen: map[string]bool{}, noAxe: true}
	b.open("/signin")
	st := b.submit(chromedp.Click(chromedp.CSS(`input[name=role][value=fraud]`)), chromedp.Click(chromedp.CSS(`form[action="/auth/demo"] button[type=submit]`)))
	if st.Supported {
		t.Fatal("GOV.UK Frontend's script ran: scripts are not off")
	}
	b.open("/fraud?check=spd")
	st = b.submit(chromedp.Click(chromedp.CSS(`main tr[data-finding] a[href^="/fraud/findings/"]`)))
	if st.Page != "finding" || st.Status != "200" {
		t.Fatalf("following a finding without scripts: %s %s", st.Page, st.Status)
	}
	st = b.submit(chromedp.Click(chromedp.ID("outcome-3")), chromedp.Click(chromedp.CSS(`form[action$="/review"] button`)))
	if got := b.eval(`[document.getElementById('review').dataset.review]`); st.Status != "200" || got[0] != fraud.Outcomes[3] {
		t.Fatalf("a review without scripts: %s %s showing %v", st.Page, st.Status, got)
	}
}
