package main

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
	"github.com/resindex/resindex/evaluate"
	"github.com/resindex/resindex/web"
)

// TestSubjectAccessOverABorough bulk-loads a borough and, for 100 true
// persons chosen at random (fixed seed), asks for the report with every
// index person holding one of their truth records. Each report must list
// all their truth records, list only records the index holds for the
// persons asked for, and show nothing of the other members of their
// households (name, date of birth, identifiers, reference) in its JSON or
// its HTML. Records the matcher wrongly merged into those index persons
// are the index's error, not the report's: they are counted and logged,
// and must be exactly what the index itself holds for the persons.
func TestSubjectAccessOverABorough(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "gen", "--persons", "2500", "--seed", "16", "--out", dir, "--quiet", "--no-events")
	data := filepath.Join(dir, "store")
	mustRun(t, "ingest", "--canonical", filepath.Join(dir, "canonical"), "--data", data, "--bulk", "--quiet")
	truth, err := evaluate.ReadTruthFile(filepath.Join(dir, "truth", "records.csv"))
	if err != nil {
		t.Fatal(err)
	}
	checkSARCommand(t, dir, data, truth)

	m := &Main{}
	m.Config.Data = data
	if err := m.OpenAccess(); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	byPerson := map[string][]resindex.RecordKey{}
	for k, p := range truth {
		byPerson[p] = append(byPerson[p], k)
	}
	people := slices.Sorted(func(yield func(string) bool) {
		for p := range byPerson {
			if !yield(p) {
				return
			}
		}
	})
	rng := rand.New(rand.NewPCG(16, 1))
	rng.Shuffle(len(people), func(i, j int) { people[i], people[j] = people[j], people[i] })
	var stats sarStats
	for _, tp := range people[:100] {
		checkOneSAR(t, m, tp, byPerson[tp], truth, &stats)
	}
	checkThirdPartiesShown(t, m, people[:100], byPerson)
	t.Logf("100 persons: %d records; %d held in more than one index person; %d with records of others merged in (%d records, all the index's own merges); %d household members redacted",
		stats.records, stats.split, stats.merged, stats.mergedRecords, stats.redacted)
}

type sarStats struct {
	records, split, merged, mergedRecords, redacted int
}

// checkOneSAR checks one true person's report.
func checkOneSAR(t *testing.T, m *Main, tp string, keys []resindex.RecordKey, truth map[resindex.RecordKey]string, st *sarStats) {
	t.Helper()
	pids := map[string]bool{}
	for _, k := range keys {
		if pid, ok := m.Engine.PersonOf(k); ok {
			pids[pid] = true
		}
	}
	refs := slices.Sorted(func(yield func(string) bool) {
		for p := range pids {
			if !yield(p) {
				return
			}
		}
	})
	if len(refs) > 1 {
		st.split++
	}
	p := resindex.Principal{User: "ig-officer", Role: "information_governance", Via: "test"}
	sar, err := m.Access.SubjectAccessFor(context.Background(), p, access.SARRequest{Refs: refs, Reason: "subject access request 16"})
	if err != nil {
		t.Fatalf("true person %s (index %v): %v", tp, refs, err)
	}
	listed := map[resindex.RecordKey]bool{}
	var others int
	for _, r := range sar.Records {
		k := r.Key()
		listed[k] = true
		if pid, _ := m.Engine.PersonOf(k); !pids[pid] {
			t.Errorf("true person %s: record %s is not held by the persons asked for", tp, k)
		}
		if truth[k] != tp {
			others++
		}
	}
	for _, k := range keys {
		if !listed[k] {
			t.Errorf("true person %s: truth record %s is missing from the report", tp, k)
		}
	}
	held := 0
	for pid := range pids {
		per, err := m.Engine.Person(pid)
		if err != nil {
			t.Fatal(err)
		}
		held += len(per.Records)
	}
	if len(sar.Records) != held {
		t.Errorf("true person %s: %d records listed, the index holds %d for them", tp, len(sar.Records), held)
	}
	if others > 0 {
		st.merged++
		st.mergedRecords += others
	}
	st.records += len(sar.Records)
	st.redacted += checkRedacted(t, m, sar, pids)
}

// checkThirdPartiesShown is the redaction check's control: asked to show
// other residents, with a reason, a report names them (so the check above
// would see them), and the audit entry records them.
func checkThirdPartiesShown(t *testing.T, m *Main, people []string, byPerson map[string][]resindex.RecordKey) {
	t.Helper()
	for _, tp := range people {
		pid, _ := m.Engine.PersonOf(byPerson[tp][0])
		members := householdMembers(t, m, map[string]bool{pid: true})
		if len(members) == 0 {
			continue
		}
		p := resindex.Principal{User: "ig-officer", Role: "information_governance", Via: "test"}
		sar, err := m.Access.SubjectAccessFor(context.Background(), p, access.SARRequest{Refs: []string{pid}, Reason: "sar",
			ThirdParties: true, ThirdPartyReason: "the household's written consent"})
		if err != nil {
			t.Fatal(err)
		}
		js, _ := json.Marshal(sar)
		if !strings.Contains(string(js), m.Access.Ref(members[0])) {
			t.Errorf("third parties shown: the report lacks household member %s", members[0])
		}
		return
	}
	t.Fatal("no chosen person has a household")
}

