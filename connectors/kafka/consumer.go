package kafka

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strconv"
	"sync/atomic"
	"time"

	kafkago "github.com/segmentio/kafka-go"

	"github.com/resindex/resindex"
)

// Decoder turns a message on a topic into the change it makes; an error
// is permanent (the message is dead-lettered).
type Decoder interface {
	Record(key, value []byte) (resindex.Record, error)
}

// Sink is the index the consumer applies changes to.
type Sink interface {
	// Apply applies a change with its position in one transaction; a
	// position at or before the stream's applied offset is skipped.
	Apply(rec resindex.Record, pos resindex.Position) (bool, error)
	// HoldDeadLetter records a position as handled by dead-lettering,
	// keeping the dead letter until ReleaseDeadLetter, in one
	// transaction; HeldDeadLetters lists those not yet released.
	HoldDeadLetter(pos resindex.Position, msg []byte) error
	HeldDeadLetters() (map[resindex.Position][]byte, error)
	ReleaseDeadLetter(pos resindex.Position) error
	// Applied returns the last offset handled from a stream.
	Applied(stream string) (int64, bool, error)
}

// ConsumerOptions configure a Consumer.
type ConsumerOptions struct {
	Connection
	GroupID  string             // consumer group; default "resindex"
	Decoders map[string]Decoder // one per topic to read
	// DeadLetterSuffix names a topic's dead-letter topic; default ".DLT".
	DeadLetterSuffix string
	// CommitInterval: offsets are committed to Kafka this often, and when
	// the topics fall quiet; default 1s. The store already holds them.
	CommitInterval time.Duration
	Logger         *slog.Logger
	// Observe, when set, is told of every message handled.
	Observe func(Observation)
	// Metrics, when set, count what the consumer does.
	Metrics *Metrics
	// Fatal, when set, tells the sink's errors that retrying cannot cure
	// (a store that has stopped): Run returns them.
	Fatal func(error) bool
	// Group bounds the messages applied in one store transaction when
	// the sink applies groups (GroupSink): those already fetched when the
	// writer is free, never waiting for more; default DefaultGroup.
	Group int
}

// Outcome is what became of a message.
type Outcome int

// Outcomes of a message.
const (
	Applied      Outcome = iota // changed the index
	Unchanged                   // applied, but an older or repeated version
	Skipped                     // its offset was handled before (a redelivery)
	DeadLettered                // could not be decoded: sent to the dead-letter topic
)

// Observation describes one handled message.
type Observation struct {
	Topic     string
	Partition int
	Offset    int64
	Outcome   Outcome
	Produced  time.Time // the message's timestamp
	Done      time.Time // when its change was committed to the store
}

// Stats count the messages handled since the consumer started.
type Stats struct {
	Applied, Unchanged, Skipped, DeadLettered, Retries int64
}

// Consumer reads the topics as one consumer group and applies them.
type Consumer struct {
	opts    ConsumerOptions
	sink    Sink
	log     *slog.Logger
	dlq     *kafkago.Writer
	admin   *kafkago.Client                // offsets and metadata; one, so its connections are reused
	last    map[string]int64               // per stream, the last offset handled
	stats   [DeadLettered + 1]atomic.Int64 // by Outcome
	retries atomic.Int64
	// lagCache is the lag the gauge and readiness share (lagcache.go).
	lagCache lagCache
}

