package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/connectors/kafka"
	"github.com/resindex/resindex/internal/latency"
	"github.com/resindex/resindex/internal/progress"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
)

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", "--data DIR --brokers HOST:PORT --topics all|TOPIC[=SOURCE],... [--config FILE]")
	ef := addEngineFlags(fs)
	kf := addKafkaFlags(fs)
	population := fs.Int("population", 0, "records the prior is reckoned for, fixed when the store is built (default: the configuration's, else 200,000)")
	idle := fs.Duration("stop-when-idle", 0, "stop once no message has come for this long (a catch-up run); 0: run until SIGTERM")
	every := fs.Duration("status-every", 10*time.Second, "how often to print progress on stderr")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	apiAddr := fs.String("http-addr", "", "serve the JSON API at http://ADDR/api/v1/ (e.g. 127.0.0.1:8080; default: the configuration's http_addr, else off); with no Kafka brokers, serve only the API")
	metricsAddr := fs.String("metrics-addr", "", "serve Prometheus metrics at http://ADDR/metrics (e.g. 127.0.0.1:9464; default: the configuration's metrics_addr, else off)")
	level := new(slog.Level)
	fs.TextVar(level, "log-level", slog.LevelInfo, "least level of log lines on stderr: debug, info, warn or error (resident data only at debug)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := ef.resolve(); err != nil {
		return err
	}
	if err := kf.apply(ef.cfg); err != nil {
		return err
	}
	if *ef.data == "" {
		fs.Usage()
		return fmt.Errorf("--data is required: %w", errUsage)
	}
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: *level}))
	prog := progress.New(e.stderr, *quiet)
	addr := cmp.Or(*apiAddr, ef.cfg.HTTPAddr)
	if addr != "" && len(ef.cfg.Kafka.Brokers) == 0 {
		return serveAPIOnly(ctx, e, ef, addr, log, prog)
	}
	reg := newRegistry()
	s, err := newServer(ef, *population, log, reg)
	if err != nil {
		return err
	}
	defer s.db.Close()
	s.consumer.RegisterLag(reg)
	if addr := cmp.Or(*metricsAddr, ef.cfg.MetricsAddr); addr != "" {
		at, stop, err := startMetrics(addr, reg)
		if err != nil {
			return err
		}
		defer stop()
		prog.Logf("metrics at http://%s/metrics", at)
	}
	if addr != "" {
		stop, err := serveAPI(ctx, ef, s.db, s.eng, addr, log, prog)
		if err != nil {
			return err
		}
		defer stop()
	}
	return s.run(ctx, prog, *idle, *every)
}

// serveAPI starts the JSON API over the store and engine.
func serveAPI(ctx context.Context, ef engineFlags, db *store.DB, eng *resolver.Engine, addr string, log *slog.Logger, prog *progress.Progress) (func(), error) {
	svc, err := newAccess(ef.cfg, db, eng)
	if err != nil {
		return nil, err
	}
	at, stop, err := startAPI(ctx, addr, ef.cfg, svc, db, false, log)
	if err != nil {
		return nil, err
	}
	prog.Logf("JSON API at http://%s/api/v1/ (OpenAPI: /api/v1/openapi.yaml)", at)
	return stop, nil
}

// serveAPIOnly serves the JSON API over a store that nothing feeds (a
// read replica restored from a backup, or a store ingest fills between
// runs) until SIGTERM.
func serveAPIOnly(ctx context.Context, e *env, ef engineFlags, addr string, log *slog.Logger, prog *progress.Progress) error {
	db, eng, err := ef.openServing()
	if err != nil {
		return err
	}
	defer db.Close()
	stop, err := serveAPI(ctx, ef, db, eng, addr, log, prog)
	if err != nil {
		return err
	}
	<-ctx.Done()
	prog.Logf("stopping")
	stop()
	return nil
}

// server is serve's wiring: the store and engine, the consumer that feeds
// them and the publisher of their change feed.
type server struct {
	db        *store.DB
	eng       *resolver.Engine
	consumer  *kafka.Consumer
	publisher *kafka.Publisher // nil when the change feed is not published
	lat       *latencies
}

