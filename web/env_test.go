package web_test

import (
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/alerts"
	"github.com/resindex/resindex/fraud"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
	"github.com/resindex/resindex/synth"
	"github.com/resindex/resindex/web"
)

// now is the synthetic borough's today: its timeline ends on 1 November
// 2026.
var now = time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)

// borough is a synthetic borough loaded into a real store, with an engine,
// shared by the tests of this package (each test gets its own server and
// tokens over it).
type borough struct {
	db      *store.DB
	eng     *resolver.Engine
	persons map[string]resindex.Person // every person, by ID
	key     []byte
	// alerts are the alerts raised in the borough (see raiseAlerts), and
	// the first of them as raised, to raise more like it.
	alerts []string
	alert  resindex.Alert
	// fraud keeps the runs of the fraud checks over the store, as serve's
	// does: the borough's injected sublets and false discounts are what
	// the findings pages show.
	fraud *fraud.Cache
}

var (
	boroughOnce sync.Once
	shared      *borough
	sharedErr   error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if shared != nil {
		for shared.fraud.Running() { // a run of the fraud checks reads the store to its end
			time.Sleep(10 * time.Millisecond)
		}
		shared.db.Close()
	}
	for _, d := range tempDirs {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

var tempDirs []string

// tempDir is a directory that outlives one test (the shared borough's
// store), removed when the package's tests end.
func tempDir() (string, error) {
	d, err := os.MkdirTemp("", "resindex-web-test-")
	tempDirs = append(tempDirs, d)
	return d, err
}

// mustBorough generates and bulk-loads a borough of 1,500 people once.
func mustBorough(t testing.TB) *borough {
	t.Helper()
	boroughOnce.Do(func() { shared, sharedErr = loadBorough(1500, 11) })
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return shared
}

func loadBorough(persons int, seed uint64) (*borough, error) {
	cfg := synth.DefaultConfig()
	cfg.Persons, cfg.Seed = persons, seed
	b, err := synth.Generate(cfg, nil)
	if err != nil {
		return nil, err
	}
	var all []resindex.Record
	for _, src := range resindex.Sources {
		all = append(all, b.Records[src]...)
	}
	var live []resindex.Record
	restricted := 0
	for _, r := range resolver.Latest(all) {
		if r.Deleted {
			continue
		}
		// The generator shields adults only; children's services restrict
		// some children's records (adoption, protection), so two are.
		if r.Source == resindex.SourceChildrenSocial && restricted < 2 && !slices.Contains(r.Flags, resindex.FlagRestricted) {
			r.Flags = append(r.Flags, resindex.FlagRestricted)
			restricted++
		}
		live = append(live, r)
	}
	dir, err := tempDir()
	if err != nil {
		return nil, err
	}
	db, err := store.Open(store.Options{Dir: dir, GCInterval: -1})
	if err != nil {
		return nil, err
	}
	batch := func(fn func(set func(k, v []byte) error) error) error {
		return db.Chunked(func(w *store.Writer) error { return fn(w.Set) })
	}
	eng, _, err := resolver.BulkLoad(db, batch, live, resolver.BulkOptions{Stream: "test"})
	if err != nil {
		return nil, err
	}
	out := &borough{db: db, eng: eng, persons: map[string]resindex.Person{}, key: []byte(strings.Repeat("k", access.KeySize)),
		fraud: fraud.NewCache(liveRecords(db), 0)}
	err = resolver.Export(db, func(a resindex.Assignment) error {
		if _, ok := out.persons[a.PersonID]; !ok {
			p, err := eng.Person(a.PersonID)
			out.persons[a.PersonID] = p
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, raiseAlerts(out)
}

// liveRecords feeds the fraud checks a store's records, as serve does.
func liveRecords(db *store.DB) fraud.Scan {
	return func(fn func(string, *resindex.Record, resindex.Property) error) error {
		return resolver.LiveRecords(db, fn)
	}
}

// raiseAlerts writes two alerts into the borough's inbox, as the alert
// rule would raise them for real persons of it: a new adult in the
// household of a child known to children's services, and a look at that
// child by someone outside children's services. When and whether the
// rule raises them is the alerts package's to test; these give the inbox
// something to show.
func raiseAlerts(b *borough) error {
	adult, child, err := alertPair(b)
	if err != nil || adult == nil {
		return err // a borough too small to hold such a household has no alerts
	}
	kid := alertPerson(child)
	raised := []resindex.Alert{
		{Kind: resindex.AlertNewAdult, Severity: severityOf(kid.Flags), Household: adult.Household,
			UPRN: uprnOf(adult.Household), Adult: ptr(alertPerson(adult)), Children: []resindex.AlertPerson{kid},
			Evidence: &resindex.Provenance{Source: adult.Records[0].Source, Record: adult.Records[0].ID}, EvidenceDate: "2026-10-01"},
		{Kind: resindex.AlertChildLookedUp, Severity: severityOf(kid.Flags), Household: child.Household,
			UPRN: uprnOf(child.Household), Children: []resindex.AlertPerson{kid},
			LookedUp: &resindex.Lookup{By: "demo:frontline", Role: "frontline", At: now.Add(-time.Hour), Surface: "ui", Action: "person"}},
	}
	b.alert = raised[0]
	for i := range raised {
		id, err := b.raise(raised[i])
		if err != nil {
			return err
		}
		b.alerts = append(b.alerts, id)
	}
	return nil
}

// raise stores a new alert like a, with a webhook delivery queued.
func (b *borough) raise(a resindex.Alert) (string, error) {
	var id string
	err := b.db.Update(func(t resindex.Txn) error {
		c := a
		var err error
		id, err = alerts.Raise(t, &c, now, []string{"case-system"})
		return err
	})
	return id, err
}

// alertPair finds, in person ID order, a child with a children's social
// care record and an adult without one living in the same household: a
// child on a child protection plan if there is one (the alert the inbox
// shows first, in red).
func alertPair(b *borough) (adult, child *resindex.Person, err error) {
	ids := slices.Sorted(maps.Keys(b.persons))
	onPlan := func(id string) bool {
		p := b.persons[id]
		return slices.Contains(alertPerson(&p).Flags, resindex.FlagChildProtectionPlan)
	}
	planned := slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return !onPlan(id) })
	for _, id := range append(planned, ids...) {
		c := b.persons[id]
		if !fromChildrensServices(&c) || c.Household == "" {
			continue
		}
		members, err := b.eng.Household(c.Household)
		if err != nil {
			return nil, nil, err
		}
		for _, m := range members {
			if a := b.persons[m]; !fromChildrensServices(&a) && alertPerson(&a).Age >= 18 {
				return &a, &c, nil
			}
		}
	}
	return nil, nil, nil
}

func fromChildrensServices(p *resindex.Person) bool {
	return slices.ContainsFunc(p.Records, func(r resindex.Record) bool { return r.Source == resindex.SourceChildrenSocial })
}

// alertPerson names a person as an alert does: their records, their age
// by the first date of birth they hold (0 when none), and their
// children's social care flags.
func alertPerson(p *resindex.Person) resindex.AlertPerson {
	ap := resindex.AlertPerson{Person: p.ID, AgeUnknown: true}
	for _, r := range p.Records {
		ap.Records = append(ap.Records, r.Key())
		if dob, err := time.Parse("2006-01-02", r.DOB); err == nil && ap.AgeUnknown {
			ap.Age, ap.AgeUnknown = int(now.Sub(dob).Hours()/24/365.25), false
		}
		for _, f := range r.Flags {
			if slices.Contains([]string{resindex.FlagChildProtectionPlan, resindex.FlagLookedAfter, resindex.FlagChildInNeed}, f) && !slices.Contains(ap.Flags, f) {
				ap.Flags = append(ap.Flags, f)
			}
		}
	}
	return ap
}

// uprnOf is a household key's UPRN ("" for a key of address text).
func uprnOf(key string) string {
	u, ok := strings.CutPrefix(key, "uprn:")
	if !ok {
		return ""
	}
	return u
}

func severityOf(flags []string) string {
	switch {
	case slices.Contains(flags, resindex.FlagChildProtectionPlan):
		return resindex.SeverityHigh
	case slices.Contains(flags, resindex.FlagLookedAfter):
		return resindex.SeverityMedium
	}
	return resindex.SeverityLow
}

func ptr[T any](v T) *T { return &v }

// server is one API server over the borough, with a token for each role.
type server struct {
	*borough
	svc      *access.Service
	url      string
	tokens   map[string]string
	refs     map[string]string // reference → person ID
	mu       sync.Mutex
	statuses map[string]int // "METHOD endpoint status" → calls
}

// endpoint names a path's endpoint, without the person reference or query.
func endpoint(path string) string {
	path, _, _ = strings.Cut(path, "?")
	parts := strings.Split(path, "/")
	switch {
	case len(parts) > 5 && parts[3] == "fraud" && parts[4] == "findings":
		parts[5] = "{id}"
	case len(parts) > 5 && parts[3] == "rights" && parts[4] == "persons":
		parts[5] = "{ref}"
	case len(parts) > 4 && (parts[3] == "persons" || parts[3] == "alerts"):
		parts[4] = "{id}"
	}
	return strings.Join(parts, "/")
}

func newServer(t testing.TB, cfg web.Config) *server {
	t.Helper()
	return serverOn(t, mustBorough(t), cfg)
}

// serverOn is an API server over a borough, with a token for each role.
func serverOn(t testing.TB, b *borough, cfg web.Config) *server {
	t.Helper()
	pol, err := access.Default()
	if err != nil {
		t.Fatal(err)
	}
	svc, err := access.New(pol, b.eng, b.eng, b.db, access.Options{Key: b.key, Now: func() time.Time { return now }, Alerts: b.db,
		Fraud: b.fraud, FraudReviews: b.db, Rights: b.db, Notices: b.db})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Access, cfg.Tokens = svc, b.db
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return now }
	}
	if cfg.Rate == 0 {
		cfg.Rate, cfg.Burst = 1e6, 1e6 // the matrix makes thousands of calls
	}
	srv, err := web.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	s := &server{borough: b, svc: svc, url: hs.URL, tokens: map[string]string{}, refs: map[string]string{}, statuses: map[string]int{}}
	for _, role := range pol.Roles() {
		tok, err := web.CreateToken(b.db, web.TokenInfo{Name: "test-" + role, Role: role, Created: now})
		if err != nil {
			t.Fatal(err)
		}
		s.tokens[role] = tok
	}
	for pid := range b.persons {
		s.refs[svc.Ref(pid)] = pid
	}
	return s
}

// call makes one API request with a bearer token (none if ""), an
// optional reason and JSON body, and decodes the JSON answer.
func (s *server) call(t testing.TB, method, path, token, reason string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = strings.NewReader(string(data))
	}
	req, err := http.NewRequest(method, s.url+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if reason != "" {
		req.Header.Set(web.ReasonHeader, reason)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	s.mu.Lock()
	s.statuses[method+" "+endpoint(path)+" "+strconv.Itoa(resp.StatusCode)]++
	s.mu.Unlock()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil && resp.StatusCode != http.StatusNoContent {
		t.Fatalf("%s %s: status %d, body not JSON: %v", method, path, resp.StatusCode, err)
	}
	return resp.StatusCode, out
}
