package kafka_test

import (
	"context"
	"encoding/json"
	"slices"
	"sync"
	"testing"
	"time"

	kafkago "github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/connectors/kafka"
)

// memNotices is a NoticeFeed in memory.
type memNotices struct {
	mu      sync.Mutex
	notices []resindex.Notice
	cursors map[string]uint64
}

func (f *memNotices) Notices(after uint64, limit int, fn func(n *resindex.Notice) error) error {
	f.mu.Lock()
	list := slices.Clone(f.notices)
	f.mu.Unlock()
	for i := range list {
		if list[i].Seq > after && limit > 0 {
			limit--
			if err := fn(&list[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

func (f *memNotices) Cursor(name string) (uint64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cursors[name], nil
}

func (f *memNotices) SetCursor(name string, seq uint64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cursors[name] = seq
	return nil
}

func noticeFeed() *memNotices {
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	return &memNotices{cursors: map[string]uint64{}, notices: []resindex.Notice{
		{Seq: 1, Person: "P0000000001", IssuedAt: at, Targets: []resindex.NoticeTarget{{Source: "housing", Records: []string{"H1"}}, {Source: "electoral_roll", Records: []string{"E1", "E2"}}},
			Correction: resindex.Correction{Field: "address", Address: &resindex.CorrectedAddress{Lines: []string{"12 Elm Road"}, Postcode: "E8 1AA"}, ReportedVia: "council_tax", Reason: "phoned"}},
		{Seq: 2, Person: "P0000000002", IssuedAt: at, // told by the only source that holds them: nothing to send
			Correction: resindex.Correction{Field: "dob", DOB: "1980-01-01", ReportedVia: "libraries", Reason: "certificate"}},
		{Seq: 3, Person: "P0000000003", IssuedAt: at, Targets: []resindex.NoticeTarget{{Source: "housing", Records: []string{"H3"}}},
			Correction: resindex.Correction{Field: "name", Name: &resindex.CorrectedName{Given: "Anne", Family: "Lee"}, Reason: "deed poll"}},
	}}
}

// TestNoticePublisher: one message per (notice, source), keyed by the
// source, with the notice's values and an idempotency key; the cursor
// ends past the last notice, and a second run sends nothing again.
func TestNoticePublisher(t *testing.T) {
	cluster := mustCluster(t, kfake.SeedTopics(1, "notices"))
	addr := cluster.ListenAddrs()
	feed := noticeFeed()
	opts := kafka.NoticePublisherOptions{Connection: kafka.Connection{Brokers: addr}, Topic: "notices", Origin: "store1", Interval: 10 * time.Millisecond}
	for range 2 {
		runNotices(t, opts, feed, 3)
	}
	got := readAllAvailable(t, addr, "notices")
	want := []struct{ key, idem, field string }{
		{"housing", "store1:notice:1:housing", "address"},
		{"electoral_roll", "store1:notice:1:electoral_roll", "address"},
		{"housing", "store1:notice:3:housing", "name"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d messages, want %d", len(got), len(want))
	}
	for i, w := range want {
		var m resindex.NoticeMessage
		if err := json.Unmarshal(got[i].Value, &m); err != nil {
			t.Fatal(err)
		}
		if string(got[i].Key) != w.key || header(got[i], kafka.HeaderIdempotencyKey) != w.idem || m.Source != w.key || m.Field != w.field {
			t.Errorf("message %d: key %s, idempotency key %s, %+v; want %+v", i, got[i].Key, header(got[i], kafka.HeaderIdempotencyKey), m, w)
		}
	}
	var first resindex.NoticeMessage
	json.Unmarshal(got[1].Value, &first)
	if !slices.Equal(first.Records, []string{"E1", "E2"}) || first.Address.Postcode != "E8 1AA" || first.ReportedVia != "council_tax" {
		t.Errorf("the electoral roll's message: %+v", first)
	}
	if containsReason(got) {
		t.Error("a message holds the correction's reason")
	}
}

// TestNoticePublisherPerSource: with PerSource each source's messages go
// to <topic>.<source>, and none to the topic itself, so that a source
// system's ACL can be its own topic's; its cursor is apart from the one
// topic's, so turning it on sends the notices kept from the first.
func TestNoticePublisherPerSource(t *testing.T) {
	cluster := mustCluster(t, kfake.SeedTopics(1, "notices", "notices.housing", "notices.electoral_roll"))
	addr := cluster.ListenAddrs()
	feed := noticeFeed()
	one := kafka.NoticePublisherOptions{Connection: kafka.Connection{Brokers: addr}, Topic: "notices", Origin: "store1", Interval: 10 * time.Millisecond}
	runNotices(t, one, feed, 3) // first the one topic, then per source
	perSource := one
	perSource.PerSource = true
	for range 2 {
		runNotices(t, perSource, feed, 3)
	}
	if got := len(readAllAvailable(t, addr, "notices")); got != 3 {
		t.Errorf("the one topic holds %d messages; want the 3 sent before publishing per source", got)
	}
	for topic, want := range map[string][]string{
		"notices.housing":        {"store1:notice:1:housing", "store1:notice:3:housing"},
		"notices.electoral_roll": {"store1:notice:1:electoral_roll"},
	} {
		got := readAllAvailable(t, addr, topic)
		var idem []string
		for _, m := range got {
			var v resindex.NoticeMessage
			if err := json.Unmarshal(m.Value, &v); err != nil {
				t.Fatal(err)
			}
			if "notices."+v.Source != topic || string(m.Key) != v.Source {
				t.Errorf("%s holds a message for %s, keyed %s", topic, v.Source, m.Key)
			}
			idem = append(idem, header(m, kafka.HeaderIdempotencyKey))
		}
		if !slices.Equal(idem, want) {
			t.Errorf("%s: %q; want %q", topic, idem, want)
		}
		if containsReason(got) {
			t.Errorf("%s: a message holds the correction's reason", topic)
		}
	}
	if cur, _ := feed.Cursor("notices:notices"); cur != 3 {
		t.Errorf("the one topic's cursor is %d; want 3, left as it was", cur)
	}
}

func containsReason(msgs []kafkago.Message) bool {
	for _, m := range msgs {
		var v map[string]any
		json.Unmarshal(m.Value, &v)
		if _, ok := v["reason"]; ok {
			return true
		}
	}
	return false
}

// TestNoticePublisherWaitsForTheBrokers: a pass the brokers do not
// acknowledge leaves the cursor where it was, so the notices go later.
func TestNoticePublisherWaitsForTheBrokers(t *testing.T) {
	feed := noticeFeed()
	p, err := kafka.NewNoticePublisher(kafka.NoticePublisherOptions{Connection: kafka.Connection{Brokers: []string{"127.0.0.1:1"}}, Topic: "notices"}, feed)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := kafka.PublishNotices(ctx, p); err == nil {
		t.Fatal("a pass to no broker succeeded")
	}
	if cur, _ := feed.Cursor("notices:notices"); cur != 0 {
		t.Fatalf("the cursor moved to %d without the brokers' acknowledgement", cur)
	}
}

func runNotices(t *testing.T, opts kafka.NoticePublisherOptions, feed *memNotices, last uint64) {
	t.Helper()
	p, err := kafka.NewNoticePublisher(opts, feed)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	deadline := time.Now().Add(30 * time.Second)
	cursor := kafka.NoticeCursor(p)
	for cur, _ := feed.Cursor(cursor); cur < last && time.Now().Before(deadline); cur, _ = feed.Cursor(cursor) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
