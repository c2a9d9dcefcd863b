package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeployReplicaServes runs the writer with compose's configuration
// and a read replica with the replicas' ConfigMap (deploy/kubernetes/
// replicas/replicas.yaml), as the pods do, with only what the pods mount
// swapped for this machine's: the store key and replication secret made
// by deploy/secrets/make.sh, store directories, addresses (the writer's
// stable name becomes its test address) and a Kafka-protocol broker. The
// replica copies the encrypted store, answers searches and refuses a
// change with 503.
func TestDeployReplicaServes(t *testing.T) {
	dir := t.TempDir()
	secrets := makeDeploySecrets(t, dir)
	key, secret := filepath.Join(secrets, "store-key"), filepath.Join(secrets, "replication-secret")
	mustRun(t, "gen", "--persons", "200", "--seed", "17", "--out", dir, "--quiet", "--no-events")
	wdata, rdata := filepath.Join(dir, "writer"), filepath.Join(dir, "replica")
	config := filepath.Join("..", "..", "deploy", "resindex.yaml")
	mustRun(t, "ingest", "--config", config, "--canonical", filepath.Join(dir, "canonical"), "--data", wdata, "--key-file", key, "--quiet")
	tok, _ := mustRun(t, "token", "create", "--data", wdata, "--key-file", key, "--name", "crm", "--role", "frontline")
	tok = strings.TrimSpace(tok)
	var replicaConfig string
	for name, path := range deployConfigs(t) {
		if strings.HasSuffix(name, "replica.yaml") {
			replicaConfig = path
		}
	}
	if replicaConfig == "" {
		t.Fatal("no replica.yaml in deploy/kubernetes/replicas/replicas.yaml's ConfigMap")
	}
	waddr, raddr, rmetrics := freeAddr(t), freeAddr(t), freeAddr(t)
	_, werr, stopWriter := startCommand(t, "serve", "--config", config,
		"--data", wdata, "--key-file", key, "--brokers", strings.Join(kafkaBroker(t), ","), "--http-addr", waddr,
		"--metrics-addr", "127.0.0.1:0", "--replication-secret-file", secret)
	t.Cleanup(func() { t.Log(werr.String()) })
	waitFor(t, "http://"+waddr, werr)
	_, rerr, stopReplica := startCommand(t, "serve", "--config", replicaConfig, "--data", rdata, "--key-file", key,
		"--replica-of", "http://"+waddr, "--replication-secret-file", secret, "--http-addr", raddr,
		"--metrics-addr", rmetrics)
	t.Cleanup(func() { t.Log(rerr.String()) })
	rbase := "http://" + raddr
	waitFor(t, rbase, rerr)
	waitSearchable(t, rbase, tok, aFamilyName(t, filepath.Join(dir, "canonical", "housing.ndjson")))
	if code, body := callAPI(t, "POST", rbase+"/api/v1/overrides", tok); code != http.StatusServiceUnavailable {
		t.Errorf("a change on the replica: %d %s, want 503 read_replica", code, body)
	}
	checkReplicaSeries(t, "http://"+rmetrics+"/metrics")
	mustStop(t, "replica", stopReplica)
	mustStop(t, "writer", stopWriter)
	if _, _, code := runCLI(t, "export", "clusters", "--data", rdata, "--out", filepath.Join(dir, "nokey.csv")); code == 0 {
		t.Error("the replica's store opened without its key: key_file was not used")
	}
}

// checkReplicaSeries scrapes a replica that has refused a change and
// finds the series deploy/prometheus/alerts.yml's replica rules select,
// with the labels they match: the refusal counted as handler "unmatched",
// code 503 (ResindexAPIErrors leaves those out), a pull's time and the
// process's start (ResindexReplicaLagging).
func checkReplicaSeries(t *testing.T, url string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, want := range []string{
		`resindex_http_requests_total{code="503",handler="unmatched",method="POST"} 1`,
		`resindex_replica_pulls_total{outcome="ok"} `,
		"resindex_replica_last_pull_timestamp_seconds 1",
		"process_start_time_seconds ",
	} {
		if !strings.Contains(string(body), "\n"+want) {
			t.Errorf("the replica's /metrics has no %q", want)
		}
	}
}

// aFamilyName is the family name of a file's first canonical record.
func aFamilyName(t *testing.T, path string) string {
	t.Helper()
	var rec struct{ Name struct{ Family string } }
	if err := json.Unmarshal([]byte(readLines(t, path)[0]), &rec); err != nil || rec.Name.Family == "" {
		t.Fatalf("%s: no family name in the first record (%v)", path, err)
	}
	return rec.Name.Family
}

// makeDeploySecrets runs deploy/secrets/make.sh in a directory of dir and
// returns that directory.
func makeDeploySecrets(t *testing.T, dir string) string {
	t.Helper()
	secrets := filepath.Join(dir, "secrets")
	script, err := os.ReadFile(filepath.Join("..", "..", "deploy", "secrets", "make.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(secrets, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(secrets, "make.sh"), script, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("bash", filepath.Join(secrets, "make.sh")).CombinedOutput(); err != nil {
		t.Fatalf("make.sh: %v\n%s", err, out)
	}
	return secrets
}
