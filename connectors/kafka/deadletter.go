package kafka

import (
	"context"
	"strconv"
	"time"

	kafkago "github.com/segmentio/kafka-go"
)

// Dead-letter headers, beside the original message's own headers.
const (
	HeaderError        = "resindex.error"
	HeaderTopic        = "resindex.original.topic"
	HeaderPartition    = "resindex.original.partition"
	HeaderOffset       = "resindex.original.offset"
	HeaderGroup        = "resindex.consumer.group"
	HeaderFirstFailure = "resindex.first.failure"
	HeaderAttempts     = "resindex.attempts"
)

// deadLetter publishes a poison message, key and value unchanged, to its
// topic's dead-letter topic, and returns once the brokers have it. The
// error names what is wrong without quoting resident data (the decoders'
// errors never do).
func (c *Consumer) deadLetter(ctx context.Context, m kafkago.Message, cause error) error {
	headers := append([]kafkago.Header{}, m.Headers...)
	headers = append(headers,
		kafkago.Header{Key: HeaderError, Value: []byte(cause.Error())},
		kafkago.Header{Key: HeaderTopic, Value: []byte(m.Topic)},
		kafkago.Header{Key: HeaderPartition, Value: []byte(strconv.Itoa(m.Partition))},
		kafkago.Header{Key: HeaderOffset, Value: []byte(strconv.FormatInt(m.Offset, 10))},
		kafkago.Header{Key: HeaderGroup, Value: []byte(c.opts.GroupID)},
		kafkago.Header{Key: HeaderFirstFailure, Value: []byte(time.Now().UTC().Format(time.RFC3339Nano))},
		kafkago.Header{Key: HeaderAttempts, Value: []byte("1")},
	)
	c.log.Warn("kafka: message dead-lettered", "topic", m.Topic, "partition", m.Partition, "offset", m.Offset)
	c.log.Debug("kafka: dead-letter cause", "offset", m.Offset, "err", cause)
	return c.dlq.WriteMessages(ctx, kafkago.Message{Topic: m.Topic + c.opts.DeadLetterSuffix, Key: m.Key, Value: m.Value, Headers: headers})
}
