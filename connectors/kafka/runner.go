package kafka

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/resindex/resindex/internal/latency"
)

// Runner runs a consumer and the publisher of its change feed together,
// printing progress, until asked to stop or, for a catch-up run, until
// the topics have gone quiet.
type Runner struct {
	Consumer  *Consumer
	Publisher *Publisher // nil when the change feed is not published
	// Latencies is given each message's Observation (ConsumerOptions.Observe).
	Latencies *Latencies
	// Logf prints a progress line for the operator.
	Logf func(format string, args ...any)
}

// Run consumes and publishes until ctx ends (SIGTERM) or, with idle set,
// until the topics have been quiet that long; then it stops both cleanly
// and sums up.
func (s *Runner) Run(ctx context.Context, idle, every time.Duration) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := time.Now()
	s.Logf("serving: reading %v", s.Consumer.Topics())
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	wg.Add(1)
	go func() {
		defer wg.Done()
		errs <- s.Consumer.Run(ctx)
		cancel() // the consumer stopped (or could not go on): so does serve
	}()
	pubCtx, stopPub := context.WithCancel(context.Background())
	defer stopPub()
	if s.Publisher != nil {
		wg.Add(1)
		go func() { defer wg.Done(); errs <- s.Publisher.Run(pubCtx) }()
	}
	s.watch(ctx, cancel, idle, every)
	stopPub() // after the consumer: the publisher drains what it applied
	wg.Wait()
	close(errs)
	s.summary(time.Since(start))
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// watch prints progress until ctx ends; with idle set, it ends ctx once
// the group has caught up with every topic and no message has come for
// that long.
func (s *Runner) watch(ctx context.Context, cancel context.CancelFunc, idle, every time.Duration) {
	tick := time.NewTicker(min(every, max(idle/4, 100*time.Millisecond)))
	defer tick.Stop()
	lastReport := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		report := time.Since(lastReport) >= every
		quiet := idle > 0 && time.Since(s.Latencies.lastActivity()) >= idle
		if !report && !quiet {
			continue
		}
		lag, err := s.Consumer.Lag(ctx)
		if report {
			lastReport = time.Now()
			s.status(lag, err)
		}
		if quiet && err == nil && lag == 0 {
			s.Logf("caught up, and no message for %s: stopping", idle)
			cancel()
		}
	}
}

func (s *Runner) status(lag int64, lagErr error) {
	st := s.Consumer.Stats()
	pub := int64(0)
	if s.Publisher != nil {
		pub = s.Publisher.Sent()
	}
	behind := fmt.Sprintf("%d messages behind", lag)
	if lagErr != nil {
		behind = "lag unknown (" + lagErr.Error() + ")"
	}
	s.Logf("applied %d, unchanged %d, skipped %d, dead-lettered %d, retries %d; %s; %d changes published; latency since the last report %s",
		st.Applied, st.Unchanged, st.Skipped, st.DeadLettered, st.Retries, behind, pub, s.Latencies.recent())
}

func (s *Runner) summary(el time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	lag, err := s.Consumer.Lag(ctx)
	s.status(lag, err)
	n, first, last, sum := s.Latencies.summary()
	if n == 0 {
		return
	}
	busy := last.Sub(first).Seconds()
	s.Logf("stopped: %d messages handled in %.1f s (%.0f/s while busy); event-to-change latency %s",
		n, el.Seconds(), float64(n)/max(busy, 1e-3), sum)
}

// Latencies keeps, for every message applied, the time from its arrival
// in Kafka to its change being committed to the store.
type Latencies struct {
	mu          sync.Mutex
	d           []time.Duration
	reported    int // d[:reported] were in an earlier status line
	n           int
	first, last time.Time
	started     time.Time
}

// Observe records one message's latencies (it is the consumer's
// observer).
func (l *Latencies) Observe(o Observation) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.n == 0 {
		l.first = o.Done
	}
	l.n++
	l.last = o.Done
	if o.Outcome == Applied && len(l.d) < 10_000_000 && !o.Produced.IsZero() {
		l.d = append(l.d, o.Done.Sub(o.Produced))
	}
}

// lastActivity is when the last message was handled, or when watching
// began.
func (l *Latencies) lastActivity() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.started.IsZero() {
		l.started = time.Now()
	}
	if l.last.After(l.started) {
		return l.last
	}
	return l.started
}

// recent sums up the latencies since it was last called.
func (l *Latencies) recent() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	window := append([]time.Duration(nil), l.d[l.reported:]...)
	l.reported = len(l.d)
	return latency.Summary(window)
}

func (l *Latencies) summary() (int, time.Time, time.Time, string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n, l.first, l.last, latency.Summary(l.d)
}
