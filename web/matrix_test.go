package web_test

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/alerts"
)

// TestAccessMatrix asks, for every role, every endpoint about persons
// chosen to cover children, shielded persons, records outside the
// activity window and households with people the role may not see, and
// checks each answer field by field against the oracle.
func TestAccessMatrix(t *testing.T) {
	s := newServer(t, webConfig())
	sample := pickSample(t, s)
	pol := s.svc.Policy()
	coverage := map[string]int{} // role/class/field → views that showed it
	logged := auditCount(t, s)
	for _, roleName := range pol.Roles() {
		role, _ := pol.Role(roleName)
		tok := s.tokens[roleName]
		t.Run(roleName, func(t *testing.T) {
			for _, pid := range sample {
				p := s.persons[pid]
				ref := s.svc.Ref(pid)
				for _, reason := range []string{"", "section 47 enquiry"} {
					e := expect(role, p, reason != "")
					checkPerson(t, s, role, tok, ref, reason, e, coverage)
					checkByID(t, s, role, tok, pid, reason, e)
					checkHousehold(t, s, role, tok, ref, reason, p, e)
					checkLinks(t, s, role, tok, ref, reason, e)
				}
				checkSearch(t, s, role, tok, p)
			}
			checkExport(t, s, role, tok, sample)
			checkVerify(t, s, role, tok, sample)
			checkAlerts(t, s, role, tok)
			checkFraud(t, s, role, tok)
			checkRights(t, s, role, tok, sample)
			checkSubjectAccess(t, s, role, tok, sample)
			checkRectify(t, s, role, tok, sample)
			checkErase(t, s, role, tok, sample)
		})
	}
	calls := 0
	for _, k := range slices.Sorted(maps.Keys(s.statuses)) {
		t.Logf("calls: %-40s %5d", k, s.statuses[k])
		calls += s.statuses[k]
	}
	// Every call, answered or refused, is in the audit log, which verifies.
	if n := auditCount(t, s) - logged; n != calls {
		t.Errorf("audit log: %d entries for %d calls", n, calls)
	}
	if _, err := s.db.VerifyAudit(); err != nil {
		t.Error(err)
	}
	for _, roleName := range pol.Roles() {
		role, _ := pol.Role(roleName)
		for _, c := range []access.Class{access.Adult, access.Child} {
			for _, f := range role.Fields(c) {
				if coverage[roleName+"/"+string(c)+"/"+f] == 0 {
					t.Logf("coverage: no sampled %s view showed %s to %s (no such data in the sample)", c, f, roleName)
				}
			}
		}
	}
}

func checkPerson(t *testing.T, s *server, role *access.Role, tok, ref, reason string, e expectation, coverage map[string]int) {
	t.Helper()
	code, body := s.call(t, "GET", "/api/v1/persons/"+ref, tok, reason, nil)
	if code != e.status {
		t.Fatalf("person %s, reason %q: status %d, want %d (%v)", ref, reason, code, e.status, body)
	}
	if code != http.StatusOK {
		assertError(t, body, map[int]string{404: "not_found", 403: "reason_required"}[code])
		return
	}
	want := fieldsFor(role, e, nil)
	got := shown(body)
	if !maps.Equal(got, want) {
		t.Fatalf("person %s (%s) as %s: fields\n got %v\nwant %v", ref, e.class, role.Name, keys(got), keys(want))
	}
	checkValues(t, role, e, body)
	for f := range got {
		coverage[role.Name+"/"+string(e.class)+"/"+f]++
	}
}

// checkByID: a role with resolve_ids gets by a person's ID (as the change
// feed names them) what it gets by their reference; any other role gets
// the 404 a reference nobody made gets.
func checkByID(t *testing.T, s *server, role *access.Role, tok, pid, reason string, e expectation) {
	t.Helper()
	code, body := s.call(t, "GET", "/api/v1/persons/"+pid, tok, reason, nil)
	want := http.StatusNotFound
	if role.Can(access.ResolveIDs) {
		want = e.status
	}
	if code != want {
		t.Fatalf("person %s by ID as %s, reason %q: status %d, want %d (%v)", pid, role.Name, reason, code, want, body)
	}
	if code == http.StatusOK && (body["id"] != s.svc.Ref(pid) || !maps.Equal(shown(body), fieldsFor(role, e, nil))) {
		t.Fatalf("person %s by ID as %s: %v, want the view by reference", pid, role.Name, body)
	}
}