func newServer(ef engineFlags, population int, log *slog.Logger, reg *prometheus.Registry) (*server, error) {
	k := &ef.cfg.Kafka
	set, err := loadMappings(ef.cfg.Mappings)
	if err != nil {
		return nil, err
	}
	decoders, err := k.decoders(set)
	if err != nil {
		return nil, err
	}
	conn, err := k.connection()
	if err != nil {
		return nil, err
	}
	model, err := ef.loadModel()
	if err != nil {
		return nil, err
	}
	db, eng, err := ef.open(model, engineSetup{population: population, preload: true})
	if err != nil {
		return nil, err
	}
	s := &server{db: db, eng: eng, lat: &latencies{}}
	if err := s.connect(conn, k, decoders, eng, log, kafka.NewMetrics(reg)); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func (s *server) connect(conn kafka.Connection, k *kafkaConfig, decoders map[string]kafka.Decoder, eng *resolver.Engine, log *slog.Logger, m *kafka.Metrics) error {
	var err error
	s.consumer, err = kafka.NewConsumer(kafka.ConsumerOptions{Connection: conn, GroupID: k.GroupID, Decoders: decoders,
		DeadLetterSuffix: k.DeadLetterSuffix, Logger: log, Observe: s.lat.observe, Metrics: m,
		Fatal: func(err error) bool { return errors.Is(err, store.ErrStopped) }}, &index{DB: s.db, eng: eng})
	if err != nil || k.ChangesTopic == "none" {
		return err
	}
	origin, err := s.db.ID()
	if err != nil {
		return err
	}
	s.publisher, err = kafka.NewPublisher(kafka.PublisherOptions{Connection: conn, Topic: k.ChangesTopic, Origin: origin, Logger: log, Metrics: m}, s.db)
	return err
}

// index is the consumer's view of the store and engine.
type index struct {
	*store.DB // positions and held dead letters
	eng       *resolver.Engine
}

// Apply applies a change through the engine, which stores its position.
func (x *index) Apply(rec resindex.Record, pos resindex.Position) (bool, error) {
	return x.eng.Apply(rec, pos)
}

// run consumes and publishes until ctx ends (SIGTERM) or, with idle set,
// until the topics have been quiet that long; then it stops both cleanly
// and sums up.
func (s *server) run(ctx context.Context, prog *progress.Progress, idle, every time.Duration) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := time.Now()
	prog.Logf("serving: reading %v", s.consumer.Topics())
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	wg.Add(1)
	go func() {
		defer wg.Done()
		errs <- s.consumer.Run(ctx)
		cancel() // the consumer stopped (or could not go on): so does serve
	}()
	pubCtx, stopPub := context.WithCancel(context.Background())
	defer stopPub()
	if s.publisher != nil {
		wg.Add(1)
		go func() { defer wg.Done(); errs <- s.publisher.Run(pubCtx) }()
	}
	s.watch(ctx, cancel, prog, idle, every)
	stopPub() // after the consumer: the publisher drains what it applied
	wg.Wait()
	close(errs)
	s.summary(prog, time.Since(start))
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
func (s *server) watch(ctx context.Context, cancel context.CancelFunc, prog *progress.Progress, idle, every time.Duration) {
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
		quiet := idle > 0 && time.Since(s.lat.lastActivity()) >= idle
		if !report && !quiet {
			continue
		}
		lag, err := s.consumer.Lag(ctx)
		if report {
			lastReport = time.Now()
			s.status(prog, lag, err)
		}
		if quiet && err == nil && lag == 0 {
			prog.Logf("caught up, and no message for %s: stopping", idle)
			cancel()
		}
	}
}

func (s *server) status(prog *progress.Progress, lag int64, lagErr error) {
	st := s.consumer.Stats()
	pub := int64(0)
	if s.publisher != nil {
		pub = s.publisher.Sent()
	}
	behind := fmt.Sprintf("%d messages behind", lag)
	if lagErr != nil {
		behind = "lag unknown (" + lagErr.Error() + ")"
	}
	prog.Logf("applied %d, unchanged %d, skipped %d, dead-lettered %d, retries %d; %s; %d changes published; latency since the last report %s",
		st.Applied, st.Unchanged, st.Skipped, st.DeadLettered, st.Retries, behind, pub, s.lat.recent())
}

func (s *server) summary(prog *progress.Progress, el time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	lag, err := s.consumer.Lag(ctx)
	s.status(prog, lag, err)
	n, first, last, sum := s.lat.summary()
	if n == 0 {
		return
	}
	busy := last.Sub(first).Seconds()
	prog.Logf("stopped: %d messages handled in %.1f s (%.0f/s while busy); event-to-change latency %s",
		n, el.Seconds(), float64(n)/max(busy, 1e-3), sum)
}

// latencies keeps, for every message applied, the time from its arrival
// in Kafka to its change being committed to the store.
type latencies struct {
	mu          sync.Mutex
	d           []time.Duration
	reported    int // d[:reported] were in an earlier status line
	n           int
	first, last time.Time
	started     time.Time
}

func (l *latencies) observe(o kafka.Observation) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.n == 0 {
		l.first = o.Done
	}
	l.n++
	l.last = o.Done
	if o.Outcome == kafka.Applied && len(l.d) < 10_000_000 && !o.Produced.IsZero() {
		l.d = append(l.d, o.Done.Sub(o.Produced))
	}
}

// lastActivity is when the last message was handled, or when watching
// began.
func (l *latencies) lastActivity() time.Time {
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
func (l *latencies) recent() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	window := append([]time.Duration(nil), l.d[l.reported:]...)
	l.reported = len(l.d)
	return latency.Summary(window)
}

func (l *latencies) summary() (int, time.Time, time.Time, string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n, l.first, l.last, latency.Summary(l.d)
}
