package access_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/matcher"
)

// The fixed clock and key every service in these tests is built with.
var (
	testNow = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	testKey = bytes.Repeat([]byte{0x5a}, access.KeySize)
)

// Source names, short.
const (
	srcCT   = resindex.SourceCouncilTax
	srcER   = resindex.SourceElectoralRoll
	srcASC  = resindex.SourceAdultSocialCare
	srcCSC  = resindex.SourceChildrenSocial
	srcLib  = resindex.SourceLibraries
	srcSchl = resindex.SourceSchools
)

// testPolicy adds two roles the default policy lacks: one that sees only
// council tax records (with every kind of field, and see_shielded), and
// one that sees every source but not the `sources` field.
const testPolicy = `
roles:
  narrow:
    description: council tax records only
    sources: [council_tax]
    adult: [name, other_names, dob, sex, address, previous_addresses, emails, phones, identifiers.nhs,
      identifiers.nino, flags.caution, flags.disability, attributes.*, sources, household, links]
    abilities: [see_shielded, verify_identity, review_matches, export]
  unsourced:
    description: every source, but not which services hold a record
    adult: [name, dob, address, phones, identifiers.nino, attributes.*, household, links]
`

// fakeIndex is an in-memory access.Index whose answers the tests script.
type fakeIndex struct {
	mu         sync.Mutex
	persons    map[string]resindex.Person
	personOf   map[resindex.RecordKey]string
	households map[string][]string
	inferred   map[string]resindex.Property // address key → property, for inferred UPRNs
	hits       []resindex.Hit
	// search, when set, answers a search instead of hits: for tests
	// where what is asked changes the ranking.
	search func(q resindex.Query) []resindex.Hit
	links  map[string][]resindex.Link
	cands  []resindex.Candidate
	read   []string // person IDs read, in order
	limits []int    // search limits asked for
}

func newFakeIndex(persons ...resindex.Person) *fakeIndex {
	idx := &fakeIndex{persons: map[string]resindex.Person{}, personOf: map[resindex.RecordKey]string{},
		households: map[string][]string{}, links: map[string][]resindex.Link{}}
	for _, p := range persons {
		idx.add(p)
	}
	return idx
}

func (f *fakeIndex) add(p resindex.Person) {
	f.persons[p.ID] = p
	for i := range p.Records {
		f.personOf[p.Records[i].Key()] = p.ID
	}
	if p.Household != "" {
		f.households[p.Household] = append(f.households[p.Household], p.ID)
	}
}

func (f *fakeIndex) Search(q resindex.Query, limit int) ([]resindex.Hit, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.limits = append(f.limits, limit)
	all := f.hits
	if f.search != nil {
		all = f.search(q)
	}
	hits := slices.Clone(all[:min(limit, len(all))])
	for i := range hits {
		// Unless scripted, every record of the person matched alike.
		if h := &hits[i]; h.Matches == nil {
			for _, r := range f.persons[h.PersonID].Records {
				h.Matches = append(h.Matches, resindex.Match{Record: r.Key(), Weight: h.Weight})
			}
		}
	}
	return hits, nil
}

func (f *fakeIndex) Person(id string) (resindex.Person, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.read = append(f.read, id)
	p, ok := f.persons[id]
	if !ok {
		return resindex.Person{}, resindex.ErrNotFound
	}
	p.Records = slices.Clone(p.Records)
	return p, nil
}

func (f *fakeIndex) PersonOf(k resindex.RecordKey) (string, bool) {
	id, ok := f.personOf[k]
	return id, ok
}

func (f *fakeIndex) Household(key string) ([]string, error) { return f.households[key], nil }

// Property keys an address as the engine does when no other record gives
// its UPRN; inferred, when scripted, stands in for the UPRN index.
func (f *fakeIndex) Property(a resindex.Address) (resindex.Property, error) {
	key := matcher.PropertyKey(a)
	if p, ok := f.inferred[key]; ok {
		return p, nil
	}
	if u, ok := matcher.ValidUPRN(a.UPRN); ok {
		return resindex.Property{Key: key, UPRN: u}, nil
	}
	return resindex.Property{Key: key}, nil
}

// Links returns the scripted links among the records asked for.
func (f *fakeIndex) Links(id string, among []resindex.RecordKey) ([]resindex.Link, error) {
	var out []resindex.Link
	for _, l := range f.links[id] {
		if among == nil || (slices.Contains(among, l.A) && slices.Contains(among, l.B)) {
			out = append(out, l)
		}
	}
	return out, nil
}

// Candidates pages the scripted candidates. As the resolver's engine
// does, the cursor is the queue key of the last candidate returned (both
// record keys), and an unknown cursor is past the end.
func (f *fakeIndex) Candidates(after string, n int) ([]resindex.Candidate, string, error) {
	from := 0
	if after != "" {
		from = len(f.cands)
		if i := slices.IndexFunc(f.cands, func(c resindex.Candidate) bool { return queueKey(c) == after }); i >= 0 {
			from = i + 1
		}
	}
	to := min(from+n, len(f.cands))
	next := ""
	if to < len(f.cands) {
		next = queueKey(f.cands[to-1])
	}
	return f.cands[from:to], next, nil
}

func queueKey(c resindex.Candidate) string {
	return "w/" + c.A.Source + "\x00" + c.A.ID + "\x00\x00" + c.B.Source + "\x00" + c.B.ID
}

func (f *fakeIndex) Thresholds() (review, link float64) { return 0, 10 }

// memLog is an in-memory access.AuditLog.
type memLog struct {
	mu      sync.Mutex
	entries [][]byte
}

func (l *memLog) AppendAudit(p []byte) (uint64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, slices.Clone(p))
	return uint64(len(l.entries)), nil
}

func (l *memLog) AuditEntries(fn func(seq uint64, payload []byte) error) error {
	l.mu.Lock()
	entries := slices.Clone(l.entries)
	l.mu.Unlock()
	for i, p := range entries {
		if err := fn(uint64(i+1), p); err != nil {
			return err
		}
	}
	return nil
}

func (l *memLog) len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.entries)
}

// last decodes the newest entry.
func (l *memLog) last(t testing.TB) access.AuditEntry {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.entries) == 0 {
		t.Fatal("the audit log is empty")
	}
	var e access.AuditEntry
	if err := json.Unmarshal(l.entries[len(l.entries)-1], &e); err != nil {
		t.Fatal(err)
	}
	return e
}

// fakeOverrider records the overrides it is asked for, and fails with
// err when set.
type fakeOverrider struct {
	calls []string
	err   error
}

func (o *fakeOverrider) Override(a, b resindex.RecordKey, kind, reason string) error {
	o.calls = append(o.calls, kind+" "+a.String()+" "+b.String()+" "+reason)
	return o.err
}

// env is a service over a fake index, with its log and overrider.
type env struct {
	svc *access.Service
	idx *fakeIndex
	log *memLog
	ov  *fakeOverrider
	now *time.Time
}

func newEnv(t testing.TB, pol *access.Policy, persons ...resindex.Person) *env {
	t.Helper()
	e := &env{idx: newFakeIndex(persons...), log: &memLog{}, ov: &fakeOverrider{}, now: new(time.Time)}
	*e.now = testNow
	svc, err := access.New(pol, e.idx, e.ov, e.log, access.Options{Key: testKey, Now: func() time.Time { return *e.now }})
	if err != nil {
		t.Fatal(err)
	}
	e.svc = svc
	return e
}

// byRef is the person ID of a reference the service made ("" for none).
func (e *env) byRef(ref string) string {
	for id := range e.idx.persons {
		if e.svc.Ref(id) == ref {
			return id
		}
	}
	return ""
}

