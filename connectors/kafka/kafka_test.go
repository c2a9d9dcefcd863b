package kafka_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	kafkago "github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/connectors/debezium"
	"github.com/resindex/resindex/connectors/kafka"
	"github.com/resindex/resindex/connectors/mapping"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
)

// index is the store and engine a consumer applies to, as cmd wires them.
type index struct {
	*store.DB // positions and held dead letters
	eng       *resolver.Engine
}

// Apply applies a change through the engine, which stores its position.
func (x *index) Apply(rec resindex.Record, pos resindex.Position) (bool, error) {
	return x.eng.Apply(rec, pos)
}

func mustIndex(t *testing.T) *index {
	t.Helper()
	db, err := store.Open(store.Options{Dir: t.TempDir(), GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	eng, err := resolver.NewEngine(db, resolver.EngineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return &index{DB: db, eng: eng}
}

func mustCluster(t *testing.T, opts ...kfake.Opt) *kfake.Cluster {
	t.Helper()
	c, err := kfake.NewCluster(append([]kfake.Opt{kfake.NumBrokers(1), kfake.AllowAutoTopicCreation()}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func parkingDecoder(t *testing.T) kafka.Decoder {
	t.Helper()
	set, err := mapping.Shipped()
	if err != nil {
		t.Fatal(err)
	}
	m, err := set.Get(resindex.SourceParking)
	if err != nil {
		t.Fatal(err)
	}
	return &debezium.Decoder{Mapping: m}
}

// event is a parking permit change: op c/u/r/d, or "" for a tombstone.
func event(id, op, surname, updated string) kafkago.Message {
	key := fmt.Sprintf(`{"Permit Number":%q}`, id)
	row := fmt.Sprintf(`{"Permit Number":%q,"Holder First Name":"Ann","Holder Surname":%q,"Postcode":"N1 1AA","Address Line 1":"1 High St","Updated":%q}`, id, surname, updated)
	var value string
	switch op {
	case "":
	case "d":
		value = fmt.Sprintf(`{"op":"d","before":%s,"after":null,"source":{"ts_ms":%d}}`, row, mustTime(updated).UnixMilli())
	default:
		value = fmt.Sprintf(`{"op":%q,"before":null,"after":%s,"source":{"ts_ms":1}}`, op, row)
	}
	return kafkago.Message{Topic: "parking", Key: []byte(key), Value: []byte(value)}
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func produce(t *testing.T, addr []string, msgs ...kafkago.Message) {
	t.Helper()
	// RequireAll: the writer's default (no acknowledgement) returns before
	// the broker has the messages, and a test that reads the topic next
	// (or a consumer checking what a dead-letter topic holds) would race.
	w := &kafkago.Writer{Addr: kafkago.TCP(addr...), Balancer: &kafkago.Hash{}, BatchTimeout: time.Millisecond, AllowAutoTopicCreation: true,
		RequiredAcks: kafkago.RequireAll}
	defer w.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := w.WriteMessages(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
}

// running is a consumer started in the background.
type running struct {
	c       *kafka.Consumer
	cancel  context.CancelFunc
	done    chan error
	handled atomic.Int64
}

func start(t *testing.T, opts kafka.ConsumerOptions, x *index) *running {
	t.Helper()
	return startSink(t, opts, x)
}

// waitHandled waits until the consumer has handled n messages; the
// deadline only keeps a broken test from hanging.
func (r *running) waitHandled(t *testing.T, n int64) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for r.handled.Load() < n {
		if time.Now().After(deadline) {
			t.Fatalf("handled %d of %d messages: %+v", r.handled.Load(), n, r.c.Stats())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (r *running) stop(t *testing.T) {
	t.Helper()
	r.cancel()
	if err := <-r.done; err != nil {
		t.Fatalf("consumer stopped with %v", err)
	}
}

// readAll reads every message on a topic from the start.
func readAll(t *testing.T, addr []string, topic string, want int) []kafkago.Message {
	t.Helper()
	conn, err := kafkago.DialLeader(context.Background(), "tcp", addr[0], topic, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var out []kafkago.Message
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	for len(out) < want {
		m, err := conn.ReadMessage(1 << 20)
		if err != nil {
			t.Fatalf("read %s after %d messages: %v", topic, len(out), err)
		}
		out = append(out, m)
	}
	return out
}

func header(m kafkago.Message, key string) string {
	for _, h := range m.Headers {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}

func liveIDs(t *testing.T, x *index) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	err := resolver.Export(x.DB, func(a resindex.Assignment) error { out[a.Key.ID] = true; return nil })
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestConsumerExactlyOnce: creates, updates, deletes and tombstones take
// effect; poison messages go to the dead-letter topic with their headers
// and the consumer carries on; a second pass over the same topic (a new
// group, as after lost commits) changes nothing and dead-letters nothing.
func TestConsumerExactlyOnce(t *testing.T) {
	cluster := mustCluster(t, kfake.SeedTopics(1, "parking"))
	addr := cluster.ListenAddrs()
	poison := kafkago.Message{Topic: "parking", Key: []byte(`{"Permit Number":"P9"}`), Value: []byte(`{"op":"c","after":{"Permit Num`),
		Headers: []kafkago.Header{{Key: "trace", Value: []byte("t1")}}}
	noKey := event("P8", "c", "Lee", "2024-01-01T00:00:00Z")
	noKey.Key = nil
	msgs := []kafkago.Message{
		event("P1", "r", "Lee", "2024-01-01T00:00:00Z"),
		event("P2", "c", "Khan", "2024-01-02T00:00:00Z"),
		poison,
		event("P1", "u", "Leigh", "2024-02-01T00:00:00Z"),
		event("P3", "c", "Okoro", "2024-02-02T00:00:00Z"),
		event("P2", "d", "Khan", "2024-03-01T00:00:00Z"),
		event("P2", "", "", ""),
		noKey,
		event("P3", "", "", ""),                         // a tombstone alone deletes too
		event("P1", "u", "Lee", "2024-01-15T00:00:00Z"), // older than what stands
	}
	produce(t, addr, msgs...)
	x := mustIndex(t)
	reg := prometheus.NewRegistry()
	opts := kafka.ConsumerOptions{Connection: kafka.Connection{Brokers: addr}, GroupID: "g1",
		Decoders: map[string]kafka.Decoder{"parking": parkingDecoder(t)}, CommitInterval: 50 * time.Millisecond, Metrics: kafka.NewMetrics(reg)}
	r := start(t, opts, x)
	r.waitHandled(t, int64(len(msgs)))
	r.stop(t)
	st := r.c.Stats()
	if st.DeadLettered != 2 || st.Applied != 6 || st.Unchanged != 2 {
		t.Errorf("stats %+v, want 2 dead-lettered, 6 applied, 2 unchanged (a repeated tombstone, an older version)", st)
	}
	if ids := liveIDs(t, x); len(ids) != 1 || !ids["P1"] {
		t.Errorf("live records %v, want only P1", ids)
	}
	for outcome, want := range map[string]float64{"applied": 6, "unchanged": 2, "dead_lettered": 2} {
		if got := counter(t, reg, "resindex_kafka_messages_total", "outcome", outcome); got != want {
			t.Errorf("resindex_kafka_messages_total{outcome=%q} = %v, want %v", outcome, got, want)
		}
	}
	dlt := readAll(t, addr, "parking.DLT", 2)
	if string(dlt[0].Value) != string(poison.Value) || string(dlt[0].Key) != string(poison.Key) {
		t.Errorf("dead letter changed the message: %q %q", dlt[0].Key, dlt[0].Value)
	}
	for h, want := range map[string]string{"trace": "t1", kafka.HeaderTopic: "parking", kafka.HeaderPartition: "0",
		kafka.HeaderOffset: "2", kafka.HeaderGroup: "g1", kafka.HeaderAttempts: "1"} {
		if got := header(dlt[0], h); got != want {
			t.Errorf("dead letter header %s = %q, want %q", h, got, want)
		}
	}
	if e := header(dlt[0], kafka.HeaderError); e == "" || header(dlt[0], kafka.HeaderFirstFailure) == "" {
		t.Errorf("dead letter lacks error or time: %v", dlt[0].Headers)
	}
	if header(dlt[1], kafka.HeaderOffset) != "7" {
		t.Errorf("second dead letter is offset %s, want 7 (the keyless event)", header(dlt[1], kafka.HeaderOffset))
	}

	// Everything again, as a group that never committed would see it.
	opts.GroupID = "g2"
	r2 := start(t, opts, x)
	r2.waitHandled(t, int64(len(msgs)))
	r2.stop(t)
	if st := r2.c.Stats(); st.Skipped != int64(len(msgs)) {
		t.Errorf("redelivery: %+v, want all %d skipped", st, len(msgs))
	}
	produce(t, addr, event("P4", "c", "Ng", "2024-04-01T00:00:00Z"))
	opts.GroupID = "g1"
	r3 := start(t, opts, x) // resumes after its committed offset
	r3.waitHandled(t, 1)
	time.Sleep(200 * time.Millisecond)
	r3.stop(t)
	if st := r3.c.Stats(); st.Applied != 1 || st.Skipped != 0 {
		t.Errorf("restart of g1: %+v, want just the new event applied", st)
	}
	if ids := liveIDs(t, x); len(ids) != 2 || !ids["P4"] {
		t.Errorf("live records %v, want P1 and P4", ids)
	}
	if n := len(readAllAvailable(t, addr, "parking.DLT")); n != 2 {
		t.Errorf("%d dead letters after the replays, want 2", n)
	}
}

// readAllAvailable reads a partition up to its end.
func readAllAvailable(t *testing.T, addr []string, topic string) []kafkago.Message {
	t.Helper()
	conn, err := kafkago.DialLeader(context.Background(), "tcp", addr[0], topic, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	end, err := conn.ReadLastOffset()
	if err != nil {
		t.Fatal(err)
	}
	return readAll(t, addr, topic, int(end))
}

// TestConsumerPartitions: a topic of several partitions, read by one
// consumer, keeps each partition's position apart.
func TestConsumerPartitions(t *testing.T) {
	cluster := mustCluster(t, kfake.SeedTopics(4, "parking"))
	addr := cluster.ListenAddrs()
	var msgs []kafkago.Message
	for i := range 200 {
		msgs = append(msgs, event("P"+strconv.Itoa(i%50), "c", "Name"+strconv.Itoa(i), fmt.Sprintf("2024-01-01T00:%02d:%02dZ", i/60, i%60)))
	}
	produce(t, addr, msgs...)
	x := mustIndex(t)
	r := start(t, kafka.ConsumerOptions{Connection: kafka.Connection{Brokers: addr},
		Decoders: map[string]kafka.Decoder{"parking": parkingDecoder(t)}}, x)
	r.waitHandled(t, 200)
	r.stop(t)
	if ids := liveIDs(t, x); len(ids) != 50 {
		t.Fatalf("%d live records, want 50", len(ids))
	}
	streams := 0
	for p := range 4 {
		if off, ok, err := x.DB.Applied(kafka.StreamName("parking", p)); err != nil || (ok && off < 0) {
			t.Fatalf("partition %d: %d %v %v", p, off, ok, err)
		} else if ok {
			streams++
		}
	}
	if streams < 2 {
		t.Errorf("positions kept for %d partitions; the keys spread over 4", streams)
	}
}

// TestPublisher: the change feed reaches the topic keyed by person, with
// an idempotency key, once each, and a restart resumes after the cursor.
func TestPublisher(t *testing.T) {
	cluster := mustCluster(t, kfake.SeedTopics(1, "changes"))
	addr := cluster.ListenAddrs()
	x := mustIndex(t)
	for i, id := range []string{"P1", "P2", "P3"} {
		rec := resindex.Record{Source: "parking", ID: id, Version: "2024", Name: resindex.Name{Given: "Ann", Family: "Person" + id}}
		if _, err := x.eng.Apply(rec, resindex.Position{Stream: "t", Offset: int64(i + 1)}); err != nil {
			t.Fatal(err)
		}
	}
	var feed int
	if err := x.DB.Outbox(0, 0, func(uint64, []byte) error { feed++; return nil }); err != nil || feed == 0 {
		t.Fatalf("outbox: %d entries, %v", feed, err)
	}
	opts := kafka.PublisherOptions{Connection: kafka.Connection{Brokers: addr}, Topic: "changes", Origin: "store1", Interval: 10 * time.Millisecond}
	publishFeed(t, opts, x, uint64(feed))
	publishFeed(t, opts, x, uint64(feed)) // nothing new: nothing sent again
	got := readAllAvailable(t, addr, "changes")
	if len(got) != feed {
		t.Fatalf("%d messages on the topic, want %d (one per change)", len(got), feed)
	}
	for i, m := range got {
		if key := header(m, kafka.HeaderIdempotencyKey); key != "store1:"+strconv.Itoa(i+1) {
			t.Errorf("message %d: idempotency key %q", i, key)
		}
		if len(m.Key) == 0 || !strings.Contains(string(m.Value), `"person":"`+string(m.Key)+`"`) {
			t.Errorf("message %d: key %q is not the person of %s", i, m.Key, m.Value)
		}
	}
}

// TestHeldDeadLettersAfterCrash: dead letters a crash left held in the
// store are published at the next start, each exactly once: one the
// topic already has (the crash came after publishing) is not sent again.
func TestHeldDeadLettersAfterCrash(t *testing.T) {
	cluster := mustCluster(t, kfake.SeedTopics(1, "parking", "parking.DLT"))
	addr := cluster.ListenAddrs()
	x := mustIndex(t)
	dl := func(offset string) kafkago.Message {
		return kafkago.Message{Topic: "parking.DLT", Key: []byte(`{"Permit Number":"P` + offset + `"}`), Value: []byte(`{"op":`),
			Headers: []kafkago.Header{{Key: kafka.HeaderTopic, Value: []byte("parking")}, {Key: kafka.HeaderPartition, Value: []byte("0")},
				{Key: kafka.HeaderOffset, Value: []byte(offset)}}}
	}
	for _, off := range []int64{5, 6} {
		data, err := json.Marshal(dl(strconv.FormatInt(off, 10)))
		if err != nil {
			t.Fatal(err)
		}
		if err := x.HoldDeadLetter(resindex.Position{Stream: kafka.StreamName("parking", 0), Offset: off}, data); err != nil {
			t.Fatal(err)
		}
	}
	produce(t, addr, dl("5")) // published before the crash, not yet released
	r := start(t, kafka.ConsumerOptions{Connection: kafka.Connection{Brokers: addr},
		Decoders: map[string]kafka.Decoder{"parking": parkingDecoder(t)}}, x)
	deadline := time.Now().Add(30 * time.Second)
	for held, _ := x.HeldDeadLetters(); len(held) > 0; held, _ = x.HeldDeadLetters() {
		if time.Now().After(deadline) {
			t.Fatalf("%d dead letters still held", len(held))
		}
		time.Sleep(10 * time.Millisecond)
	}
	r.stop(t)
	got := readAllAvailable(t, addr, "parking.DLT")
	if len(got) != 2 || header(got[0], kafka.HeaderOffset) != "5" || header(got[1], kafka.HeaderOffset) != "6" {
		var offs []string
		for _, m := range got {
			offs = append(offs, header(m, kafka.HeaderOffset))
		}
		t.Fatalf("dead-letter topic holds offsets %v, want [5 6]", offs)
	}
}

// counter reads a counter from a registry by one of its labels.
func counter(t *testing.T, reg *prometheus.Registry, name, label, value string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == label && l.GetValue() == value {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

// TestNewStoreOldGroup: a new store read through a group that committed
// everything for another store still gets every message: the store, not
// the group, decides where to read.
func TestNewStoreOldGroup(t *testing.T) {
	cluster := mustCluster(t, kfake.SeedTopics(2, "parking"))
	addr := cluster.ListenAddrs()
	var msgs []kafkago.Message
	for i := range 20 {
		msgs = append(msgs, event("P"+strconv.Itoa(i), "c", "Name", "2024-01-01T00:00:00Z"))
	}
	produce(t, addr, msgs...)
	opts := kafka.ConsumerOptions{Connection: kafka.Connection{Brokers: addr}, GroupID: "shared",
		Decoders: map[string]kafka.Decoder{"parking": parkingDecoder(t)}, CommitInterval: 50 * time.Millisecond}
	first := mustIndex(t)
	r := start(t, opts, first)
	r.waitHandled(t, 20)
	time.Sleep(200 * time.Millisecond) // a quiet spell: the offsets are committed
	r.stop(t)
	fresh := mustIndex(t)
	r2 := start(t, opts, fresh)
	r2.waitHandled(t, 20)
	r2.stop(t)
	if n := len(liveIDs(t, fresh)); n != 20 {
		t.Fatalf("the new store got %d records through the old group, want 20", n)
	}
	// And the group is where the store is: caught up, nothing skipped.
	r3 := start(t, opts, fresh)
	time.Sleep(300 * time.Millisecond)
	r3.stop(t)
	if st := r3.c.Stats(); st.Applied+st.Skipped+st.Unchanged != 0 {
		t.Errorf("a restart re-read messages: %+v", st)
	}
}

// publishFeed runs a publisher until its cursor ("changes") reaches the
// feed's last entry, then stops it.
func publishFeed(t *testing.T, opts kafka.PublisherOptions, x *index, last uint64) {
	t.Helper()
	p, err := kafka.NewPublisher(opts, x.DB)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	deadline := time.Now().Add(30 * time.Second)
	for cur, _ := x.DB.Cursor("changes"); cur < last && time.Now().Before(deadline); cur, _ = x.DB.Cursor("changes") {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// TestPublisherSendsAlertsToTheirTopic: alert.raised entries of the feed go
// to the alerts topic, keyed by alert ID, and nowhere else; the person
// changes go on to theirs; an alerts topic of "none" skips alerts without
// stopping the feed.
func TestPublisherSendsAlertsToTheirTopic(t *testing.T) {
	for _, alertsTopic := range []string{"alerts", "none"} {
		t.Run(alertsTopic, func(t *testing.T) {
			cluster := mustCluster(t, kfake.SeedTopics(1, "changes", "alerts"))
			addr := cluster.ListenAddrs()
			x := mustIndex(t)
			rec := resindex.Record{Source: "parking", ID: "P1", Version: "2024", Name: resindex.Name{Given: "Ann", Family: "Lee"}}
			if _, err := x.eng.Apply(rec, resindex.Position{Stream: "t", Offset: 1}); err != nil {
				t.Fatal(err)
			}
			alert, _ := json.Marshal(resindex.Change{Type: resindex.ChangeAlertRaised, Person: "P0000000001",
				Alert: &resindex.Alert{ID: "A0000000001", Kind: resindex.AlertNewAdult}})
			if err := x.DB.Update(func(t resindex.Txn) error { _, err := t.Emit(alert); return err }); err != nil {
				t.Fatal(err)
			}
			var feed uint64
			x.DB.Outbox(0, 0, func(seq uint64, _ []byte) error { feed = seq; return nil })
			publishFeed(t, kafka.PublisherOptions{Connection: kafka.Connection{Brokers: addr}, Topic: "changes", AlertsTopic: alertsTopic,
				Origin: "store1", Interval: 10 * time.Millisecond}, x, feed)
			changes, alerts := readAllAvailable(t, addr, "changes"), readAllAvailable(t, addr, "alerts")
			if int(feed)-1 != len(changes) {
				t.Errorf("%d person changes on their topic, want %d", len(changes), feed-1)
			}
			for _, m := range changes {
				if strings.Contains(string(m.Value), "alert.raised") {
					t.Errorf("an alert on the changes topic")
				}
			}
			want := 1
			if alertsTopic == "none" {
				want = 0
			}
			if len(alerts) != want || want == 1 && string(alerts[0].Key) != "A0000000001" {
				t.Fatalf("alerts topic holds %d messages (%v), want %d keyed by the alert ID", len(alerts), alerts, want)
			}
		})
	}
}