// checkValues: values come only from visible records, and provenance is
// shown only to roles that see sources.
func checkValues(t *testing.T, role *access.Role, e expectation, view map[string]any) {
	t.Helper()
	visible := e.keys()
	withSources := role.Field(e.class, "sources")
	var walk func(x any)
	walk = func(x any) {
		switch v := x.(type) {
		case map[string]any:
			if from, ok := v["from"].(map[string]any); ok {
				if !withSources {
					t.Fatalf("provenance shown to %s, which does not see sources", role.Name)
				}
				if k := fmt.Sprint(from["source"], "/", from["record"]); !visible[k] {
					t.Fatalf("a value from %s, a record %s may not see", k, role.Name)
				}
			}
			for _, y := range v {
				walk(y)
			}
		case []any:
			for _, y := range v {
				walk(y)
			}
		}
	}
	walk(view)
	if srcs, ok := view["sources"].([]any); ok {
		if len(srcs) != len(e.visible) {
			t.Fatalf("sources: %d shown, want the %d visible records", len(srcs), len(e.visible))
		}
		for _, x := range srcs {
			m := x.(map[string]any)
			if k := fmt.Sprint(m["source"], "/", m["id"]); !visible[k] {
				t.Fatalf("sources lists %s, which %s may not see", k, role.Name)
			}
		}
	}
}

