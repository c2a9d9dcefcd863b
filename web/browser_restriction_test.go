package web_test

import (
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
)

// restrictionTab signs a role in on a borough of its own (the page
// changes who is restricted), scripts on or off.
func restrictionTab(t *testing.T, roleName string, more ...chromedp.ExecAllocatorOption) (*tab, string) {
	t.Helper()
	ctx := startBrowser(t, 1280, 900, more...)
	b, err := loadBorough(200, 31)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.fraud.Close(); b.db.Close() })
	s := serverOn(t, b, uiConfig())
	role, _ := s.svc.Policy().Role(roleName)
	var pid string
	for id := range s.persons {
		if expect(role, s.persons[id], true).status == 200 && (pid == "" || id < pid) {
			pid = id
		}
	}
	return &tab{t: t, ctx: ctx, s: s, role: role, seen: map[string]bool{}, noAxe: len(more) > 0}, s.svc.Ref(pid)
}

// TestRestrictionPage: information governance opens a person's
// restriction page (checked with axe), is refused a change without a
// reason or an action (400, each problem linked to its field), restricts
// the person, sees it on the page and in the store, and releases them;
// frontline may not open the page.
func TestRestrictionPage(t *testing.T) {
	b, ref := restrictionTab(t, "information_governance")
	b.signIn()
	path := "/rights/" + ref + "/restriction"
	if st := b.open(path); st.Page != "restriction" || st.Status != "200" || b.flag("restriction", "restricted") != "false" {
		t.Fatalf("the page: %s %s", st.Page, st.Status)
	}
	st := b.submit(chromedp.Click(chromedp.CSS(`main form button`)))
	if errs := b.eval(`[...document.querySelectorAll('.govuk-error-summary__list a')].map(e => e.getAttribute('href'))`); st.Page != "restriction" || st.Status != "400" || !slices.Equal(errs, []string{"#action", "#reason"}) {
		t.Fatalf("an empty form: %s %s, errors %v", st.Page, st.Status, errs)
	}
	st = b.submit(chromedp.Click(chromedp.ID("action")), chromedp.SetValue(chromedp.ID("reason"), "resident contests accuracy, letter ref IG-1"),
		chromedp.Click(chromedp.CSS(`main form button`)))
	if st.Page != "restriction" || st.Status != "200" || b.flag("restriction", "restricted") != "true" || len(b.eval(`[...document.querySelectorAll('[data-done=restrict]')].map(e => e.textContent)`)) != 1 {
		t.Fatalf("after restricting: %s %s", st.Page, st.Status)
	}
	if !restricted(t, b, ref) {
		t.Fatal("the store does not hold the restriction")
	}
	b.submit(chromedp.Click(chromedp.ID("action-1")), chromedp.SetValue(chromedp.ID("reason"), "accuracy confirmed"), chromedp.Click(chromedp.CSS(`main form button`)))
	if b.flag("restriction", "restricted") != "false" || restricted(t, b, ref) {
		t.Fatal("after release the person is still restricted")
	}
	b.signOut()
	fl, _ := b.s.svc.Policy().Role("frontline")
	b.role = fl
	b.signIn()
	if st := b.open(path); st.Page != "error" || st.Status != "403" {
		t.Fatalf("frontline opening the page: %s %s", st.Page, st.Status)
	}
}

// TestRestrictionWithoutJavaScript: with scripts off, the form records an
// objection.
func TestRestrictionWithoutJavaScript(t *testing.T) {
	b, ref := restrictionTab(t, "information_governance", chromedp.Flag("blink-settings", "scriptEnabled=false"))
	b.open("/signin")
	b.submit(chromedp.Click(chromedp.CSS(`input[name=role][value=information_governance]`)), chromedp.Click(chromedp.CSS(`form[action="/auth/demo"] button[type=submit]`)))
	b.open("/rights/" + ref + "/restriction")
	st := b.submit(chromedp.Click(chromedp.ID("action-2")), chromedp.SetValue(chromedp.ID("reason"), "objects to profiling"), chromedp.Click(chromedp.CSS(`main form button`)))
	if st.Supported || st.Status != "200" || b.flag("objection", "objecting") != "true" {
		t.Fatalf("an objection without scripts: %s %s", st.Page, st.Status)
	}
}

// flag reads a data- attribute of an element by ID.
func (b *tab) flag(id, name string) string {
	b.t.Helper()
	got := b.eval(`[document.getElementById('` + id + `').dataset.` + name + `]`)
	if len(got) != 1 {
		b.t.Fatalf("no #%s", id)
	}
	return got[0]
}

// restricted reads from the store whether a person is restricted.
func restricted(t *testing.T, b *tab, ref string) bool {
	t.Helper()
	var pid string
	for id := range b.s.persons {
		if b.s.svc.Ref(id) == ref {
			pid = id
		}
	}
	var on bool
	err := b.s.db.View(func(tx resindex.Txn) (err error) {
		on, err = access.RestrictedIn(tx, pid)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return on
}
