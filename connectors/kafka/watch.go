package kafka

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	kafkago "github.com/segmentio/kafka-go"
)

// WatchTopic calls fn as each message of a topic arrives, read in a
// consumer group of its own, from the newest message on, until ctx ends:
// for a read replica, the writer's change feed says when to pull, and
// what the messages hold does not matter (the pull brings every change).
// A broker that cannot be reached is logged and tried again.
func WatchTopic(ctx context.Context, c Connection, topic, group string, log *slog.Logger, fn func()) error {
	d, err := c.dialer()
	if err != nil {
		return fmt.Errorf("kafka: watch %s: %w", topic, err)
	}
	r := kafkago.NewReader(kafkago.ReaderConfig{Brokers: c.Brokers, GroupID: group, Topic: topic, Dialer: d,
		StartOffset: kafkago.LastOffset, MaxWait: 250 * time.Millisecond, CommitInterval: time.Second})
	defer r.Close()
	for {
		_, err := r.ReadMessage(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			log.Warn("kafka: watching the change feed failed; trying again", "topic", topic, "err", err)
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(time.Second):
			}
			continue
		}
		fn()
	}
}
