package kafka

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/resindex/resindex"
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

// deadLetter sends a poison message, key and value unchanged, to its
// topic's dead-letter topic, exactly once: the store holds it with its
// position first (so it is handled, and not lost in a crash), then it is
// published, then released. A dead letter still held at start-up is
// published again only if the topic does not have it (recoverDeadLetters).
// The error names what is wrong without quoting resident data (the
// decoders' errors never do).
func (c *Consumer) deadLetter(ctx context.Context, m kafkago.Message, pos resindex.Position, cause error) error {
	dl := c.deadLetterMessage(m, cause)
	data, err := json.Marshal(dl)
	if err != nil {
		return fmt.Errorf("kafka: encode dead letter: %w", err)
	}
	if err := c.retry(ctx, "hold dead letter", func() error { return c.sink.HoldDeadLetter(pos, data) }); err != nil {
		return err
	}
	c.log.Warn("kafka: message dead-lettered", "topic", m.Topic, "partition", m.Partition, "offset", m.Offset)
	c.log.Debug("kafka: dead-letter cause", "offset", m.Offset, "err", cause)
	if err := c.retry(ctx, "dead-letter", func() error { return c.dlq.WriteMessages(ctx, dl) }); err != nil {
		return err
	}
	return c.retry(ctx, "release dead letter", func() error { return c.sink.ReleaseDeadLetter(pos) })
}

func (c *Consumer) deadLetterMessage(m kafkago.Message, cause error) kafkago.Message {
	// The message's own headers, but not resindex's from an earlier dead
	// letter (a message replayed from a dead-letter topic): those would
	// name another origin.
	headers := make([]kafkago.Header, 0, len(m.Headers)+7)
	for _, h := range m.Headers {
		if !strings.HasPrefix(h.Key, "resindex.") {
			headers = append(headers, h)
		}
	}
	headers = append(headers,
		kafkago.Header{Key: HeaderError, Value: []byte(cause.Error())},
		kafkago.Header{Key: HeaderTopic, Value: []byte(m.Topic)},
		kafkago.Header{Key: HeaderPartition, Value: []byte(strconv.Itoa(m.Partition))},
		kafkago.Header{Key: HeaderOffset, Value: []byte(strconv.FormatInt(m.Offset, 10))},
		kafkago.Header{Key: HeaderGroup, Value: []byte(c.opts.GroupID)},
		kafkago.Header{Key: HeaderFirstFailure, Value: []byte(time.Now().UTC().Format(time.RFC3339Nano))},
		kafkago.Header{Key: HeaderAttempts, Value: []byte("1")},
	)
	return kafkago.Message{Topic: m.Topic + c.opts.DeadLetterSuffix, Key: m.Key, Value: m.Value, Headers: headers}
}

// recoverDeadLetters publishes the dead letters a crash left held: each
// one the dead-letter topic does not already have.
func (c *Consumer) recoverDeadLetters(ctx context.Context) error {
	held, err := c.sink.HeldDeadLetters()
	if err != nil {
		return fmt.Errorf("kafka: held dead letters: %w", err)
	}
	for _, pos := range sortedPositions(held) {
		var dl kafkago.Message
		if err := json.Unmarshal(held[pos], &dl); err != nil {
			return fmt.Errorf("kafka: held dead letter %s@%d: %w", pos.Stream, pos.Offset, err)
		}
		sent, err := c.alreadySent(ctx, dl)
		if err != nil {
			return err
		}
		if !sent {
			err = c.dlq.WriteMessages(ctx, dl)
		}
		if err == nil {
			err = c.sink.ReleaseDeadLetter(pos)
		}
		if err != nil {
			return fmt.Errorf("kafka: held dead letter %s@%d: %w", pos.Stream, pos.Offset, err)
		}
	}
	return nil
}

func sortedPositions(m map[resindex.Position][]byte) []resindex.Position {
	out := make([]resindex.Position, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Stream != out[j].Stream {
			return out[i].Stream < out[j].Stream
		}
		return out[i].Offset < out[j].Offset
	})
	return out
}

// deadLetterTail is how many of a dead-letter partition's last messages
// are searched for a held one: it was published, if at all, just before
// the crash.
const deadLetterTail = 256

// alreadySent reports whether the dead-letter topic has the message, by
// its original topic, partition and offset.
func (c *Consumer) alreadySent(ctx context.Context, dl kafkago.Message) (bool, error) {
	cl := c.admin
	parts, err := partitions(ctx, cl, []string{dl.Topic})
	if err != nil {
		return false, err
	}
	want := headerValue(dl.Headers, HeaderTopic) + "/" + headerValue(dl.Headers, HeaderPartition) + "@" + headerValue(dl.Headers, HeaderOffset)
	for _, p := range parts[dl.Topic] {
		found, err := tailHas(ctx, cl, dl.Topic, p, want)
		if err != nil || found {
			return found, err
		}
	}
	return false, nil
}

func tailHas(ctx context.Context, cl *kafkago.Client, topic string, partition int, want string) (bool, error) {
	res, err := cl.Fetch(ctx, &kafkago.FetchRequest{Topic: topic, Partition: partition, Offset: kafkago.LastOffset, MaxBytes: 1})
	if err == nil {
		err = res.Error
	}
	if err != nil {
		return false, fmt.Errorf("kafka: end of %s/%d: %w", topic, partition, err)
	}
	end := res.HighWatermark
	empty := 0
	for off := max(end-deadLetterTail, res.LogStartOffset); off < end; {
		res, err := cl.Fetch(ctx, &kafkago.FetchRequest{Topic: topic, Partition: partition, Offset: off, MaxBytes: 8 << 20})
		if err != nil || res.Error != nil {
			return false, fmt.Errorf("kafka: read %s/%d: %w", topic, partition, errors.Join(err, res.Error))
		}
		next, found, err := scanRecords(res.Records, off, want)
		if err != nil || found {
			return found, err
		}
		if next == off {
			// A fetch below the high watermark can come back empty on a
			// busy broker; concluding "not there" would publish the
			// dead letter twice, so look again a few times first.
			if empty++; empty > emptyFetches {
				return false, fmt.Errorf("kafka: read %s/%d: no records below the high watermark after %d tries", topic, partition, empty)
			}
			if err := sleep(ctx, 50*time.Millisecond); err != nil {
				return false, err
			}
			continue
		}
		off, empty = next, 0
	}
	return false, nil
}

// emptyFetches is how many empty fetches below the high watermark
// tailHas tolerates before it gives up.
const emptyFetches = 20

// scanRecords reads a fetched batch for the dead letter of want, giving
// the offset after the last record read.
func scanRecords(rr kafkago.RecordReader, from int64, want string) (int64, bool, error) {
	next := from
	for {
		r, err := rr.ReadRecord()
		if errors.Is(err, io.EOF) {
			return next, false, nil
		}
		if err != nil {
			return next, false, err
		}
		next = r.Offset + 1
		h := map[string]string{}
		for _, x := range r.Headers {
			h[x.Key] = string(x.Value)
		}
		if h[HeaderTopic]+"/"+h[HeaderPartition]+"@"+h[HeaderOffset] == want {
			return next, true, nil
		}
	}
}

func headerValue(hs []kafkago.Header, key string) string {
	for _, h := range hs {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}
