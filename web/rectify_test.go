package web_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
)

// Rectification through the API: only a role with the rights ability
// records a correction (others are refused before the body is read), a
// person it may not see is not found, a malformed correction is refused
// naming the field, and the notice names every other source holding the
// person, by reference, never by the index's own ID.

// rectifyBody is a correction of a person's address.
func rectifyBody(via string) map[string]any {
	return map[string]any{"field": "address", "address": map[string]any{"lines": []string{"12 Elm Road"}, "postcode": "E8 1AA"},
		"reported_via": via, "reason": "the resident phoned"}
}

// liveSources are a person's live records by source.
func liveSources(p resindex.Person) map[string][]string {
	out := map[string][]string{}
	for _, r := range p.Records {
		if !r.Deleted {
			out[r.Source] = append(out[r.Source], r.ID)
		}
	}
	for s := range out {
		slices.Sort(out[s])
	}
	return out
}

// checkRectify is the access matrix's row for the rectification
// endpoint: every role, for sampled persons, a malformed body and an
// unknown reference.
func checkRectify(t *testing.T, s *server, role *access.Role, tok string, sample []string) {
	t.Helper()
	for i, pid := range sample {
		if i%5 != 0 {
			continue // the matrix asks every endpoint about every sample; a notice for a fifth of them is enough
		}
		p := s.persons[pid]
		want := http.StatusForbidden
		if role.Can(access.Rights) {
			// The correction's reason is the reason to see a shielded
			// person; every record held counts, in the window or not.
			want = expectRights(role, p)
		}
		code, body := s.call(t, "POST", "/api/v1/rights/persons/"+s.svc.Ref(pid)+"/rectification", tok, "", rectifyBody(""))
		if code != want {
			t.Fatalf("rectify %s as %s: status %d, want %d (%v)", pid, role.Name, code, want, body)
		}
		switch code {
		case http.StatusOK:
			checkNoticeBody(t, s, p, "", body)
		case http.StatusForbidden:
			assertError(t, body, "forbidden")
		default:
			assertError(t, body, "not_found")
		}
	}
	bad, unknown := http.StatusForbidden, http.StatusForbidden
	if role.Can(access.Rights) {
		bad, unknown = http.StatusBadRequest, http.StatusNotFound
	}
	ref := s.svc.Ref(sample[0])
	if code, body := s.call(t, "POST", "/api/v1/rights/persons/"+ref+"/rectification", tok, "", map[string]any{"field": "dob", "dob": "1980-02-30", "reason": "x"}); code != bad {
		t.Fatalf("a malformed correction as %s: %d, want %d (%v)", role.Name, code, bad, body)
	}
	if code, body := s.call(t, "POST", "/api/v1/rights/persons/nobody/rectification", tok, "", rectifyBody("")); code != unknown {
		t.Fatalf("rectifying nobody as %s: %d, want %d (%v)", role.Name, code, unknown, body)
	}
}

// checkNoticeBody: the notice names the person by reference and is for
// every source holding them but the one told.
func checkNoticeBody(t *testing.T, s *server, p resindex.Person, via string, body map[string]any) {
	t.Helper()
	raw, _ := json.Marshal(body)
	if m := personID.Find(raw); m != nil {
		t.Fatalf("the notice names the person ID %s: %s", m, raw)
	}
	if body["person"] != s.svc.Ref(p.ID) {
		t.Fatalf("the notice is for %v, want %s", body["person"], s.svc.Ref(p.ID))
	}
	want := liveSources(p)
	delete(want, via)
	got := map[string][]string{}
	for _, x := range asSlice(body["targets"]) {
		tg := x.(map[string]any)
		for _, id := range asSlice(tg["record_ids"]) {
			got[tg["source"].(string)] = append(got[tg["source"].(string)], id.(string))
		}
	}
	if !maps.EqualFunc(got, want, slices.Equal) {
		t.Fatalf("the notice is for %v, want every other source holding the person: %v", got, want)
	}
}

// TestRectifyAPI: a correction reported through one source is for every
// other, the values are kept in the index's forms, and the malformed are
// refused naming the field.
func TestRectifyAPI(t *testing.T) {
	s := newServer(t, webConfig())
	pid := widestPerson(t, s)
	p := s.persons[pid]
	via := slices.Sorted(maps.Keys(liveSources(p)))[0]
	path := "/api/v1/rights/persons/" + s.svc.Ref(pid) + "/rectification"
	tok := s.tokens["information_governance"]
	code, body := s.call(t, "POST", path, tok, "", rectifyBody(via))
	if code != http.StatusOK {
		t.Fatalf("rectify: %d %v", code, body)
	}
	checkNoticeBody(t, s, p, via, body)
	if c := body["correction"].(map[string]any); c["address"].(map[string]any)["postcode"] != "E8 1AA" || c["reported_via"] != via {
		t.Fatalf("the correction as kept: %v", c)
	}
	for _, c := range []struct {
		body  any
		field string
	}{
		{map[string]any{"field": "nino", "reason": "r"}, "field"},
		{map[string]any{"field": "name", "name": map[string]any{"given": "Ann"}, "reason": "r"}, "name.family"},
		{map[string]any{"field": "address", "address": map[string]any{"lines": []string{"1 A St"}, "postcode": "nowhere"}, "reason": "r"}, "address.postcode"},
		{map[string]any{"field": "dob", "dob": "1980-01-01"}, "reason"},
		{map[string]any{"field": "dob", "dob": "1980-01-01", "reason": "r", "colour": "red"}, "body"},
	} {
		code, body := s.call(t, "POST", path, tok, "", c.body)
		e, _ := body["error"].(map[string]any)
		if code != http.StatusBadRequest || e["field"] != c.field {
			t.Errorf("%v: %d %v, want 400 naming %s", c.body, code, body, c.field)
		}
		if raw, _ := json.Marshal(body); strings.Contains(string(raw), "nowhere") {
			t.Errorf("the error quotes the value: %s", raw)
		}
	}
}

// widestPerson is a person the information_governance role sees with
// records in the most sources.
func widestPerson(t *testing.T, s *server) string {
	t.Helper()
	role, _ := s.svc.Policy().Role("information_governance")
	best := ""
	for _, pid := range slices.Sorted(maps.Keys(s.persons)) {
		if e := expect(role, s.persons[pid], false); e.status == http.StatusOK &&
			(best == "" || len(liveSources(s.persons[pid])) > len(liveSources(s.persons[best]))) {
			best = pid
		}
	}
	if best == "" || len(liveSources(s.persons[best])) < 2 {
		t.Fatal("no person with records in two sources")
	}
	return best
}
