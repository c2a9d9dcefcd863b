package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	kafkago "github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/evaluate"
)

// produceEvents produces every source's event timeline (events/*.kcat:
// key, tab, value; an empty value is a tombstone) to a topic named after
// the source, keyed so that a record's events keep their order; from and
// to pick a share of each file's lines.
func produceEvents(t *testing.T, addr []string, dir string, from, to float64) int {
	t.Helper()
	w := &kafkago.Writer{Addr: kafkago.TCP(addr...), Balancer: &kafkago.Hash{}, BatchTimeout: time.Millisecond, BatchSize: 500}
	defer w.Close()
	total := 0
	for _, source := range resindex.Sources {
		lines := readLines(t, filepath.Join(dir, "events", source+".kcat"))
		lo, hi := int(from*float64(len(lines))), int(to*float64(len(lines)))
		var msgs []kafkago.Message
		for _, l := range lines[lo:hi] {
			key, value, _ := strings.Cut(l, "\t")
			m := kafkago.Message{Topic: source}
			if key != "" {
				m.Key = []byte(key)
			}
			if value != "" {
				m.Value = []byte(value)
			}
			msgs = append(msgs, m)
		}
		if err := w.WriteMessages(context.Background(), msgs...); err != nil {
			t.Fatal(err)
		}
		total += len(msgs)
	}
	return total
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

// kafkaBroker starts an in-process Kafka-protocol broker with a topic of
// two partitions for every source, closed when the test ends, and
// returns its addresses.
func kafkaBroker(t *testing.T) []string {
	t.Helper()
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.AllowAutoTopicCreation(), kfake.DefaultNumPartitions(2),
		kfake.SeedTopics(2, resindex.Sources...))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cluster.Close)
	return cluster.ListenAddrs()
}

// countTopic counts the messages on all partitions of a topic.
func countTopic(t *testing.T, addr string, topic string, partitions int) int {
	t.Helper()
	n := 0
	for p := range partitions {
		conn, err := kafkago.DialLeader(context.Background(), "tcp", addr, topic, p)
		if err != nil {
			continue // never created: nothing was sent to it
		}
		first, last, err := conn.ReadOffsets()
		conn.Close()
		if err != nil {
			t.Fatal(err)
		}
		n += int(last - first)
	}
	return n
}

// TestServeKafka runs the borough's change events through a Kafka
// protocol broker and `resindex serve`, stopped and started again midway
// and once cut short: every malformed event, and nothing else, is
// dead-lettered, and the index agrees with `link` on the same records.
func TestServeKafka(t *testing.T) {
	dir := t.TempDir()
	mustRun(t, "gen", "--persons", "1200", "--seed", "8", "--out", dir, "--quiet")
	addr := kafkaBroker(t)
	data := filepath.Join(dir, "store")
	truth := filepath.Join(dir, "truth", "records.csv")
	live := len(readLines(t, truth)) - 1
	serve := func(ctx context.Context, idle string) string {
		var out, errb bytes.Buffer
		code := run(ctx, []string{"serve", "--data", data, "--brokers", strings.Join(addr, ","), "--topics", "all",
			"--population", strconv.Itoa(live), "--stop-when-idle", idle, "--status-every", "1s", "--metrics-addr", "127.0.0.1:0"}, &env{stdout: &out, stderr: &errb})
		if code != 0 {
			t.Fatalf("serve: exit %d\n%s", code, errb.String())
		}
		return errb.String()
	}
	produceEvents(t, addr, dir, 0, 0.5)
	serve(context.Background(), "1500ms")
	produceEvents(t, addr, dir, 0.5, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	serve(ctx, "1500ms") // cut short, as by SIGTERM
	cancel()
	log := serve(context.Background(), "1500ms")
	if !strings.Contains(log, "applied") || !strings.Contains(log, "metrics at http://127.0.0.1:") {
		t.Errorf("serve printed no progress or metrics address:\n%s", log)
	}

	malformed := len(readLines(t, filepath.Join(dir, "truth", "malformed_events.csv"))) - 1
	dead := 0
	for _, s := range resindex.Sources {
		dead += countTopic(t, addr[0], s+".DLT", 2)
	}
	if dead != malformed {
		t.Errorf("%d messages dead-lettered, want the %d malformed events", dead, malformed)
	}
	clusters := filepath.Join(dir, "serve.csv")
	mustRun(t, "export", "clusters", "--data", data, "--out", clusters)
	linked := filepath.Join(dir, "link.csv")
	// The store was built change by change from empty, with the shipped
	// model (there was nothing to fit it to): link with the same model.
	mustRun(t, "link", "--in", filepath.Join(dir, "canonical"), "--model", "shipped", "--out", linked, "--quiet")
	f1 := func(path string) float64 {
		t.Helper()
		read := func(p string) []resindex.Assignment {
			as, err := evaluate.ReadAssignmentsFile(p)
			if err != nil {
				t.Fatal(err)
			}
			return as
		}
		return evaluate.Compare(read(truth), read(path)).F1
	}
	got, want := f1(clusters), f1(linked)
	t.Logf("F1: serve %.4f, link %.4f; %d dead letters", got, want, dead)
	if got < want-0.005 {
		t.Errorf("serve F1 %.4f is more than 0.005 below link's %.4f", got, want)
	}
	if n := len(readLines(t, clusters)) - 1; n != live {
		t.Errorf("the index holds %d records, want the %d live ones", n, live)
	}
}