func checkHousehold(t *testing.T, s *server, role *access.Role, tok, ref, reason string, p resindex.Person, e expectation) {
	t.Helper()
	body, ok := fieldEndpoint(t, s, role, tok, ref+"/household", reason, e, "household")
	if !ok {
		return
	}
	// The household at the address the role's records give: the person,
	// and whoever the role may see whose own visible address is there.
	wantRefs := map[string]bool{s.svc.Ref(p.ID): true}
	key := visibleProperty(s, e)
	var members []string
	if key != "" {
		var err error
		if members, err = s.eng.Household(key); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range members {
		if me := expect(role, s.persons[m], reason != ""); me.status == http.StatusOK && visibleProperty(s, me) == key {
			wantRefs[s.svc.Ref(m)] = true
		}
	}
	gotRefs := map[string]bool{}
	for _, x := range body["members"].([]any) {
		mv := x.(map[string]any)
		mref := mv["id"].(string)
		gotRefs[mref] = true
		me := expect(role, s.persons[s.refs[mref]], reason != "")
		if g, w := shown(mv), fieldsFor(role, me, summary); !maps.Equal(g, w) {
			t.Fatalf("household member %s as %s: fields %v, want %v", mref, role.Name, keys(g), keys(w))
		}
	}
	if !maps.Equal(gotRefs, wantRefs) {
		t.Fatalf("household of %s as %s: %d members shown, want %d (of %d living there)", ref, role.Name, len(gotRefs), len(wantRefs), len(members))
	}
	checkFormer(t, s, role, ref, reason, body)
}

// checkFormer: people shown as having lived there before are people the
// role may see, of a class it sees previous addresses of, not living
// there now, each with the summary fields the oracle allows and evidence
// only from a record the role sees (and only to a role that sees sources).
func checkFormer(t *testing.T, s *server, role *access.Role, ref, reason string, body map[string]any) {
	t.Helper()
	former, _ := body["former"].([]any)
	for _, x := range former {
		fm := x.(map[string]any)
		pv := fm["person"].(map[string]any)
		mref := pv["id"].(string)
		me := expect(role, s.persons[s.refs[mref]], reason != "")
		if me.status != http.StatusOK || !role.Field(me.class, "previous_addresses") {
			t.Fatalf("household of %s as %s: former member %s, whom it may not see there (status %d)", ref, role.Name, mref, me.status)
		}
		if g, w := shown(pv), fieldsFor(role, me, summary); !maps.Equal(g, w) {
			t.Fatalf("former member %s as %s: fields %v, want %v", mref, role.Name, keys(g), keys(w))
		}
		if ev, ok := fm["evidence"].(map[string]any); ok {
			if k := fmt.Sprint(ev["source"], "/", ev["record"]); !role.Field(me.class, "sources") || !me.keys()[k] {
				t.Fatalf("former member %s as %s: evidence %s, a record it may not see", mref, role.Name, k)
			}
		}
	}
}

func checkLinks(t *testing.T, s *server, role *access.Role, tok, ref, reason string, e expectation) {
	t.Helper()
	body, ok := fieldEndpoint(t, s, role, tok, ref+"/links", reason, e, "links")
	if !ok {
		return
	}
	visible := e.keys()
	for _, x := range body["links"].([]any) {
		l := x.(map[string]any)
		for _, side := range []string{"a", "b"} {
			name := l[side].(string)
			if role.Field(e.class, "sources") && !visible[name] {
				t.Fatalf("links of %s as %s name %s, a record it may not see", ref, role.Name, name)
			}
		}
	}
	// The pairs join exactly the visible records among themselves.
	if n := len(body["links"].([]any)); n != max(len(e.visible)-1, 0) {
		t.Fatalf("links of %s: %d pairs among %d visible records", ref, n, len(e.visible))
	}
}

// visibleProperty is the property of the current address the visible
// records give ("" for none), as the index places it: the UPRN inference
// is the engine's to test, the oracle's is who may see what.
func visibleProperty(s *server, e expectation) string {
	g := resindex.GoldenRecord(e.visible, resindex.DefaultTrust, time.Time{})
	if g.Address == nil {
		return ""
	}
	p, err := s.eng.Property(g.Address.Value)
	if err != nil {
		panic(err)
	}
	return p.Key
}

// fieldEndpoint calls a person's endpoint that needs a field for their
// class: the person's own status, else 403 without the field. ok: 200.
func fieldEndpoint(t *testing.T, s *server, role *access.Role, tok, path, reason string, e expectation, field string) (map[string]any, bool) {
	t.Helper()
	code, body := s.call(t, "GET", "/api/v1/persons/"+path, tok, reason, nil)
	want := e.status
	if want == http.StatusOK && !role.Field(e.class, field) {
		want = http.StatusForbidden
	}
	if code != want {
		t.Fatalf("%s, reason %q, as %s: status %d, want %d (%v)", path, reason, role.Name, code, want, body)
	}
	return body, code == http.StatusOK
}

// checkSearch searches by a name and date of birth the role is shown (a
// visible record's date of birth, and the golden name of the visible
// records: a search matches only values the role is shown, and a role
// without other_names is shown no other name): the person is among the
// results exactly when the role may see them (without a reason), and
// shows only summary fields; a role that sees no one may not search.
func checkSearch(t *testing.T, s *server, role *access.Role, tok string, p resindex.Person) {
	t.Helper()
	e := expect(role, p, false)
	r := p.Records[0]
	if e.status == http.StatusOK {
		r = e.visible[0]
		if g := resindex.GoldenRecord(e.visible, resindex.DefaultTrust, time.Time{}); g.Name != nil {
			r.Name = g.Name.Value
		}
	}
	if r.Name.Family == "" || r.DOB == "" {
		return
	}
	q := url.Values{"given": {r.Name.Given}, "family": {r.Name.Family}, "dob": {r.DOB}, "page_size": {"100"}}
	code, body := s.call(t, "GET", "/api/v1/persons?"+q.Encode(), tok, "", nil)
	if !role.Sees(access.Adult) && !role.Sees(access.Child) {
		if code != http.StatusForbidden {
			t.Fatalf("search as %s, which sees no one: status %d, want 403", role.Name, code)
		}
		return
	}
	if code != http.StatusOK {
		t.Fatalf("search as %s: status %d (%v)", role.Name, code, body)
	}
	ref := s.svc.Ref(p.ID)
	found := false
	for _, x := range body["results"].([]any) {
		v := x.(map[string]any)
		id := v["id"].(string)
		ve := expect(role, s.persons[s.refs[id]], false)
		if ve.status != http.StatusOK {
			t.Fatalf("search as %s returned %s, whom it may not see without a reason", role.Name, id)
		}
		if g, w := shown(v), fieldsFor(role, ve, summary); !maps.Equal(g, w) {
			t.Fatalf("search result %s as %s: fields %v, want %v", id, role.Name, keys(g), keys(w))
		}
		checkMatched(t, role, ve, v, id == ref)
		found = found || id == ref
	}
	if found != (e.status == http.StatusOK) {
		t.Fatalf("search for a record of %s as %s: found %v, want %v", ref, role.Name, found, e.status == http.StatusOK)
	}
	if _, told := body["withheld_shielded"]; told && !role.Can(access.SeeShielded) {
		t.Fatalf("search tells %s how many shielded persons it withheld", role.Name)
	}
}

// checkMatched: a search result says how strongly it matched, in words,
// and names as matched only fields searched by (name and dob here) that
// the role sees; the person searched for by a visible record's date of
// birth matched on it, when the role sees dates of birth.
func checkMatched(t *testing.T, role *access.Role, e expectation, v map[string]any, target bool) {
	t.Helper()
	if !slices.Contains([]any{"strong", "possible", "weak"}, v["strength"]) {
		t.Fatalf("search result %s: strength %v", v["id"], v["strength"])
	}
	var matched []string
	for _, f := range asSlice(v["matched_fields"]) {
		matched = append(matched, f.(string))
		if (f != "name" && f != "dob") || !role.Field(e.class, f.(string)) {
			t.Fatalf("search result %s as %s: matched %v, not a field searched by that the role sees", v["id"], role.Name, f)
		}
	}
	if target && role.Field(e.class, "dob") && !slices.Contains(matched, "dob") {
		t.Fatalf("the person searched for, as %s: matched %v, want dob among them", role.Name, matched)
	}
}

func asSlice(x any) []any {
	s, _ := x.([]any)
	return s
}

// checkExport exports the whole sample: only roles with the ability may,
// and the export holds exactly the persons the role may see, in full.
func checkExport(t *testing.T, s *server, role *access.Role, tok string, sample []string) {
	t.Helper()
	refs := make([]string, len(sample))
	for i, pid := range sample {
		refs[i] = s.svc.Ref(pid)
	}
	code, body := s.call(t, "POST", "/api/v1/export", tok, "", map[string]any{"persons": refs, "reason": "case review"})
	if !role.Can(access.Export) {
		if code != http.StatusForbidden {
			t.Fatalf("export as %s: status %d, want 403", role.Name, code)
		}
		return
	}
	if code != http.StatusOK {
		t.Fatalf("export as %s: status %d (%v)", role.Name, code, body)
	}
	want := map[string]bool{}
	for _, pid := range sample {
		if expect(role, s.persons[pid], true).status == http.StatusOK {
			want[s.svc.Ref(pid)] = true
		}
	}
	got := map[string]bool{}
	for _, x := range body["persons"].([]any) {
		v := x.(map[string]any)
		id := v["id"].(string)
		got[id] = true
		e := expect(role, s.persons[s.refs[id]], true)
		if g, w := shown(v), fieldsFor(role, e, nil); !maps.Equal(g, w) {
			t.Fatalf("export of %s as %s: fields %v, want %v", id, role.Name, keys(g), keys(w))
		}
		checkValues(t, role, e, v)
	}
	if !maps.Equal(got, want) {
		t.Fatalf("export as %s: %d persons, want %d", role.Name, len(got), len(want))
	}
}

// checkVerify: only roles with the ability may verify; the answer is a
// verdict and nothing else, and a person the role may not see never
// matches.
func checkVerify(t *testing.T, s *server, role *access.Role, tok string, sample []string) {
	t.Helper()
	for _, pid := range sample {
		p := s.persons[pid]
		r := p.Records[0]
		if r.Name.Given == "" || r.Name.Family == "" || len(r.DOB) != 10 || len(r.Addresses) == 0 || r.Addresses[0].Postcode == "" {
			continue
		}
		claim := map[string]any{"given": r.Name.Given, "family": r.Name.Family, "dob": r.DOB, "postcode": r.Addresses[0].Postcode}
		code, body := s.call(t, "POST", "/api/v1/verify", tok, "", claim)
		if !role.Can(access.VerifyIdentity) {
			if code != http.StatusForbidden {
				t.Fatalf("verify as %s: status %d, want 403", role.Name, code)
			}
			return
		}
		if code != http.StatusOK || len(body) != 1 || !slices.Contains([]any{"match", "no_match", "uncertain"}, body["result"]) {
			t.Fatalf("verify as %s: status %d, body %v", role.Name, code, body)
		}
		if expect(role, p, false).status != http.StatusOK && body["result"] == "match" {
			t.Fatalf("verify as %s matched %s, whom it may not see", role.Name, pid)
		}
	}
}

// checkAlerts asks the four alert endpoints: a role with the alerts
// ability lists the inbox, reads an alert, and acknowledges and closes a
// fresh one; any other role gets 403 from each, and the alert stays new.
// The persons an alert names are shown by reference.
func checkAlerts(t *testing.T, s *server, role *access.Role, tok string) {
	t.Helper()
	if len(s.alerts) == 0 {
		t.Fatal("the borough has no alerts (env_test.go raiseAlerts)")
	}
	fresh, err := s.raise(s.alert)
	if err != nil {
		t.Fatal(err)
	}
	want := http.StatusForbidden
	if role.Can(access.Alerts) {
		want = http.StatusOK
	}
	for _, c := range []struct {
		method, path string
		body         any
		status       string // the alert's status after a step
	}{
		{"GET", "/api/v1/alerts", nil, ""},
		{"GET", "/api/v1/alerts?status=new", nil, ""},
		{"GET", "/api/v1/alerts/" + s.alerts[0], nil, ""},
		{"POST", "/api/v1/alerts/" + fresh + "/acknowledge", map[string]any{"assignee": "", "note": "matrix"}, resindex.AlertAcknowledged},
		{"POST", "/api/v1/alerts/" + fresh + "/close", map[string]any{"outcome": "no_action_needed", "note": "checked"}, resindex.AlertClosed},
	} {
		code, body := s.call(t, c.method, c.path, tok, "", c.body)
		if code != want {
			t.Fatalf("%s %s as %s: status %d, want %d (%v)", c.method, c.path, role.Name, code, want, body)
		}
		if code != http.StatusOK {
			assertError(t, body, "forbidden")
			continue
		}
		if c.status != "" && body["status"] != c.status {
			t.Fatalf("%s %s as %s: the alert is %v, want %s", c.method, c.path, role.Name, body["status"], c.status)
		}
		checkAlertRefs(t, s, body)
	}
	if want != http.StatusOK {
		if a, err := alerts.Get(s.db, fresh); err != nil || a.Status != resindex.AlertNew {
			t.Fatalf("after refused steps as %s, the alert is %s (%v), want new", role.Name, a.Status, err)
		}
	}
}

// checkAlertRefs: every person an answer of the alert endpoints names is
// a reference to a person of the borough, never an ID.
func checkAlertRefs(t *testing.T, s *server, body map[string]any) {
	t.Helper()
	list := []any{body}
	if as, ok := body["alerts"].([]any); ok {
		list = as
		if _, ok := body["counts"].(map[string]any); !ok || len(as) == 0 {
			t.Fatalf("the inbox: %v, want alerts and counts", body)
		}
	}
	for _, x := range list {
		a := x.(map[string]any)
		people := asSlice(a["children"])
		if adult, ok := a["adult"]; ok {
			people = append(people, adult)
		}
		for _, y := range people {
			ref, _ := y.(map[string]any)["person"].(string)
			if _, ok := s.refs[ref]; !ok {
				t.Fatalf("alert %v names %q, not a person reference", a["id"], ref)
			}
		}
	}
}

func assertError(t *testing.T, body map[string]any, code string) {
	t.Helper()
	e, ok := body["error"].(map[string]any)
	if !ok || e["code"] != code {
		t.Fatalf("error body %v, want code %s", body, code)
	}
}

func keys(m map[string]bool) []string {
	out := slices.Collect(maps.Keys(m))
	sort.Strings(out)
	return out
}