// bothPolicies is the shipped policy with the test roles added.
func bothPolicies(t testing.TB) *access.Policy {
	t.Helper()
	data, err := os.ReadFile("default_policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := access.Parse("both.yaml", append(data, strings.TrimPrefix(testPolicy, "\nroles:\n")...))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func as(role string) resindex.Principal {
	return resindex.Principal{User: "user-" + role, Role: role, Via: "test"}
}

// Records: an adult, Ann Lee, living at 1 High Street and active this
// year, changed by options.

type recOpt func(*resindex.Record)

func rec(source, id string, opts ...recOpt) resindex.Record {
	r := resindex.Record{Source: source, ID: id, Version: "2026-06-01T00:00:00Z",
		Name: resindex.Name{Given: "Ann", Family: "Lee"}, DOB: "1980-05-06",
		Addresses:    []resindex.Address{{UPRN: "100023336956", Lines: []string{"1 High Street"}, Postcode: "AB1 2CD", Current: true}},
		LastActivity: "2026-06-01"}
	for _, o := range opts {
		o(&r)
	}
	return r
}

func dob(d string) recOpt       { return func(r *resindex.Record) { r.DOB = d } }
func sex(s string) recOpt       { return func(r *resindex.Record) { r.Sex = s } }
func active(d string) recOpt    { return func(r *resindex.Record) { r.LastActivity = d } }
func flags(f ...string) recOpt  { return func(r *resindex.Record) { r.Flags = f } }
func phones(p ...string) recOpt { return func(r *resindex.Record) { r.Phones = p } }
func emails(e ...string) recOpt { return func(r *resindex.Record) { r.Emails = e } }
func named(g, f string) recOpt {
	return func(r *resindex.Record) { r.Name = resindex.Name{Given: g, Family: f} }
}
func otherName(g, f string) recOpt {
	return func(r *resindex.Record) { r.OtherNames = append(r.OtherNames, resindex.Name{Given: g, Family: f}) }
}

func addr(line, postcode string, current bool) recOpt {
	return func(r *resindex.Record) {
		if len(r.Addresses) == 1 && r.Addresses[0].Lines[0] == "1 High Street" {
			r.Addresses = nil // the default gives way
		}
		r.Addresses = append(r.Addresses, resindex.Address{Lines: []string{line}, Postcode: postcode, Current: current})
	}
}

func idents(kv ...string) recOpt {
	return func(r *resindex.Record) { r.Identifiers = pairs(kv) }
}

func attrs(kv ...string) recOpt {
	return func(r *resindex.Record) { r.Attributes = pairs(kv) }
}

func pairs(kv []string) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

func pid(n int) string { return fmt.Sprintf("P%010d", n) }

func person(n int, recs ...resindex.Record) resindex.Person {
	return resindex.Person{ID: pid(n), Records: recs}
}

func inHousehold(key string, p resindex.Person) resindex.Person {
	p.Household = key
	return p
}

// jsonMap is a value as the API would show it.
func jsonMap(t testing.TB, v any) map[string]any {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func keysOf(v any) []string {
	m, _ := v.(map[string]any)
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// hasKey reports whether a JSON value holds a key anywhere.
func hasKey(v any, key string) bool {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if k == key || hasKey(x, key) {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if hasKey(x, key) {
				return true
			}
		}
	}
	return false
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func inputField(err error) string {
	var in *access.InputError
	if errors.As(err, &in) {
		return in.Field
	}
	return ""
}

func wantOutcome(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, resindex.ErrNotFound):
		return "not_found"
	case errors.Is(err, resindex.ErrForbidden), errors.Is(err, access.ErrReasonRequired):
		return "denied"
	case inputField(err) != "":
		return "bad_request"
	}
	return "error"
}

// TestPersonRecordRules: children, shielded persons, the activity window
// and the sources a role may see decide whether a person is there at all.
func TestPersonRecordRules(t *testing.T) {
	pol := bothPolicies(t)
	cpp, lac, cin := resindex.FlagChildProtectionPlan, resindex.FlagLookedAfter, resindex.FlagChildInNeed
	rs := func(r ...resindex.Record) []resindex.Record { return r }
	for _, tc := range []struct {
		name         string
		recs         []resindex.Record
		role, reason string
		want         error
		class        access.Class
		shielded     bool
	}{
		{"adult", rs(rec(srcCT, "C1")), "frontline", "", nil, access.Adult, false},
		{"child by dob, frontline", rs(rec(srcLib, "L1", dob("2012-03-04"))), "frontline", "", resindex.ErrNotFound, "", false},
		{"child by dob, children's services", rs(rec(srcLib, "L1", dob("2012-03-04"))), "childrens_services", "", nil, access.Child, false},
		{"child by dob, safeguarding", rs(rec(srcLib, "L1", dob("2012-03-04"))), "safeguarding", "", nil, access.Child, false},
		{"child by dob, adult social care", rs(rec(srcLib, "L1", dob("2012-03-04"))), "adult_social_care", "", resindex.ErrNotFound, "", false},
		{"dob 2009 might be under 18", rs(rec(srcLib, "L1", dob("2009"))), "frontline", "", resindex.ErrNotFound, "", false},
		{"dob 2009, children's services", rs(rec(srcLib, "L1", dob("2009"))), "childrens_services", "", nil, access.Child, false},
		{"dob 2008 might be under 18 until the year ends", rs(rec(srcLib, "L1", dob("2008"))), "frontline", "", resindex.ErrNotFound, "", false},
		{"dob 2008-10 is 18 by now", rs(rec(srcLib, "L1", dob("2008-10"))), "frontline", "", nil, access.Adult, false},
		{"dob 2008-11 might be under 18", rs(rec(srcLib, "L1", dob("2008-11"))), "frontline", "", resindex.ErrNotFound, "", false},
		{"18 today", rs(rec(srcLib, "L1", dob("2008-11-01"))), "frontline", "", nil, access.Adult, false},
		{"18 tomorrow", rs(rec(srcLib, "L1", dob("2008-11-02"))), "frontline", "", resindex.ErrNotFound, "", false},
		{"child by a dob only a hidden source holds", rs(rec(srcCT, "C1", dob("")), rec(srcSchl, "S1", dob("2013-01-01"))), "narrow", "", resindex.ErrNotFound, "", false},
		{"children's social care record", rs(rec(srcCSC, "K1", dob(""))), "frontline", "", resindex.ErrNotFound, "", false},
		{"children's social care record, children's services", rs(rec(srcCSC, "K1", dob(""))), "childrens_services", "", nil, access.Child, false},
		{"children's social care record beside an adult one", rs(rec(srcCT, "C1", dob("")), rec(srcCSC, "K1", dob(""))), "frontline", "", resindex.ErrNotFound, "", false},
		{"child protection plan", rs(rec(srcCT, "C1", dob(""), flags(cpp))), "frontline", "", resindex.ErrNotFound, "", false},
		{"looked after", rs(rec(srcCT, "C1", dob(""), flags(lac))), "frontline", "", resindex.ErrNotFound, "", false},
		{"child in need", rs(rec(srcCT, "C1", dob(""), flags(cin))), "frontline", "", resindex.ErrNotFound, "", false},
		{"child flag, children's services", rs(rec(srcCT, "C1", dob(""), flags(cpp))), "childrens_services", "", nil, access.Child, false},
		{"child flag on a source the role cannot see", rs(rec(srcCT, "C1", dob("")), rec(srcSchl, "S1", dob(""), flags(lac))), "narrow", "", resindex.ErrNotFound, "", false},
		{"child flag on a source fraud cannot see", rs(rec(srcCT, "C1", dob("")), rec(srcASC, "A1", dob(""), flags(cin))), "fraud", "", resindex.ErrNotFound, "", false},

		{"restricted, frontline", rs(rec(srcCT, "C1", flags(resindex.FlagRestricted))), "frontline", "", resindex.ErrNotFound, "", false},
		{"staff, frontline", rs(rec(srcCT, "C1", flags(resindex.FlagStaff))), "frontline", "with a reason", resindex.ErrNotFound, "", false},
		{"vip, fraud", rs(rec(srcCT, "C1", flags(resindex.FlagVIP))), "fraud", "", resindex.ErrNotFound, "", false},
		{"vip on a source fraud cannot see", rs(rec(srcCT, "C1"), rec(srcLib, "L1", flags(resindex.FlagVIP))), "fraud", "", resindex.ErrNotFound, "", false},
		{"restricted on an old record", rs(rec(srcCT, "C1"), rec(srcLib, "L1", active("2019-01-01"), flags(resindex.FlagRestricted))), "frontline", "", resindex.ErrNotFound, "", false},
		{"restricted, no reason", rs(rec(srcCT, "C1", flags(resindex.FlagRestricted))), "childrens_services", "", access.ErrReasonRequired, "", false},
		{"restricted, a blank reason", rs(rec(srcCT, "C1", flags(resindex.FlagRestricted))), "childrens_services", " \t", access.ErrReasonRequired, "", false},
		{"restricted, a reason", rs(rec(srcCT, "C1", flags(resindex.FlagRestricted))), "childrens_services", "s47 enquiry", nil, access.Adult, true},
		{"staff, a reason", rs(rec(srcCT, "C1", flags(resindex.FlagStaff))), "safeguarding", "case 12", nil, access.Adult, true},
		{"vip on a hidden source, no reason", rs(rec(srcCT, "C1"), rec(srcLib, "L1", flags(resindex.FlagVIP))), "narrow", "", access.ErrReasonRequired, "", false},
		{"vip on a hidden source, a reason", rs(rec(srcCT, "C1"), rec(srcLib, "L1", flags(resindex.FlagVIP))), "narrow", "complaint 7", nil, access.Adult, true},

		{"only old records", rs(rec(srcCT, "C1", active("2024-10-31")), rec(srcLib, "L1", active("2023"))), "frontline", "", resindex.ErrNotFound, "", false},
		{"only old records, children's services", rs(rec(srcCT, "C1", active("2020-01-01"))), "childrens_services", "", resindex.ErrNotFound, "", false},
		{"active on the first day of the window", rs(rec(srcCT, "C1", active("2024-11-01"))), "frontline", "", nil, access.Adult, false},
		{"no record from a granted source", rs(rec(srcLib, "L1"), rec(srcASC, "A1")), "fraud", "", resindex.ErrNotFound, "", false},
		{"the granted source's record is old", rs(rec(srcCT, "C1", active("2022-01-01")), rec(srcLib, "L1")), "fraud", "", resindex.ErrNotFound, "", false},
		{"a role with no resident fields", rs(rec(srcCT, "C1")), "auditor", "", resindex.ErrNotFound, "", false},
		{"a role not in the policy", rs(rec(srcCT, "C1")), "janitor", "", resindex.ErrForbidden, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, pol, person(1, tc.recs...))
			v, err := e.svc.Person(as(tc.role), e.svc.Ref(pid(1)), tc.reason)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("error %v, want %v", err, tc.want)
			}
			if tc.want != nil {
				if !reflect.DeepEqual(v, access.PersonView{}) {
					t.Errorf("a refused view holds data: %+v", v)
				}
			} else if v.Class != tc.class || v.Shielded != tc.shielded || v.Ref != e.svc.Ref(pid(1)) {
				t.Errorf("class %q shielded %v ref %q, want %q %v %q", v.Class, v.Shielded, v.Ref, tc.class, tc.shielded, e.svc.Ref(pid(1)))
			}
			if got := e.log.last(t); got.Outcome != wantOutcome(tc.want) || got.Action != "view" {
				t.Errorf("audit %s %s, want view %s", got.Action, got.Outcome, wantOutcome(tc.want))
			}
		})
	}
}

