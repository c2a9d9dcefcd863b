package kafka_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/resindex/resindex/connectors/kafka"
)

// TestPing: the brokers answer while they run, and not once they stop.
func TestPing(t *testing.T) {
	cluster := mustCluster(t)
	opts := kafka.ConsumerOptions{Connection: kafka.Connection{Brokers: cluster.ListenAddrs()}, GroupID: "g",
		Decoders: map[string]kafka.Decoder{"parking": parkingDecoder(t)}}
	c, err := kafka.NewConsumer(opts, mustIndex(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Ping(ctx); err != nil {
		t.Fatalf("a running broker: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gone := ln.Addr().String()
	ln.Close()
	opts.Connection.Brokers = []string{gone}
	c, err = kafka.NewConsumer(opts, mustIndex(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Ping(ctx); err == nil {
		t.Error("a broker nobody runs answered")
	}
}
