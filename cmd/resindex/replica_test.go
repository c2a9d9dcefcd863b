package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/resindex/resindex/store"
)

// TestReadReplica runs a writer (serve fed by a Kafka-protocol broker,
// serving the API and replication) and a read replica following it:
// a resident the writer takes in becomes searchable on the replica, the
// replica refuses changes, a token revoked on the writer stops working
// on the replica, and a replica stopped while the writer goes on catches
// up, on restart, to a store equal to the writer's.
func TestReadReplica(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "gen", "--persons", "200", "--seed", "8", "--out", dir, "--quiet")
	wdata, rdata := filepath.Join(dir, "writer"), filepath.Join(dir, "replica")
	mustRun(t, "ingest", "--canonical", filepath.Join(dir, "canonical"), "--data", wdata, "--quiet")
	tok := newToken(t, wdata, "crm")
	leaked := newToken(t, wdata, "leaked")
	secret := filepath.Join(dir, "replication.secret")
	if err := os.WriteFile(secret, []byte(strings.Repeat("9f", 32)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	brokers := strings.Join(kafkaBroker(t), ",")
	waddr, raddr := freeAddr(t), freeAddr(t)
	wbase, rbase := "http://"+waddr, "http://"+raddr
	writer := func(kafka bool) func() int {
		args := []string{"serve", "--data", wdata, "--http-addr", waddr, "--replication-secret-file", secret}
		if kafka {
			args = append(args, "--brokers", brokers, "--topics", "all")
		}
		_, errb, stop := startCommand(t, args...)
		t.Cleanup(func() { t.Log(errb.String()) })
		waitFor(t, wbase, errb)
		return stop
	}
	replica := func() func() int {
		_, errb, stop := startCommand(t, "serve", "--replica-of", wbase, "--data", rdata, "--http-addr", raddr,
			"--replication-secret-file", secret, "--replication-poll", "200ms", "--brokers", brokers)
		t.Cleanup(func() { t.Log(errb.String()) })
		waitFor(t, rbase, errb)
		return stop
	}
	stopWriter, stopReplica := writer(true), replica()
	if _, err := os.Stat(filepath.Join(rdata, "admin.sock")); !os.IsNotExist(err) {
		t.Errorf("a read replica has an admin socket (operations.md: it has none): %v", err)
	}
	produceResident(t, brokers, dir, "Quennellwright")
	waitSearchable(t, wbase, tok, "Quennellwright")
	waitSearchable(t, rbase, tok, "Quennellwright")

	for _, w := range []struct{ method, path string }{{"POST", "/api/v1/overrides"}, {"PUT", "/api/v1/rights/persons/x/restriction"}, {"POST", "/review"}} {
		code, body := callAPI(t, w.method, rbase+w.path, tok)
		if code != http.StatusServiceUnavailable || !strings.Contains(body, "read replica") {
			t.Errorf("%s %s on the replica: %d %s", w.method, w.path, code, body)
		}
	}

	// Revoked on the writer (stopped for it: the store is the server's
	// while it runs), the token stops working on the replica.
	if code := get(t, rbase+"/api/v1/persons?family=Smith", leaked); code != 200 {
		t.Fatalf("the token before revocation: %d", code)
	}
	mustStop(t, "writer", stopWriter)
	mustRun(t, "token", "revoke", "--data", wdata, "--name", "leaked")
	stopWriter = writer(true)
	waitStatus(t, rbase+"/api/v1/persons?family=Smith", leaked, http.StatusUnauthorized)

	// The replica stops; the writer goes on; the replica catches up.
	mustStop(t, "replica", stopReplica)
	produceResident(t, brokers, dir, "Aberquistley")
	waitSearchable(t, wbase, tok, "Aberquistley")
	stopReplica = replica()
	waitSearchable(t, rbase, tok, "Aberquistley")

	// Equal stores: the writer, now fed by nothing, and the replica
	// after a few more pulls.
	mustStop(t, "replica", stopReplica)
	mustStop(t, "writer", stopWriter)
	stopWriter, stopReplica = writer(false), replica()
	time.Sleep(time.Second)
	mustStop(t, "replica", stopReplica)
	mustStop(t, "writer", stopWriter)
	want, got := replicatedKeys(t, wdata), replicatedKeys(t, rdata)
	if len(want) < 1000 {
		t.Fatalf("the writer holds %d replicated keys: the test's borough did not load", len(want))
	}
	for k, v := range want {
		if g, ok := got[k]; !ok || g != v {
			t.Errorf("a %q key (of %d): on the replica %v, %d bytes; on the writer %d bytes", k[:2], len(want), ok, len(g), len(v))
			break
		}
	}
	if len(got) != len(want) {
		t.Errorf("replica holds %d replicated keys, the writer %d", len(got), len(want))
	}
	digest := func(data string) string {
		out := filepath.Join(t.TempDir(), "digest")
		mustRun(t, "export", "digest", "--data", data, "--out", out)
		return mustReadFile(t, out)
	}
	if w, r := digest(wdata), digest(rdata); w != r || !strings.Contains(w, fmt.Sprintf(" %d keys", len(want))) {
		t.Errorf("export digest: writer %q, replica %q", w, r)
	}
}

func newToken(t *testing.T, data, name string) string {
	out, _ := mustRun(t, "token", "create", "--data", data, "--name", name, "--role", "frontline")
	return strings.TrimSpace(out)
}

func mustStop(t *testing.T, what string, stop func() int) {
	t.Helper()
	if code := stop(); code != 0 {
		t.Fatalf("%s stopped with %d", what, code)
	}
}

// produceResident sends a new library borrower with a surname no one
// else has to the writer's libraries topic.
func produceResident(t *testing.T, brokers, dir, surname string) {
	t.Helper()
	line := readLines(t, filepath.Join(dir, "events", "libraries.kcat"))[0]
	_, value, _ := strings.Cut(line, "\t")
	var ev map[string]any
	if err := json.Unmarshal([]byte(value), &ev); err != nil {
		t.Fatal(err)
	}
	id := fmt.Sprint("99", time.Now().UnixNano()%1e12)
	after := ev["after"].(map[string]any)
	after["SURNAME"], after["BORROWER_ID"], after["UPDATED"], after["LAST_ACTIVITY"] = surname, id, time.Now().UTC().Format(time.RFC3339), time.Now().UTC().Format("2006-01-02")
	// Someone new: nobody's name, birth date or address, and no other
	// resident this test makes (the same first name, postcode and
	// birthday once linked two of them, showing the first one's surname).
	first, postcode, born := "Ottoline", "NW1 9ZZ", "1951-03-04"
	if surname < "M" { // Aberquistley, not Quennellwright
		first, postcode, born = "Barnabas", "E17 4QQ", "1967-11-23"
	}
	after["FIRST_NAME"], after["DATE_OF_BIRTH"], after["ADDRESS1"], after["ADDRESS2"], after["POSTCODE"], after["UPRN"] = first, born, "1 "+surname+" Row", "", postcode, ""
	ev["op"] = "c"
	v, _ := json.Marshal(ev)
	w := &kafkago.Writer{Addr: kafkago.TCP(strings.Split(brokers, ",")...), BatchTimeout: time.Millisecond}
	defer w.Close()
	if err := w.WriteMessages(context.Background(), kafkago.Message{Topic: "libraries", Key: []byte(`{"BORROWER_ID":"` + id + `"}`), Value: v}); err != nil {
		t.Fatal(err)
	}
}

// waitSearchable waits (up to 90 s on a loaded machine) until a search
// by surname finds someone.
func waitSearchable(t *testing.T, base, tok, surname string) {
	t.Helper()
	for range 900 {
		if code, body := callAPI(t, "GET", base+"/api/v1/persons?family="+surname, tok); code == 200 && strings.Contains(body, surname) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s never searchable at %s", surname, base)
}

func waitStatus(t *testing.T, url, tok string, want int) {
	t.Helper()
	code := 0
	for range 100 {
		if code = get(t, url, tok); code == want {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s answered %d, want %d", url, code, want)
}

func callAPI(t *testing.T, method, url, tok string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader("{}"))
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// replicatedKeys are a stopped server's replicated keys and values.
func replicatedKeys(t *testing.T, data string) map[string]string {
	t.Helper()
	db, err := store.Open(store.Options{Dir: data, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := map[string]string{}
	if err := db.ReplicatedKeys(func(k, v []byte) error { out[string(k)] = string(v); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestReplicaRefusesBadSettings: a replica without the secret or an API
// address is a usage mistake (exit 2); a secret under 32 bytes, or a
// writer address that is no URL, is refused naming it.
func TestReplicaRefusesBadSettings(t *testing.T) {
	dir := t.TempDir()
	short, long := filepath.Join(dir, "short"), filepath.Join(dir, "long")
	os.WriteFile(short, []byte("only-sixteen-byte"), 0o600)
	os.WriteFile(long, []byte(strings.Repeat("ab", 32)), 0o600)
	data := filepath.Join(dir, "r")
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--http-addr", "127.0.0.1:0"}, 2, "replication secret"},
		{[]string{"--replication-secret-file", long}, 2, "--http-addr"},
		{[]string{"--http-addr", "127.0.0.1:0", "--replication-secret-file", short}, 1, "at least 32"},
	}
	for _, c := range cases {
		args := append([]string{"serve", "--replica-of", "http://127.0.0.1:1", "--data", data}, c.args...)
		if _, errs, code := runCLI(t, args...); code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, %s", c.args, code, errs)
		}
	}
	_, errs, code := runCLI(t, "serve", "--replica-of", "writer:8080", "--data", data, "--http-addr", "127.0.0.1:0", "--replication-secret-file", long)
	if code != 2 || !strings.Contains(errs, "base URL") {
		t.Errorf("a writer address without a scheme: exit %d, %s", code, errs)
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Errorf("a replica refused for its settings made a store: %v", err)
	}
}
