package kafka_test

import (
	"context"
	"fmt"
	"maps"
	"strconv"
	"sync"
	"testing"
	"time"

	kafkago "github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/connectors/kafka"
)

// groupIndex is an index that applies groups, as cmd wires it, counting
// the groups of more than one change.
type groupIndex struct {
	*index
	mu     sync.Mutex
	groups int
}

func (x *groupIndex) ApplyGroup(recs []resindex.Record, ps []resindex.Position) ([]bool, error) {
	if len(recs) > 1 {
		x.mu.Lock()
		x.groups++
		x.mu.Unlock()
	}
	return x.eng.ApplyGroup(recs, ps)
}

// dump is every key and value of an index's store.
func dump(t *testing.T, x *index) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := x.DB.View(func(tx resindex.Txn) error {
		return tx.Scan(nil, func(k, v []byte) error { out[string(k)] = string(v); return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// startSink is start with any sink.
func startSink(t *testing.T, opts kafka.ConsumerOptions, x kafka.Sink) *running {
	t.Helper()
	r := &running{done: make(chan error, 1)}
	opts.Observe = func(kafka.Observation) { r.handled.Add(1) }
	c, err := kafka.NewConsumer(opts, x)
	if err != nil {
		t.Fatal(err)
	}
	r.c = c
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() { r.done <- c.Run(ctx) }()
	return r
}

// TestConsumerGroups: a backlog applied in groups (the messages already
// fetched, in one transaction) leaves the store as applying the same
// messages one at a time does, key for key, with the same outcomes:
// redeliveries skipped, a poison message dead-lettered between the
// changes around it, older versions unchanged.
func TestConsumerGroups(t *testing.T) {
	cluster := mustCluster(t, kfake.SeedTopics(1, "parking"))
	addr := cluster.ListenAddrs()
	var msgs []kafkago.Message
	for i := range 400 {
		id := "P" + strconv.Itoa(i%60)
		at := fmt.Sprintf("2024-01-%02dT00:%02d:%02dZ", 1+i/200, (i/60)%60, i%60)
		switch {
		case i == 150:
			msgs = append(msgs, kafkago.Message{Topic: "parking", Key: []byte(`{"Permit Number":"P9"}`), Value: []byte(`{"op":"c","after":{"Permit Num`)})
		case i%37 == 0:
			msgs = append(msgs, event(id, "d", "Name", at), event(id, "", "", ""))
		case i%41 == 0:
			msgs = append(msgs, event(id, "u", "Old", "2023-01-01T00:00:00Z")) // older than what stands
		default:
			msgs = append(msgs, event(id, "c", "Name"+strconv.Itoa(i%7), at))
		}
	}
	produce(t, addr, msgs...)
	opts := kafka.ConsumerOptions{Connection: kafka.Connection{Brokers: addr},
		Decoders: map[string]kafka.Decoder{"parking": parkingDecoder(t)}, CommitInterval: 50 * time.Millisecond}

	one := mustIndex(t)
	opts.GroupID = "one"
	r := start(t, opts, one)
	r.waitHandled(t, int64(len(msgs)))
	r.stop(t)
	want := r.c.Stats()

	grouped := &groupIndex{index: mustIndex(t)}
	opts.GroupID, opts.Group = "grouped", 32
	g := startSink(t, opts, grouped)
	g.waitHandled(t, int64(len(msgs)))
	g.stop(t)
	if got := g.c.Stats(); got != want {
		t.Errorf("in groups %+v, one at a time %+v", got, want)
	}
	if grouped.groups == 0 {
		t.Error("no group of more than one change: the test no longer exercises groups")
	}
	a, b := dump(t, one), dump(t, grouped.index)
	for k := range dump(t, mustIndex(t)) { // the store's identity, made at random
		delete(a, k)
		delete(b, k)
	}
	if !maps.Equal(a, b) {
		n := 0
		for k, v := range a {
			if b[k] != v {
				n++
			}
		}
		t.Errorf("the stores differ: %d keys one at a time, %d in groups, %d values differ", len(a), len(b), n)
	}

	// Everything again in groups, as a group that never committed would
	// see it: all skipped, nothing changed.
	opts.GroupID = "again"
	g2 := startSink(t, opts, grouped)
	g2.waitHandled(t, int64(len(msgs)))
	g2.stop(t)
	if st := g2.c.Stats(); st.Skipped != int64(len(msgs)) {
		t.Errorf("redelivery: %+v, want all %d skipped", st, len(msgs))
	}
}
