package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	kafkago "github.com/segmentio/kafka-go"
	"go.yaml.in/yaml/v3"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/connectors/mapping"
	"github.com/resindex/resindex/internal/config"
)

// deployConfigs gives the configurations deploy/ ships, each in a file of
// its own: deploy/resindex.yaml (compose's) and every resindex
// configuration embedded in a Kubernetes ConfigMap, the read replicas'
// (deploy/kubernetes/replicas/replicas.yaml) too.
func deployConfigs(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{"deploy/resindex.yaml": filepath.Join("..", "..", "deploy", "resindex.yaml")}
	for _, name := range []string{"configmap.yaml", filepath.Join("replicas", "replicas.yaml")} {
		raw, err := os.ReadFile(filepath.Join("..", "..", "deploy", "kubernetes", name))
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(strings.NewReader(string(raw)))
		for {
			var doc struct {
				Kind     string
				Metadata struct{ Name string }
				Data     map[string]string
			}
			if dec.Decode(&doc) != nil {
				break
			}
			for key, text := range doc.Data {
				if doc.Kind != "ConfigMap" || !strings.HasSuffix(key, ".yaml") {
					continue
				}
				p := filepath.Join(t.TempDir(), key)
				if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
					t.Fatal(err)
				}
				out["ConfigMap "+doc.Metadata.Name+" "+key] = p
			}
		}
	}
	if len(out) < 3 {
		t.Fatalf("found %d configurations in deploy/, want compose's, the writer's and the replicas' ConfigMaps'", len(out))
	}
	return out
}

// The loader refuses unknown keys and bad values, so a configuration that
// loads here is one the container's `serve --config` accepts.
func TestDeployConfigsLoad(t *testing.T) {
	for name, path := range deployConfigs(t) {
		c, err := config.Load(path)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if c.Data != "/data/store" || c.KeyFile != "/run/secrets/store-key" {
			t.Errorf("%s: data %q, key_file %q: want the store on the /data volume, the key a mounted secret", name, c.Data, c.KeyFile)
		}
		if c.HTTPAddr != "0.0.0.0:8080" || c.MetricsAddr != "0.0.0.0:9464" {
			t.Errorf("%s: http_addr %q, metrics_addr %q: want the ports the Dockerfile exposes", name, c.HTTPAddr, c.MetricsAddr)
		}
		if _, errs, code := runCLI(t, "policy", "check", "--config", path); code != 0 {
			t.Errorf("%s: resindex policy check: exit %d\n%s", name, code, errs)
		}
		if len(c.Kafka.Brokers) > 0 {
			checkDeployKafka(t, name, c)
		}
		checkDeployReplication(t, name, c)
	}
}

// checkDeployReplication: every shipped configuration serves or follows
// replicas with the mounted replication secret; the replicas'
// (replica.yaml) follows the writer's stable name and reads no Kafka.
func checkDeployReplication(t *testing.T, name string, c *config.Config) {
	t.Helper()
	if c.Replication.SecretFile != "/run/secrets/replication-secret" {
		t.Errorf("%s: replication.secret_file %q, want the mounted /run/secrets/replication-secret", name, c.Replication.SecretFile)
	}
	if !strings.HasSuffix(name, "replica.yaml") {
		if c.Replication.ReplicaOf != "" {
			t.Errorf("%s: a writer's configuration names replication.replica_of %q", name, c.Replication.ReplicaOf)
		}
		return
	}
	if _, err := writerURL(c.Replication.ReplicaOf); err != nil || c.Replication.ReplicaOf != "http://resindex-0.resindex:8080" {
		t.Errorf("%s: replication.replica_of %q (%v), want the writer pod's stable name", name, c.Replication.ReplicaOf, err)
	}
	if len(c.Kafka.Brokers) > 0 {
		t.Errorf("%s: a replica consumes no Kafka (its NetworkPolicy lets it reach only the writer)", name)
	}
}

