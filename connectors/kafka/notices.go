package kafka

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"sync/atomic"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/resindex/resindex"
)

// Rectification notices (issue 16): each notice of a correction goes to
// a topic as one message for each source system it is for, keyed by the
// source's name, so that each source's consumer reads its own (a key
// always lands on the same partition, in order) and filters by key. With
// PerSource, each source's messages go instead to a topic of their own,
// <topic>.<source>, so that Kafka's ACLs (per topic, never per key) can
// let each source system read only its own notices.

// NoticeFeed is where notices come from: the store's notices by number,
// and a cursor per reader of them.
type NoticeFeed interface {
	Notices(after uint64, limit int, fn func(n *resindex.Notice) error) error
	Cursor(name string) (uint64, error)
	SetCursor(name string, seq uint64) error
}

// HeaderNoticeSeq is the header naming a message's notice number.
const HeaderNoticeSeq = "resindex.notice"

// DefaultNoticesTopic is the topic notices go to unless configured.
const DefaultNoticesTopic = "resindex.notices"

// NoticePublisherOptions configure a NoticePublisher.
type NoticePublisherOptions struct {
	Connection
	Topic string // default DefaultNoticesTopic
	// PerSource publishes each source's messages to Topic + "." + the
	// source's name instead of Topic (kafka.notices_per_source).
	PerSource bool
	Origin    string // the store's identity, in idempotency keys
	// Interval between looks at the notices when there are none new;
	// default 500ms.
	Interval time.Duration
	Logger   *slog.Logger
	Metrics  *Metrics // when set, counts what is published
}

// NoticePublisher sends notices to a topic, each message at least once:
// the cursor moves past a notice only once the brokers have every
// message of it; a consumer drops repeats by the idempotency key.
type NoticePublisher struct {
	opts NoticePublisherOptions
	feed NoticeFeed
	w    *kafkago.Writer
	sent atomic.Int64
}

// NewNoticePublisher checks the options and makes a publisher; Run
// starts it.
func NewNoticePublisher(opts NoticePublisherOptions, feed NoticeFeed) (*NoticePublisher, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if opts.Topic == "" {
		opts.Topic = DefaultNoticesTopic
	}
	if opts.Interval <= 0 {
		opts.Interval = 500 * time.Millisecond
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	w, err := opts.writer()
	if err != nil {
		return nil, err
	}
	return &NoticePublisher{opts: opts, feed: feed, w: w}, nil
}

// Sent returns how many messages have been published since the start.
func (p *NoticePublisher) Sent() int64 { return p.sent.Load() }

// Run publishes until ctx ends, backing off while the brokers fail, then
// sends what is left within a few seconds.
func (p *NoticePublisher) Run(ctx context.Context) error {
	defer p.w.Close()
	return publishLoop(ctx, p.opts.Interval, p.opts.Logger, "notices", p.topics(), p.publish)
}

const noticeBatch = 100

// publish sends the notices after the cursor and moves it past them.
func (p *NoticePublisher) publish(ctx context.Context) (int, error) {
	cursor := p.cursor()
	after, err := p.feed.Cursor(cursor)
	if err != nil {
		return 0, err
	}
	var msgs []kafkago.Message
	last, read := after, 0
	err = p.feed.Notices(after, noticeBatch, func(n *resindex.Notice) error {
		m, err := p.messages(n)
		msgs = append(msgs, m...)
		last, read = n.Seq, read+1
		return err
	})
	if err != nil || read == 0 {
		return 0, err
	}
	if len(msgs) > 0 {
		if err := p.w.WriteMessages(ctx, msgs...); err != nil {
			return 0, fmt.Errorf("kafka: publish notices to %s: %w", p.topics(), err)
		}
	}
	if err := p.feed.SetCursor(cursor, last); err != nil {
		return 0, err
	}
	p.sent.Add(int64(len(msgs)))
	p.opts.Metrics.sent(len(msgs))
	return read, nil
}

// cursor names the publisher's place among the notices, apart from the
// change feed's cursors (which are named by their topics). Publishing
// per source has a place of its own ("notices:<topic>.*"): turned on, it
// sends every notice kept to the sources' topics from the first, so that
// they start whole; turned off again, the one topic goes on from where
// it stopped.
func (p *NoticePublisher) cursor() string { return "notices:" + p.topics() }

// topics names where the publisher sends: its topic, or with PerSource
// its topic's per-source topics ("<topic>.*").
func (p *NoticePublisher) topics() string {
	if p.opts.PerSource {
		return p.opts.Topic + ".*"
	}
	return p.opts.Topic
}

// topic is where a source's messages go.
func (p *NoticePublisher) topic(source string) string {
	if p.opts.PerSource {
		return p.opts.Topic + "." + source
	}
	return p.opts.Topic
}

// messages are a notice's messages, one for each source it is for.
func (p *NoticePublisher) messages(n *resindex.Notice) ([]kafkago.Message, error) {
	var out []kafkago.Message
	seq := strconv.FormatUint(n.Seq, 10)
	for _, m := range n.Messages() {
		value, err := json.Marshal(m)
		if err != nil {
			return nil, fmt.Errorf("kafka: notice %s: %w", seq, err)
		}
		out = append(out, kafkago.Message{Topic: p.topic(m.Source), Key: []byte(m.Source), Value: value, Headers: []kafkago.Header{
			{Key: HeaderIdempotencyKey, Value: []byte(p.opts.Origin + ":notice:" + seq + ":" + m.Source)},
			{Key: HeaderNoticeSeq, Value: []byte(seq)},
			{Key: HeaderContentType, Value: []byte("application/json")},
		}})
	}
	return out, nil
}