// A person with some old records shows only what the records inside the
// activity window hold.
func TestPersonWindow(t *testing.T) {
	old := rec(srcER, "E-OLD", named("Annabel", "Oldname"), active("2023-05-01"), phones("01110 000111"),
		emails("old@example.org"), addr("9 Old Road", "ZZ9 9ZZ", true), attrs("polling_district", "QX", "elector_number", "QX-99"),
		dob("1980-05-07"))
	cur := rec(srcCT, "C1", phones(), addr("1 High Street", "AB1 2CD", true))
	e := newEnv(t, mustDefault(t), person(1, old, cur))
	v, err := e.svc.Person(as("electoral"), e.svc.Ref(pid(1)), "")
	if err != nil {
		t.Fatal(err)
	}
	if v.Name == nil || v.Name.Value.Given != "Ann" || v.Name.From.Source != srcCT {
		t.Errorf("name %+v, want Ann from council tax", v.Name)
	}
	if v.DOB == nil || v.DOB.Value != "1980-05-06" {
		t.Errorf("dob %+v, want the council tax record's", v.DOB)
	}
	want := []access.SourceRef{{Source: srcCT, ID: "C1", LastActivity: "2026-06-01"}}
	if !reflect.DeepEqual(v.Sources, want) {
		t.Errorf("sources %+v, want %+v", v.Sources, want)
	}
	got := mustJSON(t, v)
	for _, s := range []string{"Annabel", "Oldname", "01110", "old@example", "Old Road", "ZZ9", "QX", "E-OLD", srcER, "1980-05-07"} {
		if strings.Contains(got, s) {
			t.Errorf("the view shows %q from a record outside the window: %s", s, got)
		}
	}
}

// Records from sources a role is not granted never give a field value,
// whichever fields the role has.
func TestPersonSourceGrants(t *testing.T) {
	ct := rec(srcCT, "C1", dob(""), idents("uprn", "100023336956"), attrs("liability", "sole"))
	asc := rec(srcASC, "ASC-778", named("Annie", "Leigh"), otherName("Nan", "Smythe"), dob("1980-05-07"), sex("F"),
		phones("07700900123"), emails("ann@example.org"), idents("nhs", "9434765919", "nino", "QQ123456C"),
		flags(resindex.FlagCaution, resindex.FlagDisability), attrs("single_person_discount", "yes", "client_type", "LDX", "account_ref", "ACC-4242"),
		addr("7 Care Home Lane", "CH1 1CH", false), addr("1 High Street", "AB1 2CD", true))
	lib := rec(srcLib, "LIB-555", sex("X"), phones("07700900999"), attrs("tenancy_ref", "TEN-31"))
	secrets := []string{"Annie", "Leigh", "Nan", "Smythe", "1980-05-07", `"F"`, `"X"`, "07700900", "ann@example.org",
		"9434765919", "QQ123456C", "caution", "disability", "single_person_discount", "LDX", "ACC-4242", "Care Home", "CH1",
		"TEN-31", srcASC, "ASC-778", srcLib, "LIB-555"}
	e := newEnv(t, bothPolicies(t), person(1, ct, asc, lib))
	for _, role := range []string{"fraud", "narrow", "revenues"} {
		t.Run(role, func(t *testing.T) {
			v, err := e.svc.Person(as(role), e.svc.Ref(pid(1)), "")
			if err != nil {
				t.Fatal(err)
			}
			got := strings.ReplaceAll(mustJSON(t, v), v.Ref, "")
			for _, s := range secrets {
				if strings.Contains(got, s) {
					t.Errorf("shows %s from a source the role is not granted: %s", s, got)
				}
			}
			if want := []access.SourceRef{{Source: srcCT, ID: "C1", LastActivity: "2026-06-01"}}; !reflect.DeepEqual(v.Sources, want) {
				t.Errorf("sources %+v, want %+v", v.Sources, want)
			}
			if v.DOB != nil || v.Sex != nil || v.Phones != nil || v.Emails != nil || v.Flags != nil || v.OtherNames != nil || v.PreviousAddresses != nil {
				t.Errorf("fields from hidden records: %s", got)
			}
			if v.Name == nil || *v.Name.From != (resindex.Provenance{Source: srcCT, Record: "C1", Version: "2026-06-01T00:00:00Z"}) {
				t.Errorf("name %+v, want from council_tax/C1", v.Name)
			}
			if a, ok := v.Attributes["liability"]; !ok || a.Value != "sole" || a.From.Source != srcCT {
				t.Errorf("attributes %+v, want liability from council tax", v.Attributes)
			}
		})
	}
	// A role with every source sees the same person whole.
	v, err := e.svc.Person(as("adult_social_care"), e.svc.Ref(pid(1)), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Sources) != 3 || v.Identifiers["nhs"].Value != "9434765919" || !slices.Equal(v.Flags, []string{"caution", "disability"}) {
		t.Errorf("adult social care sees %s", mustJSON(t, v))
	}
}

// Where a value came from is shown only to a role granted `sources`.
func TestPersonProvenance(t *testing.T) {
	p := person(1, rec(srcCT, "C1", idents("nino", "QQ123456C"), attrs("liability", "sole"), phones("07700900123")))
	e := newEnv(t, bothPolicies(t), p)
	v, err := e.svc.Person(as("fraud"), e.svc.Ref(pid(1)), "")
	if err != nil {
		t.Fatal(err)
	}
	want := resindex.Provenance{Source: srcCT, Record: "C1", Version: "2026-06-01T00:00:00Z"}
	for name, from := range map[string]*resindex.Provenance{"name": v.Name.From, "dob": v.DOB.From, "address": v.Address.From,
		"nino": v.Identifiers["nino"].From, "liability": v.Attributes["liability"].From} {
		if from == nil || *from != want {
			t.Errorf("fraud: %s from %+v, want %+v", name, from, want)
		}
	}
	v, err = e.svc.Person(as("unsourced"), e.svc.Ref(pid(1)), "")
	if err != nil {
		t.Fatal(err)
	}
	m := jsonMap(t, v)
	if hasKey(m, "from") || hasKey(m, "sources") {
		t.Errorf("a role without sources sees where values came from: %s", mustJSON(t, v))
	}
	if want := []string{"address", "attributes", "class", "dob", "id", "identifiers", "name", "phones"}; !slices.Equal(keysOf(m), want) {
		t.Errorf("unsourced sees %v, want %v", keysOf(m), want)
	}
}

