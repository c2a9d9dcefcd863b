package web_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
)

// The rectification page in a real browser, as information_governance:
// the form lists the sources that will be told (checked with axe), a
// correction without its field's value is refused with the problem
// linked to the input (checked with axe), and a correction of the
// address is recorded, its notice page (checked with axe) naming every
// other source holding the person, as the store keeps it. Roles without
// the rights ability get the 403 page.

func TestRectifyPage(t *testing.T) {
	ctx := startBrowser(t, 1280, 900)
	s := newServer(t, uiConfig())
	pid := widestPerson(t, s)
	p := s.persons[pid]
	ref := s.svc.Ref(pid)
	role, _ := s.svc.Policy().Role("information_governance")
	b := &tab{t: t, ctx: ctx, s: s, role: role, seen: map[string]bool{}, shots: screenshotDir(t)}
	b.signIn()
	b.open("/persons/" + ref)
	st := b.submit(chromedp.Click(chromedp.ID("rectify")))
	listed := b.eval(`[...document.querySelectorAll('#targets [data-source]')].map(e => e.dataset.source)`)
	if st.Page != "rectify" || st.Status != "200" || !slices.Equal(listed, slices.Sorted(maps.Keys(liveSources(p)))) {
		t.Fatalf("the form: %s %s listing %v, want every source holding the person: %v", st.Page, st.Status, listed, slices.Sorted(maps.Keys(liveSources(p))))
	}
	st = b.submit(chromedp.Click(chromedp.ID("field-address")), chromedp.SetValue(chromedp.ID("reason_for_correction"), "the resident phoned"),
		chromedp.Click(chromedp.CSS(`form[action$="/rectify"] button`)))
	if errs := b.eval(`[...document.querySelectorAll('.govuk-error-summary__list a')].map(e => e.getAttribute('href'))`); st.Page != "rectify" || st.Status != "400" || !slices.Equal(errs, []string{"#line1"}) {
		t.Fatalf("an address without lines: %s %s, errors %v; want the form with 400 and the first line's error", st.Page, st.Status, errs)
	}
	via := slices.Sorted(maps.Keys(liveSources(p)))[0]
	st = b.submit(chromedp.SetValue(chromedp.ID("line1"), "12 Elm Road"), chromedp.SetValue(chromedp.ID("postcode"), "e8 1aa"),
		chromedp.SetValue(chromedp.ID("reported_via"), via), chromedp.Click(chromedp.CSS(`form[action$="/rectify"] button`)))
	told := b.eval(`[...document.querySelectorAll('#told [data-source]')].map(e => e.dataset.source)`)
	want := liveSources(p)
	delete(want, via)
	if st.Page != "rectify" || st.Status != "200" || !slices.Equal(told, slices.Sorted(maps.Keys(want))) {
		t.Fatalf("after recording: %s %s telling %v, want %v", st.Page, st.Status, told, slices.Sorted(maps.Keys(want)))
	}
	b.axe("rectify-notice") // the same page and status as the form: read() checked the form only
	b.screenshot("rectify-notice")
	n := lastNotice(t, s)
	if n.Person != pid || n.Correction.Address == nil || n.Correction.Address.Postcode != "E8 1AA" || n.Correction.ReportedVia != via || len(n.Targets) != len(want) {
		t.Fatalf("the stored notice: %+v", n)
	}
	for _, other := range []string{"frontline", "auditor"} {
		r, _ := s.svc.Policy().Role(other)
		ob := &tab{t: t, ctx: ctx, s: s, role: r, seen: map[string]bool{}, noAxe: true}
		b.signOut()
		ob.signIn()
		if st := ob.open("/rights/" + ref + "/rectify"); st.Page != "error" || st.Status != "403" {
			t.Fatalf("the rectification page as %s: %s %s, want the 403 error page", other, st.Page, st.Status)
		}
		b = ob
	}
}

// TestRectifyWithoutJavaScript: with the browser's scripts off, the form
// records a correction of a name.
func TestRectifyWithoutJavaScript(t *testing.T) {
	ctx := startBrowser(t, 1280, 900, chromedp.Flag("blink-settings", "scriptEnabled=false"))
	s := newServer(t, uiConfig())
	pid := widestPerson(t, s)
	role, _ := s.svc.Policy().Role("information_governance")
	b := &tab{t: t, ctx: ctx, s: s, role: role, seen: map[string]bool{}, noAxe: true}
	b.open("/signin")
	st := b.submit(chromedp.Click(chromedp.CSS(`input[name=role][value=information_governance]`)), chromedp.Click(chromedp.CSS(`form[action="/auth/demo"] button[type=submit]`)))
	if st.Supported {
		t.Fatal("GOV.UK Frontend's script ran: scripts are not off")
	}
	b.open("/rights/" + s.svc.Ref(pid) + "/rectify")
	st = b.submit(chromedp.Click(chromedp.ID("field")), chromedp.SetValue(chromedp.ID("given"), "Anne"), chromedp.SetValue(chromedp.ID("family"), "Lee-Smith"),
		chromedp.SetValue(chromedp.ID("reason_for_correction"), "deed poll seen"), chromedp.Click(chromedp.CSS(`form[action$="/rectify"] button`)))
	if st.Status != "200" || len(b.eval(`[...document.querySelectorAll('#notice')].map(e => e.dataset.notice)`)) != 1 {
		t.Fatalf("a correction without scripts: %s %s", st.Page, st.Status)
	}
	if n := lastNotice(t, s); n.Correction.Name == nil || n.Correction.Name.Family != "Lee-Smith" || !strings.Contains(n.Correction.Reason, "deed poll") {
		t.Fatalf("the stored notice: %+v", n)
	}
}

func lastNotice(t *testing.T, s *server) *resindex.Notice {
	t.Helper()
	var last *resindex.Notice
	err := s.db.View(func(tx resindex.Txn) error {
		return access.ScanNotices(tx, 0, func(n *resindex.Notice) error { last = n; return nil })
	})
	if err != nil || last == nil {
		t.Fatalf("no notice stored (%v)", err)
	}
	return last
}