// checkRedacted checks that the report's JSON and HTML hold nothing that
// names the other members of the persons' households, beyond what the
// persons' own records also hold (a shared family name, say), and
// returns how many members there were.
func checkRedacted(t *testing.T, m *Main, sar *access.SAR, pids map[string]bool) int {
	t.Helper()
	js, err := json.Marshal(sar)
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	if err := web.WriteSARReport(&page, sar); err != nil {
		t.Fatal(err)
	}
	outputs := map[string]string{"json": string(js), "html": html.UnescapeString(page.String())}
	own := map[string]bool{}
	for _, r := range sar.Records {
		for _, v := range personValues(&r.Record) {
			own[v] = true
		}
	}
	members := householdMembers(t, m, pids)
	for _, mid := range members {
		mp, err := m.Engine.Person(mid)
		if err != nil {
			t.Fatal(err)
		}
		vals := []string{m.Access.Ref(mid), mid}
		for i := range mp.Records {
			vals = append(vals, personValues(&mp.Records[i])...)
		}
		for _, v := range vals {
			if own[v] || len(v) < 4 {
				continue
			}
			for kind, out := range outputs {
				if strings.Contains(out, v) {
					t.Errorf("%s of the report of %v shows a household member's %q", kind, sar.Persons, v)
				}
			}
		}
	}
	return len(members)
}

// householdMembers are the persons in the current households of the
// persons asked for, other than them.
func householdMembers(t *testing.T, m *Main, pids map[string]bool) []string {
	t.Helper()
	var out []string
	for pid := range pids {
		per, err := m.Engine.Person(pid)
		if err != nil {
			t.Fatal(err)
		}
		if per.Household == "" {
			continue
		}
		ids, err := m.Engine.Household(per.Household)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if !pids[id] && !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}

// personValues are what identifies a person in a record: full names,
// date of birth (as stored and as the report words it) and personal
// identifiers (not a UPRN: the property is the person's own address too).
func personValues(r *resindex.Record) []string {
	var out []string
	for _, n := range append([]resindex.Name{r.Name}, r.OtherNames...) {
		if n.Given != "" && n.Family != "" {
			out = append(out, n.Given+" "+n.Family)
		}
	}
	if r.DOB != "" {
		out = append(out, r.DOB)
		if d, err := time.Parse(time.DateOnly, r.DOB); err == nil {
			out = append(out, d.Format("2 January 2006"))
		}
	}
	for kind, v := range r.Identifiers {
		if kind != resindex.IDUPRN && v != "" {
			out = append(out, v)
		}
	}
	out = append(out, r.Emails...)
	return append(out, r.Phones...)
}

// checkSARCommand runs `resindex sar` for one person held in two index
// persons at most, reads back sar.json and sar.html, and checks that the
// report was audited; then refuses bad flags.
func checkSARCommand(t *testing.T, dir, data string, truth map[resindex.RecordKey]string) {
	t.Helper()
	clusters := filepath.Join(dir, "clusters.csv")
	mustRun(t, "export", "clusters", "--data", data, "--out", clusters)
	as, err := evaluate.ReadAssignmentsFile(clusters)
	if err != nil {
		t.Fatal(err)
	}
	pid := as[0].PersonID
	out := filepath.Join(dir, "sar-out")
	_, errs := mustRun(t, "sar", "--data", data, "--person", pid, "--out", out, "--reason", "letter of 1 December")
	if !strings.Contains(errs, "sar.json") {
		t.Errorf("no summary on stderr: %q", errs)
	}
	js, err := os.ReadFile(filepath.Join(out, "sar.json"))
	if err != nil {
		t.Fatal(err)
	}
	var sar access.SAR
	if err := json.Unmarshal(js, &sar); err != nil || len(sar.Records) == 0 || len(sar.Information) == 0 {
		t.Fatalf("sar.json: %v, %d records", err, len(sar.Records))
	}
	page, err := os.ReadFile(filepath.Join(out, "sar.html"))
	if err != nil || !bytes.Contains(page, []byte("Subject access report")) || !bytes.Contains(page, []byte("@media print")) {
		t.Fatalf("sar.html: %v\n%.300s", err, page)
	}
	audit, _ := mustRun(t, "audit", "list", "--data", data, "--person", pid)
	if !strings.Contains(audit, `"action":"subject_access"`) || !strings.Contains(audit, "letter of 1 December") {
		t.Errorf("the report is not audited with its reason:\n%s", audit)
	}
	for _, bad := range [][]string{
		{"sar", "--data", data},
		{"sar", "--person", pid},
		{"sar", "--data", filepath.Join(dir, "nowhere"), "--person", pid},
		{"sar", "--data", data, "--person", "P9999999999", "--out", out},
		{"sar", "--data", data, "--person", pid, "--role", "frontline", "--out", out},
	} {
		if _, errs, code := runCLI(t, bad...); code == 0 || errs == "" {
			t.Errorf("%v: exit %d, %q", bad, code, errs)
		}
	}
	_ = truth
}