// A reference that names no one, and one that names a person not in the
// index, are told apart by nothing.
func TestPersonBadReference(t *testing.T) {
	e := newEnv(t, mustDefault(t), person(1, rec(srcCT, "C1")))
	other, err := access.New(mustDefault(t), e.idx, e.ov, &memLog{}, access.Options{Key: bytes.Repeat([]byte{1}, access.KeySize), Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	good := e.svc.Ref(pid(1))
	for name, ref := range map[string]string{
		"empty": "", "garbage": "not a reference", "a person ID": pid(1), "truncated": good[:len(good)-2],
		"extended": good + "AA", "padded": good + "==", "another key": other.Ref(pid(1)), "missing person": e.svc.Ref(pid(2)),
		"all zero": "AAAAAAAAAAAAAAAAAAAAAA", "long": strings.Repeat("A", 4096),
	} {
		v, err := e.svc.Person(as("frontline"), ref, "")
		if err != resindex.ErrNotFound || !reflect.DeepEqual(v, access.PersonView{}) {
			t.Errorf("%s: %+v, %v; want ErrNotFound itself", name, v, err)
		}
		if got := e.log.last(t); got.Outcome != "not_found" {
			t.Errorf("%s: audit outcome %q", name, got.Outcome)
		}
	}
	if !slices.Equal(e.idx.read, []string{pid(2)}) {
		t.Errorf("the index was asked for %v; want only the missing person", e.idx.read)
	}
	if _, err := e.svc.Person(as("frontline"), good, ""); err != nil {
		t.Fatalf("the good reference: %v", err)
	}
}

// The JSON of a view has exactly the fields the role is granted, of those
// the person has data for.
func TestPersonViewFields(t *testing.T) {
	er := rec(srcER, "E1", attrs("polling_district", "QX", "elector_number", "QX-12"))
	ct := rec(srcCT, "C1", named("Annie", "Lee"), sex("F"), addr("1 High Street", "AB1 2CD", true), addr("5 Low Road", "AB1 9XY", false),
		idents("uprn", "100023336956", "nino", "QQ123456C"), attrs("liability", "sole", "single_person_discount", "yes", "account_ref", "CT-1"),
		emails("ann@example.org"), phones("07700900123"))
	asc := rec(srcASC, "A1", idents("nhs", "9434765919"), flags(resindex.FlagCaution, resindex.FlagDisability), attrs("client_type", "older"))
	e := newEnv(t, mustDefault(t), person(1, er, ct, asc))
	base := []string{"id", "class", "name", "dob", "address"}
	for _, tc := range []struct {
		role        string
		keys        []string
		identifiers []string
		attributes  []string
		flags       []string
	}{
		{"frontline", []string{"emails", "phones", "sources"}, nil, nil, nil},
		{"adult_social_care", []string{"other_names", "sex", "previous_addresses", "emails", "phones", "identifiers", "flags", "attributes", "sources"},
			[]string{"nhs"}, []string{"client_type"}, []string{"caution", "disability"}},
		{"childrens_services", []string{"sex", "phones", "flags", "sources"}, nil, nil, []string{"caution"}},
		{"safeguarding", []string{"other_names", "sex", "previous_addresses", "phones", "flags", "sources"}, nil, nil, []string{"caution"}},
		{"fraud", []string{"other_names", "previous_addresses", "identifiers", "attributes", "sources"},
			[]string{"nino", "uprn"}, []string{"account_ref", "elector_number", "liability", "polling_district", "single_person_discount"}, nil},
		{"housing", []string{"sex", "previous_addresses", "emails", "phones", "identifiers", "sources"}, []string{"nino"}, nil, nil},
		{"revenues", []string{"emails", "phones", "identifiers", "attributes", "sources"}, []string{"nino"}, []string{"account_ref", "liability", "single_person_discount"}, nil},
		{"electoral", []string{"other_names", "emails", "phones", "attributes", "sources"}, nil, []string{"elector_number", "polling_district"}, nil},
		{"data_steward", []string{"other_names", "sex", "previous_addresses", "sources"}, nil, nil, nil},
	} {
		v, err := e.svc.Person(as(tc.role), e.svc.Ref(pid(1)), "")
		if err != nil {
			t.Errorf("%s: %v", tc.role, err)
			continue
		}
		m := jsonMap(t, v)
		want := append(slices.Clone(base), tc.keys...)
		slices.Sort(want)
		if got := keysOf(m); !slices.Equal(got, want) {
			t.Errorf("%s: fields %v, want %v", tc.role, got, want)
		}
		if got := keysOf(m["identifiers"]); !slices.Equal(got, tc.identifiers) {
			t.Errorf("%s: identifiers %v, want %v", tc.role, got, tc.identifiers)
		}
		if got := keysOf(m["attributes"]); !slices.Equal(got, tc.attributes) {
			t.Errorf("%s: attributes %v, want %v", tc.role, got, tc.attributes)
		}
		if !slices.Equal(v.Flags, tc.flags) {
			t.Errorf("%s: flags %v, want %v", tc.role, v.Flags, tc.flags)
		}
	}
}

// searchWorld is 25 adults frontline may see with children and shielded
// persons between them (and after them), all hits of one search.
func searchWorld(t testing.TB) (*env, []string, []string, []string) {
	t.Helper()
	var persons []resindex.Person
	var hits []resindex.Hit
	var visible, children, shielded []string
	n := 0
	add := func(p resindex.Person) {
		persons = append(persons, p)
		hits = append(hits, resindex.Hit{PersonID: p.ID, Record: p.Records[0].Key(), Weight: float64(100 - len(hits))})
	}
	hidden := func() {
		n++
		if n%2 == 0 {
			add(person(n, rec(srcSchl, "S"+strconv.Itoa(n), dob("2014-02-03"))))
			children = append(children, pid(n))
		} else {
			add(person(n, rec(srcCT, "C"+strconv.Itoa(n), flags(resindex.FlagVIP))))
			shielded = append(shielded, pid(n))
		}
	}
	for len(visible) < 25 {
		if n%3 == 2 {
			hidden()
			continue
		}
		n++
		add(person(n, rec(srcCT, "C"+strconv.Itoa(n))))
		visible = append(visible, pid(n))
	}
	hidden()
	hidden()
	e := newEnv(t, mustDefault(t), persons...)
	e.idx.hits = hits
	return e, visible, children, shielded
}

var leeQuery = resindex.Query{Family: "Lee"}

// Search leaves out persons the principal may not see before paging, so
// pages are full and never show, or count, one of them.
func TestSearchPaging(t *testing.T) {
	e, visible, children, shielded := searchWorld(t)
	if len(children) == 0 || len(shielded) == 0 {
		t.Fatal("the world has no hidden persons")
	}
	byRef := map[string]string{}
	for _, p := range e.idx.persons {
		byRef[e.svc.Ref(p.ID)] = p.ID
	}
	var got []string
	var sizes []int
	tok := ""
	for range 10 {
		pg, err := e.svc.Search(as("frontline"), leeQuery, access.Page{Token: tok, Size: 10}, "")
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(pg.Results))
		if pg.Withheld != 0 {
			t.Errorf("frontline is told %d shielded persons were withheld", pg.Withheld)
		}
		for _, r := range pg.Results {
			got = append(got, byRef[r.Ref])
			if r.Emails != nil || r.Phones != nil || r.Sources != nil || r.Name.From != nil {
				t.Errorf("a search result shows more than a summary: %s", mustJSON(t, r))
			}
		}
		if entry := e.log.last(t); !slices.Equal(entry.Persons, got[len(got)-len(pg.Results):]) || entry.Action != "search" {
			t.Errorf("audit %+v, want the page's persons", entry)
		}
		if tok = pg.NextPage; tok == "" {
			break
		}
	}
	if !slices.Equal(sizes, []int{10, 10, 5}) {
		t.Errorf("page sizes %v, want [10 10 5]", sizes)
	}
	if !slices.Equal(got, visible) {
		t.Errorf("results %v, want %v", got, visible)
	}

	// Children's services see the children; the shielded are withheld, and
	// counted, until a reason is given.
	pg, err := e.svc.Search(as("childrens_services"), leeQuery, access.Page{Size: 100}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(pg.Results) != len(visible)+len(children) || pg.Withheld != len(shielded) || pg.NextPage != "" {
		t.Errorf("children's services: %d results, %d withheld, next %q; want %d, %d", len(pg.Results), pg.Withheld, pg.NextPage,
			len(visible)+len(children), len(shielded))
	}
	pg, err = e.svc.Search(as("childrens_services"), leeQuery, access.Page{Size: 100}, "s47 enquiry")
	if err != nil {
		t.Fatal(err)
	}
	if len(pg.Results) != len(e.idx.hits) || pg.Withheld != 0 {
		t.Errorf("with a reason: %d results, %d withheld; want %d, 0", len(pg.Results), pg.Withheld, len(e.idx.hits))
	}
	if m := jsonMap(t, pg); hasKey(m, "withheld_shielded") {
		t.Error("withheld_shielded shown when none were")
	}
}

// Search looks past the persons the principal may not see for a page of
// those it may: it asks the index once, as deep as a search pages, looks
// deeper among the hits only as it must, and reads each hit's person at
// most once.
func TestSearchDeep(t *testing.T) {
	var persons []resindex.Person
	var hits []resindex.Hit
	for n := 1; n <= 135; n++ {
		p := person(n, rec(srcCT, "C"+strconv.Itoa(n)))
		if n <= 130 {
			p = person(n, rec(srcSchl, "S"+strconv.Itoa(n), dob("2015-01-01")))
		}
		persons = append(persons, p)
		hits = append(hits, resindex.Hit{PersonID: p.ID, Weight: float64(200 - n)})
	}
	e := newEnv(t, mustDefault(t), persons...)
	e.idx.hits = hits
	pg, err := e.svc.Search(as("frontline"), leeQuery, access.Page{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(pg.Results) != 5 || pg.NextPage != "" {
		t.Errorf("%d results, next %q; want 5 and no next page", len(pg.Results), pg.NextPage)
	}
	for i, r := range pg.Results {
		if r.Ref != e.svc.Ref(pid(131+i)) {
			t.Errorf("result %d is %s, want %s", i, r.Ref, pid(131+i))
		}
	}
	if !slices.Equal(e.idx.limits, []int{501}) {
		t.Errorf("the index was asked for %v, want once for 501 (500 and whether there are more)", e.idx.limits)
	}
	reads := map[string]int{}
	for _, id := range e.idx.read {
		if reads[id]++; reads[id] > 1 {
			t.Errorf("person %s read %d times", id, reads[id])
		}
	}
	if len(reads) != 135 {
		t.Errorf("%d persons read, want all 135 (the page is the last five)", len(reads))
	}
}

// Bad queries, page sizes and page tokens are input errors naming the
// field, never the value.
func TestSearchInput(t *testing.T) {
	e, _, _, _ := searchWorld(t)
	tok := base64.RawURLEncoding.EncodeToString
	long := strings.Repeat("x", 201)
	for _, tc := range []struct {
		name  string
		q     resindex.Query
		pg    access.Page
		field string
	}{
		{"empty query", resindex.Query{}, access.Page{}, "query"},
		{"page size -1", leeQuery, access.Page{Size: -1}, "page_size"},
		{"page size 101", leeQuery, access.Page{Size: 101}, "page_size"},
		{"garbage token", leeQuery, access.Page{Token: "not*a*token"}, "page_token"},
		{"token without prefix", leeQuery, access.Page{Token: tok([]byte("10"))}, "page_token"},
		{"negative offset", leeQuery, access.Page{Token: tok([]byte("o:-10"))}, "page_token"},
		{"offset too deep", leeQuery, access.Page{Token: tok([]byte("o:501"))}, "page_token"},
		{"offset not a number", leeQuery, access.Page{Token: tok([]byte("o:ten"))}, "page_token"},
		{"long given name", resindex.Query{Given: long}, access.Page{}, "given"},
		{"long family name", resindex.Query{Family: long}, access.Page{}, "family"},
		{"long postcode", resindex.Query{Postcode: long}, access.Page{}, "postcode"},
		{"bad dob", resindex.Query{DOB: "31/13/1980"}, access.Page{}, "dob"}, // DD/MM/YYYY is read (TestNormaliseDOB), but no 13th month
		{"too many address lines", resindex.Query{AddressLines: make([]string, 11)}, access.Page{}, "query"},
	} {
		pg, err := e.svc.Search(as("frontline"), tc.q, tc.pg, "")
		if got := inputField(err); got != tc.field {
			t.Errorf("%s: %v, want an input error on %s", tc.name, err, tc.field)
		}
		if err != nil && (strings.Contains(err.Error(), long) || strings.Contains(err.Error(), "31/13")) {
			t.Errorf("%s: the error quotes the value: %v", tc.name, err)
		}
		if pg.Results != nil {
			t.Errorf("%s: results with an error", tc.name)
		}
		if got := e.log.last(t); got.Outcome != "bad_request" {
			t.Errorf("%s: audit outcome %q", tc.name, got.Outcome)
		}
	}
	for _, pg := range []access.Page{{Size: 0}, {Size: 1}, {Size: 100}, {Token: tok([]byte("o:500"))}, {Token: tok([]byte("o:20")), Size: 5}} {
		if _, err := e.svc.Search(as("frontline"), leeQuery, pg, ""); err != nil {
			t.Errorf("%+v: %v", pg, err)
		}
	}
	if pg, _ := e.svc.Search(as("frontline"), leeQuery, access.Page{}, ""); len(pg.Results) != access.DefaultPageSize {
		t.Errorf("the default page has %d results", len(pg.Results))
	}
	if _, err := e.svc.Search(as("nobody"), leeQuery, access.Page{}, ""); !errors.Is(err, resindex.ErrForbidden) {
		t.Errorf("an unknown role: %v", err)
	}
}

// Address lines and identifiers are bounded like names: a query naming a
// megabyte of text is refused, not searched and written to the audit log.
func TestSearchLongAddressAndIdentifier(t *testing.T) {
	e, _, _, _ := searchWorld(t)
	long := strings.Repeat("x", 201)
	for name, q := range map[string]resindex.Query{
		"address line":     {AddressLines: []string{long}},
		"identifier value": {Identifiers: map[string]string{"nino": long}},
		"identifier kind":  {Identifiers: map[string]string{long: "1"}},
	} {
		if _, err := e.svc.Search(as("frontline"), q, access.Page{}, ""); inputField(err) == "" {
			t.Errorf("a %d-character %s: %v, want an input error", len(long), name, err)
		}
	}
}

// Household shows the members the principal may see, leaves out the
// others uncounted, and needs the household field.
func TestHousehold(t *testing.T) {
	h := "uprn:100023336956"
	ann := inHousehold(h, person(1, rec(srcCT, "C1")))
	bob := inHousehold(h, person(2, rec(srcER, "E2", named("Bob", "Lee"))))
	kid := inHousehold(h, person(3, rec(srcSchl, "S3", named("Cai", "Lee"), dob("2016-04-05"))))
	vip := inHousehold(h, person(4, rec(srcCT, "C4", named("Dee", "Lee"), flags(resindex.FlagVIP))))
	gone := inHousehold(h, person(5, rec(srcCT, "C5", named("Eve", "Lee"), active("2021-01-01"))))
	libOnly := inHousehold(h, person(6, rec(srcLib, "L6", named("Fay", "Lee"))))
	alone := person(7, rec(srcCT, "C7", named("Gus", "Solo"), addr("9 Other Road", "ZZ9 9ZZ", true)))
	e := newEnv(t, bothPolicies(t), ann, bob, kid, vip, gone, libOnly, alone)
	e.idx.households[h] = append(e.idx.households[h], pid(99)) // a member the index no longer has

	for _, tc := range []struct {
		role, reason string
		subject      int
		want         []int
		err          error
	}{
		{"frontline", "", 1, []int{1, 2, 6}, nil},
		{"fraud", "", 1, []int{1, 2}, nil},
		{"childrens_services", "", 1, []int{1, 2, 3, 6}, nil},
		{"childrens_services", "s47", 1, []int{1, 2, 3, 4, 6}, nil},
		{"childrens_services", "", 3, []int{3, 1, 2, 6}, nil}, // the person first
		{"frontline", "", 3, nil, resindex.ErrNotFound},
		{"frontline", "", 5, nil, resindex.ErrNotFound},
		{"frontline", "", 7, []int{7}, nil},
		{"data_steward", "", 1, nil, resindex.ErrForbidden},
		{"auditor", "", 1, nil, resindex.ErrNotFound},
	} {
		name := fmt.Sprintf("%s on %s", tc.role, pid(tc.subject))
		hv, err := e.svc.Household(as(tc.role), e.svc.Ref(pid(tc.subject)), tc.reason)
		if tc.err != nil {
			if !errors.Is(err, tc.err) || hv.Members != nil {
				t.Errorf("%s: %+v, %v; want %v", name, hv, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var got, wantRefs []string
		for _, m := range hv.Members {
			got = append(got, m.Ref)
			if m.Emails != nil || m.Sources != nil || m.Flags != nil {
				t.Errorf("%s: a member shows more than a summary: %s", name, mustJSON(t, m))
			}
		}
		for _, n := range tc.want {
			wantRefs = append(wantRefs, e.svc.Ref(pid(n)))
		}
		if !slices.Equal(got, wantRefs) {
			t.Errorf("%s: members %v, want %v", name, got, tc.want)
		}
		if hv.Person != e.svc.Ref(pid(tc.subject)) || hv.Address == nil || (tc.subject != 7 && hv.Address.Value.Postcode != "AB1 2CD") {
			t.Errorf("%s: person %q address %+v", name, hv.Person, hv.Address)
		}
		entry := e.log.last(t)
		var wantIDs []string
		for _, n := range append([]int{tc.subject}, tc.want...) {
			if !slices.Contains(wantIDs, pid(n)) {
				wantIDs = append(wantIDs, pid(n))
			}
		}
		if entry.Action != "household" || !slices.Equal(entry.Persons, wantIDs) || entry.Reason != tc.reason {
			t.Errorf("%s: audit %+v, want persons %v", name, entry, wantIDs)
		}
		if strings.Contains(mustJSON(t, hv), "Eve") {
			t.Errorf("%s: a member outside the window is shown", name)
		}
	}
}

// Explain needs the links field, drops pairs with a record the principal
// may not see, and names records by source only to a role that sees
// sources.
func TestExplain(t *testing.T) {
	p := person(1, rec(srcER, "E1"), rec(srcCT, "C1"), rec(srcASC, "A1"), rec(srcCT, "C-OLD", active("2020-01-01")))
	key := func(src, id string) resindex.RecordKey { return resindex.RecordKey{Source: src, ID: id} }
	link := func(a, b resindex.RecordKey, w float64) resindex.Link {
		return resindex.Link{A: a, B: b, Weight: w, Probability: 0.99, Decision: "link",
			Terms: []resindex.LinkTerm{{Comparison: "dob", Level: "exact", Weight: w}}}
	}
	e := newEnv(t, bothPolicies(t), p)
	e.idx.links[pid(1)] = []resindex.Link{
		link(key(srcER, "E1"), key(srcCT, "C1"), 14),
		link(key(srcCT, "C1"), key(srcASC, "A1"), 12),
		link(key(srcER, "E1"), key(srcASC, "A1"), 11),
		link(key(srcCT, "C1"), key(srcCT, "C-OLD"), 13),
	}
	for _, tc := range []struct {
		role string
		want [][2]string
		err  error
	}{
		{"frontline", nil, resindex.ErrForbidden},
		{"data_steward", [][2]string{{"electoral_roll/E1", "council_tax/C1"}, {"council_tax/C1", "adult_social_care/A1"}, {"electoral_roll/E1", "adult_social_care/A1"}}, nil},
		{"fraud", [][2]string{{"electoral_roll/E1", "council_tax/C1"}}, nil},
		{"narrow", [][2]string{}, nil},
		{"unsourced", [][2]string{{"record 1", "record 2"}, {"record 2", "record 3"}, {"record 1", "record 3"}}, nil},
		{"auditor", nil, resindex.ErrNotFound},
	} {
		x, err := e.svc.Explain(as(tc.role), e.svc.Ref(pid(1)), "")
		if tc.err != nil || err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("%s: %v, want %v", tc.role, err, tc.err)
			}
			continue
		}
		got := [][2]string{}
		for _, l := range x.Links {
			got = append(got, [2]string{l.A, l.B})
			if len(l.Terms) != 1 || l.Decision != "link" {
				t.Errorf("%s: link %+v", tc.role, l)
			}
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: links %v, want %v", tc.role, got, tc.want)
		}
		if s := mustJSON(t, x); strings.Contains(s, "C-OLD") || tc.role == "unsourced" && strings.Contains(s, "/") {
			t.Errorf("%s: %s", tc.role, s)
		}
		if entry := e.log.last(t); entry.Action != "explain" || !slices.Equal(entry.Persons, []string{pid(1)}) {
			t.Errorf("%s: audit %+v", tc.role, entry)
		}
	}
}

// Verify says match only for exactly one visible person at the link
// weight with the same date of birth, and discloses nothing else.
func TestVerify(t *testing.T) {
	claim := access.Claim{Given: "Ann", Family: "Lee", DOB: "1980-05-06", Postcode: "AB1 2CD"}
	adult := person(1, rec(srcCT, "C1"))
	other := person(2, rec(srcCT, "C2", dob("1980-06-06")))
	twin := person(3, rec(srcER, "E3"))
	child := person(4, rec(srcSchl, "S4", dob("1980-05-06"), flags(resindex.FlagLookedAfter)))
	vip := person(5, rec(srcCT, "C5", flags(resindex.FlagVIP)))
	hit := func(p resindex.Person, w float64) resindex.Hit { return resindex.Hit{PersonID: p.ID, Weight: w} }
	for _, tc := range []struct {
		name string
		role string
		c    access.Claim
		hits []resindex.Hit
		want string
		err  error
	}{
		{"one strong hit", "frontline", claim, []resindex.Hit{hit(adult, 15)}, access.Match, nil},
		{"exactly the link weight", "frontline", claim, []resindex.Hit{hit(adult, 10)}, access.Match, nil},
		{"address lines instead of a postcode", "frontline", access.Claim{Given: "Ann", Family: "Lee", DOB: "1980-05-06", AddressLines: []string{"1 High Street"}}, []resindex.Hit{hit(adult, 15)}, access.Match, nil},
		{"the date of birth as DD/MM/YYYY", "frontline", access.Claim{Given: "Ann", Family: "Lee", DOB: "06/05/1980", Postcode: "AB1 2CD"}, []resindex.Hit{hit(adult, 15)}, access.Match, nil},
		{"one strong hit, another dob", "frontline", claim, []resindex.Hit{hit(other, 15)}, access.Uncertain, nil},
		{"one hit in the review band", "frontline", claim, []resindex.Hit{hit(adult, 5)}, access.Uncertain, nil},
		{"exactly the review weight", "frontline", claim, []resindex.Hit{hit(adult, 0)}, access.Uncertain, nil},
		{"two strong hits", "frontline", claim, []resindex.Hit{hit(adult, 15), hit(twin, 14)}, access.Uncertain, nil},
		{"a strong hit and a weak one", "frontline", claim, []resindex.Hit{hit(adult, 15), hit(twin, 1)}, access.Uncertain, nil},
		{"a strong hit and one below review", "frontline", claim, []resindex.Hit{hit(adult, 15), hit(twin, -1)}, access.Match, nil},
		{"no hits", "frontline", claim, nil, access.NoMatch, nil},
		{"hits below review", "frontline", claim, []resindex.Hit{hit(adult, -0.5), hit(twin, -3)}, access.NoMatch, nil},
		{"a child", "frontline", claim, []resindex.Hit{hit(child, 20)}, access.NoMatch, nil},
		{"a shielded person", "frontline", claim, []resindex.Hit{hit(vip, 20)}, access.NoMatch, nil},
		{"a shielded person, see_shielded", "narrow", claim, []resindex.Hit{hit(vip, 20)}, access.NoMatch, nil},
		{"a missing person", "frontline", claim, []resindex.Hit{{PersonID: pid(77), Weight: 20}}, access.NoMatch, nil},
		{"no ability", "fraud", claim, []resindex.Hit{hit(adult, 15)}, "", resindex.ErrForbidden},
		{"no ability, children's services", "childrens_services", claim, []resindex.Hit{hit(adult, 15)}, "", resindex.ErrForbidden},
		{"unknown role", "nobody", claim, []resindex.Hit{hit(adult, 15)}, "", resindex.ErrForbidden},
	} {
		e := newEnv(t, bothPolicies(t), adult, other, twin, child, vip)
		e.idx.hits = tc.hits
		got, err := e.svc.Verify(as(tc.role), tc.c)
		if got != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("%s: %q, %v; want %q, %v", tc.name, got, err, tc.want, tc.err)
		}
		entry := e.log.last(t)
		if entry.Action != "verify" || entry.Outcome != wantOutcome(tc.err) {
			t.Errorf("%s: audit %+v", tc.name, entry)
		}
		for _, id := range entry.Persons {
			if id == child.ID || id == vip.ID {
				t.Errorf("%s: the audit names a hidden person as touched", tc.name)
			}
		}
	}
	// A claim missing what verification needs names the field.
	e := newEnv(t, mustDefault(t), adult)
	e.idx.hits = []resindex.Hit{hit(adult, 15)}
	for _, tc := range []struct {
		c     access.Claim
		field string
	}{
		{access.Claim{Family: "Lee", DOB: "1980-05-06", Postcode: "AB1 2CD"}, "given"},
		{access.Claim{Given: "Ann", Family: " ", DOB: "1980-05-06", Postcode: "AB1 2CD"}, "family"},
		{access.Claim{Given: "Ann", Family: "Lee", Postcode: "AB1 2CD"}, "dob"},
		{access.Claim{Given: "Ann", Family: "Lee", DOB: "1980-05-06"}, "postcode"},
		{access.Claim{Given: "Ann", Family: "Lee", DOB: "1980-05", Postcode: "AB1 2CD"}, "dob"},
		{access.Claim{Given: "Ann", Family: "Lee", DOB: "6 May 1980", Postcode: "AB1 2CD"}, "dob"},
		{access.Claim{Given: "Ann", Family: "Lee", DOB: "31/13/1980", Postcode: "AB1 2CD"}, "dob"},
		{access.Claim{Given: strings.Repeat("A", 201), Family: "Lee", DOB: "1980-05-06", Postcode: "AB1 2CD"}, "given"},
	} {
		got, err := e.svc.Verify(as("frontline"), tc.c)
		if inputField(err) != tc.field || got != "" {
			t.Errorf("%+v: %q, %v; want an input error on %s", tc.c, got, err, tc.field)
		}
		if entry := e.log.last(t); entry.Outcome != "bad_request" {
			t.Errorf("%+v: audit outcome %q", tc.c, entry.Outcome)
		}
	}
}

// Export needs the ability and a reason, and leaves out whom the
// principal may not see.
func TestExport(t *testing.T) {
	adult := person(1, rec(srcCT, "C1"))
	child := person(2, rec(srcSchl, "S2", dob("2015-01-01")))
	vip := person(3, rec(srcCT, "C3", flags(resindex.FlagVIP)))
	old := person(4, rec(srcCT, "C4", active("2020-01-01")))
	e := newEnv(t, mustDefault(t), adult, child, vip, old)
	refs := []string{e.svc.Ref(pid(1)), e.svc.Ref(pid(2)), e.svc.Ref(pid(3)), e.svc.Ref(pid(4)), e.svc.Ref(pid(9)), "garbage"}
	for _, tc := range []struct {
		role, reason string
		refs         []string
		want         []int
		err          error
		field        string
	}{
		{"frontline", "case 1", refs, nil, resindex.ErrForbidden, ""},
		{"auditor", "case 1", refs, nil, resindex.ErrForbidden, ""},
		{"adult_social_care", "", refs, nil, nil, "reason"},
		{"adult_social_care", "  ", refs, nil, nil, "reason"},
		{"adult_social_care", "case 1", nil, nil, nil, "persons"},
		{"adult_social_care", "case 1", make([]string, access.MaxExport+1), nil, nil, "persons"},
		{"adult_social_care", "case 1", refs, []int{1}, nil, ""},
		{"fraud", "case 1", refs, []int{1}, nil, ""},
		{"safeguarding", "case 1", refs, []int{1, 2, 3}, nil, ""},
	} {
		name := tc.role + "/" + tc.reason
		got, err := e.svc.Export(as(tc.role), tc.refs, tc.reason)
		switch {
		case tc.field != "":
			if inputField(err) != tc.field {
				t.Errorf("%s: %v, want an input error on %s", name, err, tc.field)
			}
		case !errors.Is(err, tc.err):
			t.Errorf("%s: %v, want %v", name, err, tc.err)
		}
		var gotRefs, wantRefs, wantIDs []string
		for _, v := range got {
			gotRefs = append(gotRefs, v.Ref)
		}
		for _, n := range tc.want {
			wantRefs = append(wantRefs, e.svc.Ref(pid(n)))
		}
		if tc.err == nil && tc.field == "" {
			// The audit names every person asked for, exported or not: an
			// attempt to export a child is for the auditor to see.
			wantIDs = []string{pid(1), pid(2), pid(3), pid(4), pid(9)}
		}
		if !slices.Equal(gotRefs, wantRefs) {
			t.Errorf("%s: exported %v, want %v", name, gotRefs, wantRefs)
		}
		entry := e.log.last(t)
		if entry.Action != "export" || entry.Reason != tc.reason || !slices.Equal(entry.Persons, wantIDs) {
			t.Errorf("%s: audit %+v", name, entry)
		}
	}
	// An export is the full view, not a summary.
	got, err := e.svc.Export(as("adult_social_care"), refs[:1], "case 1")
	if err != nil || len(got) != 1 || got[0].Sources == nil || got[0].Name.From == nil {
		t.Errorf("export %s, %v", mustJSON(t, got), err)
	}
}

func candidate(a, b resindex.Record, pa, pb string) resindex.Candidate {
	return resindex.Candidate{Link: resindex.Link{A: a.Key(), B: b.Key(), Weight: 4, Probability: 0.7, Decision: "review"}, PersonA: pa, PersonB: pb}
}

// Review needs review_matches and leaves out pairs with a person the
// steward may not see.
func TestReview(t *testing.T) {
	a, b := rec(srcCT, "C1"), rec(srcER, "E2", named("Anne", "Lee"))
	c := rec(srcSchl, "S3", dob("2015-01-01"))
	d := rec(srcCT, "C4", flags(resindex.FlagStaff))
	f := rec(srcLib, "L5", active("2019-01-01"))
	g := rec(srcLib, "L6")
	e := newEnv(t, bothPolicies(t), person(1, a), person(2, b), person(3, c), person(4, d), person(5, f, rec(srcLib, "L5b")), person(6, g))
	e.idx.cands = []resindex.Candidate{
		candidate(a, b, pid(1), pid(2)),
		candidate(a, c, pid(1), pid(3)),                  // a child
		candidate(d, b, pid(4), pid(2)),                  // shielded
		candidate(b, f, pid(2), pid(5)),                  // a record outside the window
		candidate(a, rec(srcCT, "C77"), pid(1), pid(77)), // a person gone
		candidate(b, g, pid(2), pid(6)),                  // fine
		candidate(a, g, pid(1), pid(6)),                  // fine, but not for narrow
		candidate(b, a, pid(2), pid(1)),                  // fine
		candidate(d, a, pid(4), pid(1)),                  // shielded, for narrow too
	}
	type pair = [2]string
	walk := func(role string, size int) ([][]pair, error) {
		var pages [][]pair
		tok := ""
		for range 10 {
			pg, err := e.svc.Review(as(role), access.Page{Token: tok, Size: size})
			if err != nil {
				return pages, err
			}
			var ps []pair
			for _, it := range pg.Items {
				ps = append(ps, pair{it.A.Record, it.B.Record})
				if it.Link.Weight != 4 || it.Link.Decision != "review" {
					t.Errorf("%s: link %+v", role, it.Link)
				}
			}
			pages = append(pages, ps)
			if tok = pg.NextPage; tok == "" {
				break
			}
		}
		return pages, nil
	}
	if _, err := walk("frontline", 10); !errors.Is(err, resindex.ErrForbidden) {
		t.Errorf("frontline: %v", err)
	}
	if _, err := walk("auditor", 10); !errors.Is(err, resindex.ErrForbidden) {
		t.Errorf("auditor: %v", err)
	}
	ab, bg, ag, ba := pair{"council_tax/C1", "electoral_roll/E2"}, pair{"electoral_roll/E2", "libraries/L6"}, pair{"council_tax/C1", "libraries/L6"}, pair{"electoral_roll/E2", "council_tax/C1"}
	pages, err := walk("data_steward", 10)
	if err != nil || !reflect.DeepEqual(pages, [][]pair{{ab, bg, ag, ba}}) {
		t.Errorf("data_steward: %v, %v", pages, err)
	}
	pages, err = walk("data_steward", 3)
	// Pages are filled past pairs the steward may not see.
	if err != nil || !reflect.DeepEqual(pages, [][]pair{{ab, bg, ag}, {ba}}) {
		t.Errorf("data_steward by 3: %v, %v", pages, err)
	}
	pages, err = walk("narrow", 10)
	if err != nil || len(pages) != 1 || len(pages[0]) != 0 {
		t.Errorf("narrow: %v, %v", pages, err)
	}
	// Items show the steward's summary of each record, with its person's
	// reference; the audit names the persons shown.
	pg, err := e.svc.Review(as("data_steward"), access.Page{Size: 1})
	if err != nil || len(pg.Items) != 1 {
		t.Fatalf("%+v, %v", pg, err)
	}
	it := pg.Items[0]
	if it.A.Person != e.svc.Ref(pid(1)) || it.B.Person != e.svc.Ref(pid(2)) || it.B.Name == nil || it.B.Name.Value.Given != "Anne" || it.A.DOB == nil {
		t.Errorf("item %s", mustJSON(t, it))
	}
	if entry := e.log.last(t); entry.Action != "review" || !slices.Equal(entry.Persons, []string{pid(1), pid(2)}) {
		t.Errorf("audit %+v", entry)
	}
	if _, err := e.svc.Review(as("data_steward"), access.Page{Token: "!!"}); inputField(err) != "page_token" {
		t.Errorf("a bad token: %v", err)
	}
	if _, err := e.svc.Review(as("data_steward"), access.Page{Size: 101}); inputField(err) != "page_size" {
		t.Errorf("a bad size: %v", err)
	}
}

// A review page token says nothing of the pairs the steward may not see:
// not the source or ID of a child's, a shielded person's or a hidden
// source's record.
func TestReviewTokenHidesRecords(t *testing.T) {
	a, b := rec(srcCT, "C1"), rec(srcER, "E2")
	kid := rec(srcCSC, "KID-4711", dob("2015-01-01"))
	vip := rec(srcCT, "VIP-0815", flags(resindex.FlagVIP))
	e := newEnv(t, mustDefault(t), person(1, a), person(2, b), person(3, kid), person(4, vip))
	e.idx.cands = []resindex.Candidate{
		candidate(a, kid, pid(1), pid(3)),
		candidate(b, a, pid(2), pid(1)),
		candidate(vip, a, pid(4), pid(1)),
		candidate(a, b, pid(1), pid(2)),
	}
	for _, size := range []int{1, 3} {
		tok := ""
		for range 10 {
			pg, err := e.svc.Review(as("data_steward"), access.Page{Token: tok, Size: size})
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := base64.RawURLEncoding.DecodeString(pg.NextPage)
			for _, hidden := range []string{"KID-4711", srcCSC, "VIP-0815"} {
				if strings.Contains(mustJSON(t, pg)+string(raw), hidden) {
					t.Errorf("size %d: the page shows %s of a pair left out (next_page decodes to %q)", size, hidden, raw)
				}
			}
			if tok = pg.NextPage; tok == "" {
				break
			}
		}
	}
}

// Override needs review_matches, a kind, a reason and two records the
// steward may see; only then is the overrider called.
func TestOverride(t *testing.T) {
	a, b := rec(srcCT, "C1"), rec(srcER, "E2")
	c := rec(srcSchl, "S3", dob("2015-01-01"))
	d := rec(srcCT, "C4", flags(resindex.FlagStaff))
	f := rec(srcCT, "C5", active("2019-01-01"))
	g := rec(srcCT, "C6")
	e := newEnv(t, bothPolicies(t), person(1, a), person(2, b), person(3, c), person(4, d), person(5, f, g))
	k := func(r resindex.Record) resindex.RecordKey { return r.Key() }
	missing := resindex.RecordKey{Source: srcCT, ID: "NOPE"}
	for _, tc := range []struct {
		name, role string
		a, b       resindex.RecordKey
		kind       string
		reason     string
		err        error
		field      string
		persons    []string
	}{
		{"link", "data_steward", k(a), k(b), "link", "same NINO", nil, "", []string{pid(1), pid(2)}},
		{"unlink", "data_steward", k(a), k(b), "unlink", "twins", nil, "", []string{pid(1), pid(2)}},
		{"a shielded person, with the reason", "narrow", k(a), k(d), "unlink", "checked", nil, "", []string{pid(1), pid(4)}},
		{"no ability", "frontline", k(a), k(b), "link", "x", resindex.ErrForbidden, "", nil},
		{"no ability, auditor", "auditor", k(a), k(b), "link", "x", resindex.ErrForbidden, "", nil},
		{"unknown kind", "data_steward", k(a), k(b), "merge", "x", nil, "kind", nil},
		{"no reason", "data_steward", k(a), k(b), "link", " ", nil, "reason", nil},
		{"one record", "data_steward", k(a), k(a), "link", "x", nil, "b", nil},
		{"a child's record", "data_steward", k(a), k(c), "link", "x", resindex.ErrNotFound, "", []string{pid(1)}},
		{"a shielded person's record", "data_steward", k(d), k(a), "link", "x", resindex.ErrNotFound, "", nil},
		{"a record not in the index", "data_steward", k(a), missing, "link", "x", resindex.ErrNotFound, "", []string{pid(1)}},
		{"a record outside the window", "data_steward", k(g), k(f), "unlink", "x", resindex.ErrNotFound, "", []string{pid(5)}},
		{"a record from a hidden source", "narrow", k(a), k(b), "link", "x", resindex.ErrNotFound, "", []string{pid(1)}},
	} {
		calls := len(e.ov.calls)
		err := e.svc.Override(as(tc.role), tc.a, tc.b, tc.kind, tc.reason)
		switch {
		case tc.field != "":
			if inputField(err) != tc.field {
				t.Errorf("%s: %v, want an input error on %s", tc.name, err, tc.field)
			}
		case !errors.Is(err, tc.err):
			t.Errorf("%s: %v, want %v", tc.name, err, tc.err)
		}
		wantCalls := calls
		if err == nil {
			wantCalls++
			if want := tc.kind + " " + tc.a.String() + " " + tc.b.String() + " " + tc.reason; e.ov.calls[len(e.ov.calls)-1] != want {
				t.Errorf("%s: override %q, want %q", tc.name, e.ov.calls[len(e.ov.calls)-1], want)
			}
		}
		if len(e.ov.calls) != wantCalls {
			t.Errorf("%s: the overrider was called %d times, want %d", tc.name, len(e.ov.calls)-calls, wantCalls-calls)
		}
		entry := e.log.last(t)
		if entry.Action != "override" || entry.Reason != tc.reason || !slices.Equal(entry.Persons, tc.persons) || entry.Outcome != wantOutcome(err) {
			t.Errorf("%s: audit %+v", tc.name, entry)
		}
	}
	// The overrider's failure is the call's, and the audit says so.
	e.ov.err = errors.New("store: disk full")
	if err := e.svc.Override(as("data_steward"), k(a), k(b), "link", "same"); !errors.Is(err, e.ov.err) {
		t.Errorf("a failed override: %v", err)
	}
	if entry := e.log.last(t); entry.Outcome != "error" {
		t.Errorf("a failed override is audited as %q", entry.Outcome)
	}
}

// Every call appends exactly one audit entry saying who, in what role,
// what, about whom, why and how it ended.
func TestAuditEveryCall(t *testing.T) {
	ann := inHousehold("uprn:100023336956", person(1, rec(srcCT, "C1"), rec(srcCT, "C1b")))
	kid := inHousehold("uprn:100023336956", person(2, rec(srcSchl, "S2", dob("2015-01-01"))))
	vip := person(3, rec(srcCT, "C3", flags(resindex.FlagVIP)))
	e := newEnv(t, mustDefault(t), ann, kid, vip)
	e.idx.hits = []resindex.Hit{{PersonID: pid(1), Weight: 15}, {PersonID: pid(2), Weight: 12}}
	e.idx.cands = []resindex.Candidate{candidate(ann.Records[0], vip.Records[0], pid(1), pid(3))}
	r1, r2, r3 := e.svc.Ref(pid(1)), e.svc.Ref(pid(2)), e.svc.Ref(pid(3))
	claim := access.Claim{Given: "Ann", Family: "Lee", DOB: "1980-05-06", Postcode: "AB1 2CD"}
	type call struct {
		name, role, action, outcome, reason string
		persons                             []string
		do                                  func(p resindex.Principal) error
	}
	for _, tc := range []call{
		{"view", "frontline", "view", "ok", "", []string{pid(1)}, func(p resindex.Principal) error { _, err := e.svc.Person(p, r1, ""); return err }},
		{"view a child", "frontline", "view", "not_found", "", []string{pid(2)}, func(p resindex.Principal) error { _, err := e.svc.Person(p, r2, ""); return err }},
		{"view garbage", "frontline", "view", "not_found", "", nil, func(p resindex.Principal) error { _, err := e.svc.Person(p, "zzz", ""); return err }},
		{"view shielded, no reason", "safeguarding", "view", "denied", "", []string{pid(3)}, func(p resindex.Principal) error { _, err := e.svc.Person(p, r3, ""); return err }},
		{"view shielded, a reason", "safeguarding", "view", "ok", "case 9", []string{pid(3)}, func(p resindex.Principal) error { _, err := e.svc.Person(p, r3, "case 9"); return err }},
		{"view, unknown role", "nobody", "view", "denied", "", nil, func(p resindex.Principal) error { _, err := e.svc.Person(p, r1, ""); return err }},
		{"search", "frontline", "search", "ok", "", []string{pid(1)}, func(p resindex.Principal) error {
			_, err := e.svc.Search(p, leeQuery, access.Page{}, "")
			return err
		}},
		{"search, bad size", "frontline", "search", "bad_request", "", nil, func(p resindex.Principal) error {
			_, err := e.svc.Search(p, leeQuery, access.Page{Size: -1}, "")
			return err
		}},
		{"household", "safeguarding", "household", "ok", "why", []string{pid(1), pid(2)}, func(p resindex.Principal) error {
			_, err := e.svc.Household(p, r1, "why")
			return err
		}},
		{"household, no field", "data_steward", "household", "denied", "", []string{pid(1)}, func(p resindex.Principal) error {
			_, err := e.svc.Household(p, r1, "")
			return err
		}},
		{"explain", "safeguarding", "explain", "ok", "", []string{pid(1)}, func(p resindex.Principal) error { _, err := e.svc.Explain(p, r1, ""); return err }},
		{"explain, no field", "frontline", "explain", "denied", "", []string{pid(1)}, func(p resindex.Principal) error { _, err := e.svc.Explain(p, r1, ""); return err }},
		{"verify", "frontline", "verify", "ok", "", []string{pid(1)}, func(p resindex.Principal) error { _, err := e.svc.Verify(p, claim); return err }},
		{"verify, no ability", "fraud", "verify", "denied", "", nil, func(p resindex.Principal) error { _, err := e.svc.Verify(p, claim); return err }},
		{"verify, bad claim", "frontline", "verify", "bad_request", "", nil, func(p resindex.Principal) error { _, err := e.svc.Verify(p, access.Claim{}); return err }},
		// An export records every person asked for, exported or not.
		{"export", "fraud", "export", "ok", "case 3", []string{pid(1), pid(2), pid(3)}, func(p resindex.Principal) error {
			_, err := e.svc.Export(p, []string{r1, r2, r3}, "case 3")
			return err
		}},
		{"export, no reason", "fraud", "export", "bad_request", "", nil, func(p resindex.Principal) error {
			_, err := e.svc.Export(p, []string{r1}, "")
			return err
		}},
		{"review", "data_steward", "review", "ok", "", nil, func(p resindex.Principal) error { _, err := e.svc.Review(p, access.Page{}); return err }},
		{"review, no ability", "frontline", "review", "denied", "", nil, func(p resindex.Principal) error { _, err := e.svc.Review(p, access.Page{}); return err }},
		{"override", "data_steward", "override", "ok", "not the same", []string{pid(1)}, func(p resindex.Principal) error {
			return e.svc.Override(p, ann.Records[0].Key(), ann.Records[1].Key(), "unlink", "not the same")
		}},
		{"audit", "auditor", "audit", "ok", "", nil, func(p resindex.Principal) error {
			_, err := e.svc.Audit(p, access.AuditFilter{}, access.Page{})
			return err
		}},
		{"audit, no ability", "frontline", "audit", "denied", "", nil, func(p resindex.Principal) error {
			_, err := e.svc.Audit(p, access.AuditFilter{}, access.Page{})
			return err
		}},
	} {
		*e.now = e.now.Add(time.Minute)
		before := e.log.len()
		p := as(tc.role)
		_ = tc.do(p)
		if n := e.log.len() - before; n != 1 {
			t.Errorf("%s: %d audit entries, want 1", tc.name, n)
			continue
		}
		got := e.log.last(t)
		if !got.At.Equal(*e.now) {
			t.Errorf("%s: audited at %v, want %v", tc.name, got.At, *e.now)
		}
		want := access.AuditEntry{At: got.At, User: p.User, Role: p.Role, Action: tc.action, Query: got.Query, Persons: tc.persons,
			Reason: tc.reason, Outcome: tc.outcome}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: audit\n %+v, want\n %+v", tc.name, got, want)
		}
	}
}

// An auditor reads the log by person (reference or ID), user and time, a
// page at a time; nobody else may.
func TestAuditRead(t *testing.T) {
	e := newEnv(t, mustDefault(t), person(1, rec(srcCT, "C1")), person(2, rec(srcCT, "C2")))
	r1, r2 := e.svc.Ref(pid(1)), e.svc.Ref(pid(2))
	start := *e.now
	look := func(user, ref string) {
		*e.now = e.now.Add(time.Hour)
		if _, err := e.svc.Person(resindex.Principal{User: user, Role: "frontline"}, ref, ""); err != nil {
			t.Fatal(err)
		}
	}
	look("ann", r1)                    // seq 1, +1h
	look("bob", r1)                    // seq 2, +2h
	look("ann", r2)                    // seq 3, +3h
	look("bob", r2)                    // seq 4, +4h
	look("ann", r1)                    // seq 5, +5h
	*e.now = start.Add(10 * time.Hour) // the auditor's reads come after every range below
	auditor := resindex.Principal{User: "ivy", Role: "auditor"}
	read := func(f access.AuditFilter, pg access.Page) ([]uint64, string) {
		t.Helper()
		out, err := e.svc.Audit(auditor, f, pg)
		if err != nil {
			t.Fatal(err)
		}
		var seqs []uint64
		for _, en := range out.Entries {
			seqs = append(seqs, en.Seq)
		}
		return seqs, out.NextPage
	}
	for _, tc := range []struct {
		name string
		f    access.AuditFilter
		want []uint64
	}{
		{"by reference", access.AuditFilter{Person: r1}, []uint64{1, 2, 5}},
		{"by person ID", access.AuditFilter{Person: pid(2)}, []uint64{3, 4}},
		{"by user", access.AuditFilter{User: "bob"}, []uint64{2, 4}},
		{"by user and person", access.AuditFilter{User: "ann", Person: r1}, []uint64{1, 5}},
		{"since", access.AuditFilter{Since: start.Add(4 * time.Hour), User: "ann"}, []uint64{5}},
		{"until", access.AuditFilter{Until: start.Add(2 * time.Hour)}, []uint64{1}},
		{"a time range", access.AuditFilter{Since: start.Add(2 * time.Hour), Until: start.Add(4 * time.Hour)}, []uint64{2, 3}},
		{"nobody", access.AuditFilter{User: "zed"}, nil},
	} {
		if got, next := read(tc.f, access.Page{}); !slices.Equal(got, tc.want) || next != "" {
			t.Errorf("%s: %v next %q, want %v", tc.name, got, next, tc.want)
		}
	}
	// Paging by two through the five looks.
	var pages [][]uint64
	tok := ""
	for range 10 {
		got, next := read(access.AuditFilter{Until: start.Add(6 * time.Hour)}, access.Page{Token: tok, Size: 2})
		pages = append(pages, got)
		if tok = next; tok == "" {
			break
		}
	}
	if want := [][]uint64{{1, 2}, {3, 4}, {5}}; !reflect.DeepEqual(pages, want) {
		t.Errorf("pages %v, want %v", pages, want)
	}
	// Reading is recorded; only auditors read; tokens are checked.
	if entry := e.log.last(t); entry.User != "ivy" || entry.Action != "audit" || entry.Outcome != "ok" {
		t.Errorf("the read was audited as %+v", entry)
	}
	for _, role := range []string{"frontline", "safeguarding", "admin", "data_steward"} {
		if _, err := e.svc.Audit(as(role), access.AuditFilter{}, access.Page{}); !errors.Is(err, resindex.ErrForbidden) {
			t.Errorf("%s reads the audit log: %v", role, err)
		}
	}
	for _, pg := range []access.Page{{Token: "x"}, {Token: "-1"}, {Size: 101}, {Size: -3}} {
		if _, err := e.svc.Audit(auditor, access.AuditFilter{}, pg); inputField(err) == "" {
			t.Errorf("%+v: %v, want an input error", pg, err)
		}
	}
}