// NewConsumer checks the options and makes a consumer; Run starts it.
func NewConsumer(opts ConsumerOptions, sink Sink) (*Consumer, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if len(opts.Decoders) == 0 {
		return nil, errors.New("kafka: no topics to read")
	}
	if opts.GroupID == "" {
		opts.GroupID = "resindex"
	}
	if opts.DeadLetterSuffix == "" {
		opts.DeadLetterSuffix = ".DLT"
	}
	if opts.Group <= 0 {
		opts.Group = DefaultGroup
	}
	if opts.CommitInterval <= 0 {
		opts.CommitInterval = time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	w, err := opts.writer()
	if err != nil {
		return nil, err
	}
	admin, err := opts.client()
	if err != nil {
		return nil, err
	}
	return &Consumer{opts: opts, sink: sink, log: opts.Logger, dlq: w, admin: admin, last: map[string]int64{}}, nil
}

// Stats returns the counts so far.
func (c *Consumer) Stats() Stats {
	return Stats{Applied: c.stats[Applied].Load(), Unchanged: c.stats[Unchanged].Load(), Skipped: c.stats[Skipped].Load(),
		DeadLettered: c.stats[DeadLettered].Load(), Retries: c.retries.Load()}
}

// Topics lists the topics read, in order.
func (c *Consumer) Topics() []string {
	out := make([]string, 0, len(c.opts.Decoders))
	for t := range c.opts.Decoders {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// StreamName is the store's name for a topic partition's offsets.
func StreamName(topic string, partition int) string {
	return "kafka:" + topic + "/" + strconv.Itoa(partition)
}

// Run consumes until ctx ends, then commits what it has applied and
// leaves the group. It returns nil on a clean stop, and an error when the
// consumer cannot go on: it cannot start, or the store has failed (Fatal).
func (c *Consumer) Run(ctx context.Context) error {
	if err := c.retry(ctx, "align the group with the store", func() error { return c.alignGroup(ctx) }); err != nil {
		return stopped(ctx, err)
	}
	r, err := c.reader()
	if err != nil {
		return err
	}
	defer c.closeWithin(r, 10*time.Second)
	defer c.dlq.Close()
	if err := c.retry(ctx, "publish held dead letters", func() error { return c.recoverDeadLetters(ctx) }); err != nil {
		return stopped(ctx, err)
	}
	p := &pendingCommits{done: map[string]kafkago.Message{}, last: time.Now()}
	defer c.commit(r, p) // what was applied, at any stop
	fctx, stopFetch := context.WithCancel(ctx)
	defer stopFetch()
	in := c.fetchAhead(fctx, r, 2*c.opts.Group)
	for {
		fs, ok := batch(ctx, in, c.opts.Group, c.opts.CommitInterval)
		switch {
		case ctx.Err() != nil || !ok:
			return nil
		case len(fs) == 0:
			c.commit(r, p) // quiet: commit what is done
			continue
		}
		if err := c.handleBatch(ctx, fs, p); err != nil {
			return stopped(ctx, err) // what is not in p is not done
		}
		if time.Since(p.last) >= c.opts.CommitInterval {
			c.commit(r, p)
		}
	}
}

// stopped is nil when ctx ended (a clean stop), else err.
func stopped(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// pendingCommits holds, per partition, the last message handled and not
// yet committed to Kafka.
type pendingCommits struct {
	done map[string]kafkago.Message
	last time.Time // of the last commit
}

func (p *pendingCommits) add(m kafkago.Message) {
	p.done[m.Topic+"/"+strconv.Itoa(m.Partition)] = m
}

// commit commits the offsets of the messages handled. A failed commit (a
// rebalance took the partition, the broker is away) keeps them, to try
// again; the store has the offsets meanwhile, so a redelivery is skipped.
func (c *Consumer) commit(r *kafkago.Reader, p *pendingCommits) {
	p.last = time.Now()
	if len(p.done) == 0 {
		return
	}
	ms := make([]kafkago.Message, 0, len(p.done))
	for _, m := range p.done {
		ms = append(ms, m)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.CommitMessages(ctx, ms...); err != nil {
		c.log.Warn("kafka: commit failed; will try again (the store has the offsets)", "err", err)
		return
	}
	clear(p.done)
}

func (c *Consumer) reader() (*kafkago.Reader, error) {
	d, err := c.opts.dialer()
	if err != nil {
		return nil, err
	}
	return kafkago.NewReader(kafkago.ReaderConfig{
		Brokers:     c.opts.Brokers,
		GroupID:     c.opts.GroupID,
		GroupTopics: c.Topics(),
		Dialer:      d,
		// Change data capture must start at the beginning (kafka-go #904),
		// and commit only when told to (CommitInterval 0, #1259).
		StartOffset:            kafkago.FirstOffset,
		CommitInterval:         0,
		MinBytes:               1,
		MaxBytes:               16 << 20,
		MaxWait:                250 * time.Millisecond,
		HeartbeatInterval:      3 * time.Second,
		SessionTimeout:         10 * time.Second, // a killed member is replaced within this
		RebalanceTimeout:       30 * time.Second,
		WatchPartitionChanges:  true,
		PartitionWatchInterval: 5 * time.Second,
		ErrorLogger:            kafkago.LoggerFunc(func(f string, a ...any) { c.log.Debug("kafka-go: " + fmt.Sprintf(f, a...)) }),
	}), nil
}

// handle applies one message, decoded (derr: it does not decode), or
// dead-letters it, retrying failures of the store or the broker until
// they pass or ctx ends.
func (c *Consumer) handle(ctx context.Context, f fetched) error {
	m, rec, derr := f.m, f.rec, f.derr
	pos := resindex.Position{Stream: StreamName(m.Topic, m.Partition), Offset: m.Offset}
	last, seen, err := c.applied(ctx, pos.Stream)
	if err != nil {
		return err
	}
	if seen && m.Offset <= last {
		c.done(m, Skipped)
		return nil
	}
	outcome := Applied
	if derr != nil {
		outcome = DeadLettered
		err = c.deadLetter(ctx, m, pos, derr)
	} else {
		err = c.retry(ctx, "apply", func() error {
			ok, err := c.sink.Apply(rec, pos)
			if err == nil && !ok {
				outcome = Unchanged
			}
			return err
		})
	}
	if err != nil {
		return err
	}
	c.last[pos.Stream] = m.Offset
	c.done(m, outcome)
	return nil
}

func (c *Consumer) decode(m kafkago.Message) (resindex.Record, error) {
	d, ok := c.opts.Decoders[m.Topic]
	if !ok {
		return resindex.Record{}, fmt.Errorf("no mapping for topic %s", m.Topic)
	}
	return d.Record(m.Key, m.Value)
}

// applied returns a stream's last handled offset, read from the store the
// first time and kept after that: only this consumer writes it.
func (c *Consumer) applied(ctx context.Context, stream string) (int64, bool, error) {
	if off, ok := c.last[stream]; ok {
		return off, true, nil
	}
	var off int64
	var seen bool
	err := c.retry(ctx, "read position", func() error {
		var err error
		off, seen, err = c.sink.Applied(stream)
		return err
	})
	if err == nil && seen {
		c.last[stream] = off
	}
	return off, seen, err
}

func (c *Consumer) done(m kafkago.Message, o Outcome) {
	c.stats[o].Add(1)
	now := time.Now()
	c.opts.Metrics.handled(m.Topic, o, m.Time, now)
	if c.opts.Observe != nil {
		c.opts.Observe(Observation{Topic: m.Topic, Partition: m.Partition, Offset: m.Offset, Outcome: o, Produced: m.Time, Done: now})
	}
}

// retry runs fn until it succeeds, backing off from 100ms to 30s, or
// until ctx ends. Failures here are the store's or the broker's, never
// the message's, so skipping the message would lose it.
func (c *Consumer) retry(ctx context.Context, what string, fn func() error) error {
	wait := 100 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil {
			return nil
		}
		if errors.Is(err, ErrGroupBusy) || c.opts.Fatal != nil && c.opts.Fatal(err) {
			return fmt.Errorf("kafka: %s: %w", what, err)
		}
		c.retries.Add(1)
		c.opts.Metrics.retried()
		level := slog.LevelWarn // a topic being created, a leader moving
		if attempt > 3 {
			level = slog.LevelError
		}
		c.log.Log(context.Background(), level, "kafka: "+what+" failed; retrying", "err", err, "in", wait, "attempt", attempt)
		if sleep(ctx, wait) != nil {
			return ctx.Err()
		}
		wait = min(2*wait, 30*time.Second)
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// closeWithin closes the reader, giving up after d: Close can hang during
// a rebalance (kafka-go #1248, #1353).
func (c *Consumer) closeWithin(r *kafkago.Reader, d time.Duration) {
	done := make(chan error, 1)
	go func() { done <- r.Close() }()
	select {
	case err := <-done:
		if err != nil {
			c.log.Warn("kafka: close reader", "err", err)
		}
	case <-time.After(d):
		c.log.Warn("kafka: leaving the group took too long; stopped waiting")
	}
}