// checkDeployKafka checks what serve checks of the Kafka settings before
// it connects: brokers, the SASL mechanism (with a stand-in for the
// mounted password file) and the topics, against the shipped mappings.
func checkDeployKafka(t *testing.T, name string, c *config.Config) {
	t.Helper()
	if c.Kafka.SASL.PasswordFile != "" {
		c.Kafka.SASL.PasswordFile = filepath.Join(t.TempDir(), "kafka-password")
		if err := os.WriteFile(c.Kafka.SASL.PasswordFile, []byte("stand-in\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Kafka.Connection(); err != nil {
		t.Errorf("%s: kafka: %v", name, err)
	}
	set, err := mapping.ShippedWith("")
	if err != nil {
		t.Fatal(err)
	}
	decoders, err := c.Kafka.Decoders(set)
	if err != nil {
		t.Errorf("%s: kafka topics: %v", name, err)
	}
	if _, ok := decoders["cdc.housing"]; !ok || len(decoders) != len(resindex.Sources) {
		t.Errorf("%s: reads %d topics, want cdc.<source> for each of the %d sources", name, len(decoders), len(resindex.Sources))
	}
}

// TestDeployComposeServes runs `serve` with compose's configuration,
// as the container does, with only what the container mounts swapped for
// this machine's paths: the store key made by deploy/secrets/make.sh, a
// store directory and a Kafka-protocol broker. The events go to the topics
// the configuration names (cdc.<source>), and land in an encrypted store.
func TestDeployComposeServes(t *testing.T) {
	dir := t.TempDir()
	secrets := filepath.Join(dir, "secrets")
	if err := os.MkdirAll(secrets, 0o755); err != nil {
		t.Fatal(err)
	}
	script, err := os.ReadFile(filepath.Join("..", "..", "deploy", "secrets", "make.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(secrets, "make.sh"), script, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("bash", filepath.Join(secrets, "make.sh")).CombinedOutput(); err != nil {
		t.Fatalf("make.sh: %v\n%s", err, out)
	}
	mustRun(t, "gen", "--persons", "300", "--seed", "17", "--out", dir, "--quiet")
	addr := kafkaBroker(t)
	produced := producePrefixed(t, addr, dir, "cdc.")
	data, key := filepath.Join(dir, "store"), filepath.Join(secrets, "store-key")
	_, errs, code := runCLI(t, "serve", "--config", filepath.Join("..", "..", "deploy", "resindex.yaml"),
		"--data", data, "--key-file", key, "--brokers", strings.Join(addr, ","), "--http-addr", "127.0.0.1:0",
		"--metrics-addr", "127.0.0.1:0", "--stop-when-idle", "1500ms", "--status-every", "1s",
		"--replication-secret-file", filepath.Join(secrets, "replication-secret"))
	if code != 0 {
		t.Fatalf("serve with deploy/resindex.yaml: exit %d\n%s", code, errs)
	}
	clusters := filepath.Join(dir, "clusters.csv")
	mustRun(t, "export", "clusters", "--data", data, "--key-file", key, "--out", clusters)
	live := len(readLines(t, filepath.Join(dir, "truth", "records.csv"))) - 1
	if n := len(readLines(t, clusters)) - 1; n != live {
		t.Errorf("the store holds %d records after %d events, want the %d live ones: were the configuration's topics read?", n, produced, live)
	}
	if _, _, code := runCLI(t, "export", "clusters", "--data", data, "--out", filepath.Join(dir, "nokey.csv")); code == 0 {
		t.Error("the store opened without its key: key_file was not used")
	}
}

// producePrefixed produces every source's events to the topic prefix +
// source, as deploy/resindex.yaml's topic_prefix names them.
func producePrefixed(t *testing.T, addr []string, dir, prefix string) int {
	t.Helper()
	w := &kafkago.Writer{Addr: kafkago.TCP(addr...), Balancer: &kafkago.Hash{}, BatchTimeout: time.Millisecond,
		AllowAutoTopicCreation: true}
	defer w.Close()
	n := 0
	for _, source := range resindex.Sources {
		var msgs []kafkago.Message
		for _, l := range readLines(t, filepath.Join(dir, "events", source+".kcat")) {
			k, v, _ := strings.Cut(l, "\t")
			m := kafkago.Message{Topic: prefix + source, Key: []byte(k)}
			if v != "" {
				m.Value = []byte(v)
			}
			msgs = append(msgs, m)
		}
		if err := w.WriteMessages(context.Background(), msgs...); err != nil {
			t.Fatalf("produce to %s%s: %v", prefix, source, err)
		}
		n += len(msgs)
	}
	return n
}
