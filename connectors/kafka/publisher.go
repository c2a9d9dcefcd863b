package kafka

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	kafkago "github.com/segmentio/kafka-go"
)

// Feed is the index's change feed: the store's outbox, and a cursor per
// reader of it.
type Feed interface {
	Outbox(after uint64, limit int, fn func(seq uint64, payload []byte) error) error
	Cursor(name string) (uint64, error)
	SetCursor(name string, seq uint64) error
}

// Outbound message headers.
const (
	HeaderIdempotencyKey = "resindex.idempotency-key" // <store id>:<sequence>
	HeaderChangeSeq      = "resindex.change-seq"
	HeaderContentType    = "content-type"
)

// PublisherOptions configure a Publisher.
type PublisherOptions struct {
	Connection
	Topic string // default "resindex.person-changes"; "none": changes are not sent
	// AlertsTopic receives alert.* entries of the feed, keyed by alert
	// ID; default "resindex.alerts"; "none": alerts are not sent.
	AlertsTopic string
	Origin      string // the store's identity, in idempotency keys
	// Interval between looks at the feed when it is idle; default 200ms.
	Interval time.Duration
	Logger   *slog.Logger
	Metrics  *Metrics // when set, counts what is published
}

// Publisher sends the change feed to a topic, keyed by person ID, each
// entry at least once; a consumer drops repeats by the idempotency key.
type Publisher struct {
	opts PublisherOptions
	feed Feed
	w    *kafkago.Writer
	log  *slog.Logger
	sent atomic.Int64
}

// NewPublisher checks the options and makes a publisher; Run starts it.
func NewPublisher(opts PublisherOptions, feed Feed) (*Publisher, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if opts.Topic == "" {
		opts.Topic = "resindex.person-changes"
	}
	if opts.AlertsTopic == "" {
		opts.AlertsTopic = "resindex.alerts"
	}
	if opts.Interval <= 0 {
		opts.Interval = 200 * time.Millisecond
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	w, err := opts.writer()
	if err != nil {
		return nil, err
	}
	return &Publisher{opts: opts, feed: feed, w: w, log: opts.Logger}, nil
}

// Sent returns how many changes have been published since the start.
func (p *Publisher) Sent() int64 { return p.sent.Load() }

// Run publishes until ctx ends, then sends what is left within a few
// seconds.
func (p *Publisher) Run(ctx context.Context) error {
	defer p.w.Close()
	return publishLoop(ctx, p.opts.Interval, p.log, "changes", p.opts.Topic, p.publish)
}

// publishLoop calls publish until ctx ends, backing off while the brokers
// fail and going straight on while there is more to send; then it sends
// what is left within a few seconds.
func publishLoop(ctx context.Context, interval time.Duration, log *slog.Logger, what, topic string, publish func(context.Context) (int, error)) error {
	wait := interval
	for ctx.Err() == nil {
		n, err := publish(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("kafka: publish "+what+" failed; retrying", "topic", topic, "err", err, "in", wait)
			wait = min(2*wait, 30*time.Second)
		case n > 0:
			wait = interval
			continue
		default:
			wait = interval
		}
		if sleep(ctx, wait) != nil {
			break
		}
	}
	drain, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		n, err := publish(drain)
		if err != nil || n == 0 {
			return nil
		}
	}
}

const publishBatch = 500

// publish sends the next batch of the feed and moves the cursor past it.
func (p *Publisher) publish(ctx context.Context) (int, error) {
	after, err := p.feed.Cursor(p.cursor())
	if err != nil {
		return 0, err
	}
	var msgs []kafkago.Message
	last := after
	read := 0
	err = p.feed.Outbox(after, publishBatch, func(seq uint64, payload []byte) error {
		m, send, err := p.message(seq, payload)
		if err != nil {
			return err
		}
		if send {
			msgs = append(msgs, m)
		}
		last, read = seq, read+1
		return nil
	})
	if err != nil || read == 0 {
		return 0, err
	}
	if len(msgs) > 0 {
		if err := p.w.WriteMessages(ctx, msgs...); err != nil {
			return 0, fmt.Errorf("kafka: publish to %s: %w", p.opts.Topic, err)
		}
	}
	if err := p.feed.SetCursor(p.cursor(), last); err != nil {
		return 0, err
	}
	p.sent.Add(int64(len(msgs)))
	p.opts.Metrics.sent(len(msgs))
	return read, nil // entries read, sent or skipped: the drain goes on while there are any
}

// cursor names the publisher's place in the feed: the changes topic, as
// it always has, or the alerts topic when changes are not sent.
func (p *Publisher) cursor() string {
	if p.opts.Topic == "none" {
		return p.opts.AlertsTopic
	}
	return p.opts.Topic
}

// message makes the outbound message for one change-feed entry: a
// person's change to the changes topic keyed by person ID, an alert to
// the alerts topic keyed by alert ID; false when the entry's topic is
// turned off.
func (p *Publisher) message(seq uint64, payload []byte) (kafkago.Message, bool, error) {
	var c struct {
		Type   string `json:"type"`
		Person string `json:"person"`
		Alert  *struct {
			ID string `json:"id"`
		} `json:"alert"`
	}
	s := strconv.FormatUint(seq, 10)
	if err := json.Unmarshal(payload, &c); err != nil {
		return kafkago.Message{}, false, errors.New("kafka: change feed entry " + s + " is not JSON")
	}
	topic, key := p.opts.Topic, c.Person
	if strings.HasPrefix(c.Type, "alert.") {
		topic, key = p.opts.AlertsTopic, ""
		if c.Alert != nil {
			key = c.Alert.ID
		}
	}
	if key == "" {
		return kafkago.Message{}, false, errors.New("kafka: change feed entry " + s + " names no person or alert")
	}
	if topic == "none" {
		return kafkago.Message{}, false, nil
	}
	return kafkago.Message{Topic: topic, Key: []byte(key), Value: payload, Headers: []kafkago.Header{
		{Key: HeaderIdempotencyKey, Value: []byte(p.opts.Origin + ":" + s)},
		{Key: HeaderChangeSeq, Value: []byte(s)},
		{Key: HeaderContentType, Value: []byte("application/json")},
	}}, true, nil
}
