package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/fraud"
)

// checkSubjectAccess asks for the subject access report of the matrix's sample
// persons, with and without a reason: a role without the rights ability
// gets 403 forbidden, whoever is asked for; a role with it gets every
// record the person holds (inside the activity window or not), a
// shielded person only with a reason (403 reason_required), and never
// the reference of another member of their household.
func checkSubjectAccess(t *testing.T, s *server, role *access.Role, tok string, sample []string) {
	t.Helper()
	for _, pid := range sample {
		p := s.persons[pid]
		for _, reason := range []string{"", "letter of 1 December"} {
			path := "/api/v1/rights/persons/" + s.svc.Ref(pid) + "/sar"
			code, body := s.call(t, "GET", path, tok, reason, nil)
			want, wantCode := http.StatusOK, ""
			switch {
			case !role.Can(access.Rights):
				want, wantCode = http.StatusForbidden, "forbidden"
			case access.IsShielded(&p) && reason == "":
				want, wantCode = http.StatusForbidden, "reason_required"
			}
			if code != want {
				t.Fatalf("GET %s as %s (reason %q): %d, want %d (%v)", path, role.Name, reason, code, want, body)
			}
			if code != http.StatusOK {
				assertError(t, body, wantCode)
				continue
			}
			checkSARBody(t, s, &p, body)
		}
	}
}

// checkSARBody: the report lists exactly the person's records and names
// no other member of their household.
func checkSARBody(t *testing.T, s *server, p *resindex.Person, body map[string]any) {
	t.Helper()
	var got, want []string
	for _, r := range asSlice(body["records"]) {
		m := r.(map[string]any)
		got = append(got, m["source"].(string)+"/"+m["id"].(string))
	}
	for _, r := range p.Records {
		want = append(want, r.Key().String())
	}
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Fatalf("the report of %s lists %v, want its records %v", p.ID, got, want)
	}
	js, _ := json.Marshal(body)
	for _, m := range householdOthers(t, s, p) {
		if strings.Contains(string(js), s.svc.Ref(m)) {
			t.Fatalf("the report of %s names household member %s", p.ID, m)
		}
	}
}

// householdOthers are the other persons in a person's household.
func householdOthers(t testing.TB, s *server, p *resindex.Person) []string {
	t.Helper()
	if p.Household == "" {
		return nil
	}
	ids, err := s.eng.Household(p.Household)
	if err != nil {
		t.Fatal(err)
	}
	return slices.DeleteFunc(ids, func(id string) bool { return id == p.ID })
}

// sarPerson is a person of the borough who is not shielded and shares a
// household with someone whose name the report must withhold.
func sarPerson(t testing.TB, s *server) *resindex.Person {
	t.Helper()
	pids := make([]string, 0, len(s.persons))
	for pid := range s.persons {
		pids = append(pids, pid)
	}
	sort.Strings(pids)
	for _, pid := range pids {
		p := s.persons[pid]
		if !access.IsShielded(&p) && len(p.Records) > 1 && len(householdOthers(t, s, &p)) > 0 {
			return &p
		}
	}
	t.Fatal("no person of the borough shares a household")
	return nil
}

// TestSubjectAccessAPI asks for reports as information_governance: the
// shape of the report (every section present, the Art. 15 information),
// other residents withheld by default and shown only with a reason, the
// alert and the finding that name a person, a person held as two index
// persons at once, the audit entries, and refused requests.
func TestSubjectAccessAPI(t *testing.T) {
	s := newServer(t, webConfig())
	tok := s.tokens["information_governance"]
	p := sarPerson(t, s)
	ref := s.svc.Ref(p.ID)
	code, body := s.call(t, "GET", "/api/v1/rights/persons/"+ref+"/sar", tok, "", nil)
	if code != http.StatusOK {
		t.Fatalf("the report: %d %v", code, body)
	}
	for _, k := range []string{"persons", "generated_at", "prepared_by", "third_parties", "information", "records", "golden_records",
		"households", "links", "alerts", "fraud_findings", "access_log"} {
		if _, ok := body[k]; !ok {
			t.Errorf("the report lacks %q", k)
		}
	}
	var topics []string
	for _, x := range asSlice(body["information"]) {
		topics = append(topics, x.(map[string]any)["topic"].(string))
	}
	for _, want := range []string{"Purposes", "Categories of data", "Sources", "Recipients", "Retention", "Automated decisions and profiling"} {
		if !slices.Contains(topics, want) {
			t.Errorf("the report's information lacks %q: %v", want, topics)
		}
	}
	checkSARBody(t, s, p, body)
	checkResidents(t, body, false)
	q := "?" + url.Values{"third_parties": {"true"}, "third_party_reason": {"their written consent"}}.Encode()
	code, body = s.call(t, "GET", "/api/v1/rights/persons/"+ref+"/sar"+q, tok, "", nil)
	if code != http.StatusOK {
		t.Fatalf("the report with third parties: %d %v", code, body)
	}
	checkResidents(t, body, true)
	checkSARMentions(t, s, tok)
	checkSARAudit(t, s, p.ID)
}

