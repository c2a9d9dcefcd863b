package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/store"
)

// TestEveryStoredKeyHasAKnownKind populates one store by every path that
// writes to it, then walks every key and fails on any the layout does not
// know: erasure (a later issue) must be able to prove that nothing of a
// person survives, which needs every key to be of a declared kind. The
// paths: a borough's bulk load and its later changes, an extract, the
// command line's overrides and tokens, the Kafka path (its positions and
// the change feed's cursor), and a JSON API session of searches, person,
// household and links views, the review queue, a steward's override, an
// export and the audit log. Dead letters and a large change's journal
// live only a moment: store's TestShortLivedKeysHaveKnownKinds checks
// them.
func TestEveryStoredKeyHasAKnownKind(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "gen", "--persons", "400", "--seed", "6", "--out", dir, "--quiet")
	data := filepath.Join(dir, "store")
	canonical := filepath.Join(dir, "canonical")
	mustRun(t, "ingest", "--canonical", canonical, "--data", data, "--bulk", "--before", "2026-08-01", "--quiet")
	mustRun(t, "ingest", "--canonical", canonical, "--data", data, "--since", "2026-08-01", "--quiet")
	mustRun(t, "ingest", "--source", "council_tax", "--file", filepath.Join(dir, "native", "council_tax.csv"), "--data", data, "--quiet")
	a, b := twoRecordsOfOnePerson(t, filepath.Join(dir, "truth", "records.csv"))
	mustRun(t, "override", "unlink", a, b, "--data", data, "--reason", "different people: checked with the resident")
	mustRun(t, "override", "link", a, b, "--data", data, "--reason", "the same person after all")
	mustRun(t, "rectify", "--data", data, "--person", widest(personSources(t, data), ""), "--field", "dob", "--dob", "1980-01-01", "--reason", "certificate seen")

	serveKafka(t, dir, data)
	apiSession(t, data)

	seen := walkKeys(t, data)
	for _, want := range []string{layout.RecordPrefix, layout.MemberPrefix, layout.PersonPrefix, layout.GoldenPrefix,
		layout.RedirectPrefix, layout.BlockPrefix, layout.PostcodePrefix, layout.HouseholdPrefix, layout.FreqPrefix,
		layout.ReviewPrefix, layout.OverridePrefix, layout.PositionPrefix, layout.OutboxPrefix, layout.AuditPrefix,
		layout.TokenPrefix, layout.SingletonPrefix, layout.NoticePrefix} {
		if seen[want] == 0 {
			t.Errorf("no key of kind %s: the test no longer exercises what writes it", want)
		}
	}
	t.Logf("keys by kind: %v", seen)
}

// serveKafka feeds the borough's event timelines, malformed events and
// all, through a Kafka-protocol broker into the store.
func serveKafka(t *testing.T, dir, data string) {
	t.Helper()
	addr := kafkaBroker(t)
	produceEvents(t, addr, dir, 0, 1)
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"serve", "--data", data, "--brokers", strings.Join(addr, ","), "--topics", "all",
		"--stop-when-idle", "1500ms", "--quiet"}, &env{stdout: &out, stderr: &errb})
	if code != 0 {
		t.Fatalf("serve: exit %d\n%s", code, errb.String())
	}
}

// apiSession makes the calls of a day's work through the JSON API.
func apiSession(t *testing.T, data string) {
	t.Helper()
	token := func(role string) string {
		tok, _ := mustRun(t, "token", "create", "--data", data, "--name", role, "--role", role)
		return strings.TrimSpace(tok)
	}
	front, steward, auditor, asc := token("frontline"), token("data_steward"), token("auditor"), token("adult_social_care")
	mustRun(t, "token", "revoke", "--data", data, "--name", "auditor")
	auditor = token("auditor")
	a, b := twoRecords(t, data) // before serve holds the store
	addr := freeAddr(t)
	_, errb, stop := startCommand(t, "serve", "--data", data, "--http-addr", addr)
	base := "http://" + addr + "/api/v1"
	waitFor(t, "http://"+addr, errb)

	search := func(tok string) string {
		var found struct {
			Results []struct {
				ID string `json:"id"`
			} `json:"results"`
		}
		call(t, "GET", base+"/persons?family=Smith", tok, nil, &found)
		if len(found.Results) == 0 {
			t.Fatal("the search found no one")
		}
		return found.Results[0].ID
	}
	ref := search(front)
	for _, path := range []string{"/persons/" + ref, "/persons/" + ref + "/household"} {
		call(t, "GET", base+path, front, nil, nil)
	}
	call(t, "GET", base+"/persons/"+search(steward)+"/links", steward, nil, nil)
	call(t, "GET", base+"/review", steward, nil, nil)
	call(t, "POST", base+"/overrides", steward, map[string]string{"a": a, "b": b, "kind": "unlink", "reason": "checked"}, nil)
	call(t, "POST", base+"/export", asc, map[string]any{"persons": []string{search(asc)}, "reason": "care assessment"}, nil)
	call(t, "GET", base+"/audit", auditor, nil, nil)
	if code := stop(); code != 0 {
		t.Fatalf("serve stopped with %d:\n%s", code, errb.String())
	}
}

// call makes one API request and decodes its answer, failing on a status
// other than 200.
func call(t *testing.T, method, url, token string, body, out any) {
	t.Helper()
	var rd bytes.Buffer
	if body != nil {
		if err := json.NewEncoder(&rd).Encode(body); err != nil {
			t.Fatal(err)
		}
	}
	req, err := http.NewRequest(method, url, &rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var raw bytes.Buffer
	raw.ReadFrom(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %d %s", method, url, resp.StatusCode, raw.String())
	}
	if out != nil {
		if err := json.Unmarshal(raw.Bytes(), out); err != nil {
			t.Fatalf("%s %s: %v", method, url, err)
		}
	}
}

// twoRecords names two live records of different persons in the store.
func twoRecords(t *testing.T, data string) (string, string) {
	t.Helper()
	clusters := filepath.Join(t.TempDir(), "clusters.csv")
	mustRun(t, "export", "clusters", "--data", data, "--out", clusters)
	lines := strings.Split(strings.TrimSpace(mustReadFile(t, clusters)), "\n")[1:]
	first := strings.Split(lines[0], ",")
	for _, l := range lines[1:] {
		if f := strings.Split(l, ","); f[2] != first[2] {
			return first[0] + "/" + first[1], f[0] + "/" + f[1]
		}
	}
	t.Fatal("every record is one person's")
	return "", ""
}

// walkKeys checks every key of the store against the layout and counts
// them by kind.
func walkKeys(t *testing.T, data string) map[string]int {
	t.Helper()
	db, err := store.Open(store.Options{Dir: data, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	seen := map[string]int{}
	err = db.View(func(tx resindex.Txn) error {
		return tx.ScanKeys(nil, func(key []byte) error {
			if err := layout.Check(key); err != nil {
				t.Error(err)
				return nil
			}
			k, _ := layout.KindOf(key)
			seen[k.Prefix]++
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) == 0 {
		t.Fatal("the store holds no keys")
	}
	return seen
}
