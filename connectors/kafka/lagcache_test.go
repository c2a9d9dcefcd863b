package kafka_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/resindex/resindex/connectors/kafka"
)

// TestRecentLagShared: the lag gauge's scrapes and RecentLag's callers
// (readiness) share one reading of the group's offsets within LagEvery,
// while Lag itself asks every time.
func TestRecentLagShared(t *testing.T) {
	cluster := mustCluster(t, kfake.SeedTopics(1, "parking"))
	var fetches atomic.Int64
	cluster.ControlKey(int16(kmsg.OffsetFetch), func(kmsg.Request) (kmsg.Response, error, bool) {
		cluster.KeepControl()
		fetches.Add(1)
		return nil, nil, false
	})
	opts := kafka.ConsumerOptions{Connection: kafka.Connection{Brokers: cluster.ListenAddrs()}, GroupID: "g",
		Decoders: map[string]kafka.Decoder{"parking": parkingDecoder(t)}}
	c, err := kafka.NewConsumer(opts, mustIndex(t))
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	c.RegisterLag(reg)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	for range 3 {
		if _, err := c.RecentLag(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := reg.Gather(); err != nil {
			t.Fatal(err)
		}
	}
	if time.Since(start) >= kafka.LagEvery {
		t.Skip("too slow a machine to tell a shared reading from a new one")
	}
	if n := fetches.Load(); n != 1 {
		t.Errorf("three probes and three scrapes asked the group's offsets %d times, want once", n)
	}
	if _, err := c.Lag(ctx); err != nil {
		t.Fatal(err)
	}
	if n := fetches.Load(); n != 2 {
		t.Errorf("Lag asked %d times in all, want a second time", n)
	}
}
