package web_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
)

// withheldChild is a child the index keeps no golden record of (issue 16:
// no consent recorded), not shielded, with at least two records the role
// sees.
func withheldChild(t *testing.T, s *server, role *access.Role) resindex.Person {
	t.Helper()
	for _, p := range s.persons {
		if e := expect(role, p, false); p.NoGolden && e.status == http.StatusOK && len(e.visible) >= 2 {
			return p
		}
	}
	t.Fatal("no child with two records and no golden record in the borough")
	return resindex.Person{}
}

// TestChildPerRecordPage: children's services open the page of a child the
// index keeps no golden record of (checked with axe, the first person page
// this tab sees): it says why, and shows each record the API lists, in its
// order, each as its service holds it; frontline gets the not-found page.
func TestChildPerRecordPage(t *testing.T) {
	ctx := startBrowser(t, 1280, 900)
	s := newServer(t, uiConfig())
	role, _ := s.svc.Policy().Role("childrens_services")
	p := withheldChild(t, s, role)
	ref := s.svc.Ref(p.ID)
	b := &tab{t: t, ctx: ctx, s: s, role: role, seen: map[string]bool{}}
	b.signIn()
	st := b.open("/persons/" + ref)
	if st.Page != "person" || st.Status != "200" {
		t.Fatalf("the child's page: %s %s", st.Page, st.Status)
	}
	code, body := s.call(t, "GET", "/api/v1/persons/"+ref, s.tokens[role.Name], "", nil)
	if code != http.StatusOK || body["per_record"] != true {
		t.Fatalf("the API's view of the child: %d, per_record %v", code, body["per_record"])
	}
	var want []string
	for _, r := range asSlice(body["records"]) {
		rm := r.(map[string]any)
		want = append(want, rm["source"].(string)+"/"+rm["id"].(string))
	}
	shown := b.eval(`[...document.querySelectorAll('main [data-source-record]')].map(e => e.dataset.sourceRecord)`)
	if len(want) < 2 || !slices.Equal(shown, want) {
		t.Errorf("the page shows records %v, the API %v; want each of them, in order", shown, want)
	}
	if note := b.eval(`[...document.querySelectorAll('#per-record-note')].map(e => e.textContent)`); len(note) != 1 {
		t.Errorf("no note saying why the records are shown one by one")
	}
	b.signOut()
	front, _ := s.svc.Policy().Role("frontline")
	f := &tab{t: t, ctx: ctx, s: s, role: front, seen: map[string]bool{}, noAxe: true}
	f.signIn()
	if st := f.open("/persons/" + ref); st.Page != "error" || st.Status != "404" {
		t.Errorf("frontline opens the child: %s %s, want not found", st.Page, st.Status)
	}
}