// checkResidents: the current household's other residents are "another
// resident" with nothing else, or, shown, each with a reference.
func checkResidents(t *testing.T, body map[string]any, shown bool) {
	t.Helper()
	n := 0
	for _, h := range asSlice(body["households"]) {
		for _, r := range asSlice(h.(map[string]any)["other_residents"]) {
			m := r.(map[string]any)
			n++
			if !shown && (m["label"] != access.AnotherResident || len(m) != 1) {
				t.Errorf("a withheld resident shows %v", m)
			}
			if shown && m["label"] == "resident" && m["id"] == nil {
				t.Errorf("a shown resident has no reference: %v", m)
			}
		}
	}
	if n == 0 {
		t.Error("the report lists no other resident of the household")
	}
}

// checkSARMentions: the report of an alert's adult lists the alert, and
// that of a finding's subject the finding; asked for both persons at once
// the report lists both persons' records.
func checkSARMentions(t *testing.T, s *server, tok string) {
	t.Helper()
	adult := s.alert.Adult.Person
	_, body := s.call(t, "GET", "/api/v1/rights/persons/"+s.svc.Ref(adult)+"/sar", tok, "sar", nil)
	if !slices.ContainsFunc(asSlice(body["alerts"]), func(a any) bool { return a.(map[string]any)["part"] == "the adult who moved in" }) {
		t.Errorf("the report of alert %s's adult lacks it: %v", s.alerts[0], body["alerts"])
	}
	f := firstFinding(t, s, fraud.SPD)
	_, body = s.call(t, "GET", "/api/v1/rights/persons/"+s.svc.Ref(f.Subject)+"/sar?also="+s.svc.Ref(adult), tok, "sar", nil)
	if !slices.ContainsFunc(asSlice(body["fraud_findings"]), func(x any) bool { return x.(map[string]any)["finding_id"] == f.ID }) {
		t.Errorf("the report of finding %s's subject lacks it: %v", f.ID, body["fraud_findings"])
	}
	if got := len(asSlice(body["persons"])); got != 2 && adult != f.Subject {
		t.Errorf("a report of two persons covers %d", got)
	}
}

// checkSARAudit: each report is in the audit log as subject_access, naming
// the person, with the third parties' reason when they were shown.
func checkSARAudit(t *testing.T, s *server, pid string) {
	t.Helper()
	var reasons []string
	err := access.Entries(s.db, access.AuditFilter{Person: pid, Action: "subject_access"}, func(_ uint64, e access.AuditEntry) error {
		reasons = append(reasons, e.Reason)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(reasons) < 2 || !slices.ContainsFunc(reasons, func(r string) bool { return strings.Contains(r, "their written consent") }) {
		t.Errorf("the reports of %s in the audit log: %q", pid, reasons)
	}
}

// TestSubjectAccessBadRequests: malformed requests are 400 naming the
// field, for the rights role; any other role gets 403 whatever it sends.
func TestSubjectAccessBadRequests(t *testing.T) {
	s := newServer(t, webConfig())
	ref := s.svc.Ref(sarPerson(t, s).ID)
	base := "/api/v1/rights/persons/" + ref + "/sar"
	for _, c := range []struct{ query, field string }{
		{"?third_parties=true", "third_party_reason"},
		{"?third_parties=maybe", "third_parties"},
		{"?third_parties=true&third_parties=false", "third_parties"},
		{"?colour=blue", "colour"},
		{"?reason=" + strings.Repeat("x", 600), "reason"},
		{"?" + strings.Repeat("also=x&", 25), "also"},
	} {
		code, body := s.call(t, "GET", base+c.query, s.tokens["information_governance"], "", nil)
		if code != http.StatusBadRequest {
			t.Fatalf("%.60s: %d %v, want 400", c.query, code, body)
		}
		if e := body["error"].(map[string]any); e["field"] != c.field {
			t.Errorf("%.60s: field %v, want %s", c.query, e["field"], c.field)
		}
		code, _ = s.call(t, "GET", base+c.query, s.tokens["frontline"], "", nil)
		if code != http.StatusForbidden {
			t.Errorf("%.60s as frontline: %d, want 403", c.query, code)
		}
	}
	for _, bad := range []string{"not-a-reference", "P9999999999"} {
		if code, _ := s.call(t, "GET", "/api/v1/rights/persons/"+bad+"/sar", s.tokens["information_governance"], "", nil); code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", bad, code)
		}
	}
}
