package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/connectors/kafka"
	"github.com/resindex/resindex/connectors/mapping"
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
		ms, err := startMetrics(addr, reg, log)
		if err != nil {
			return err
		}
		defer ms.Stop()
		prog.Logf("metrics at http://%s/metrics", ms.Addr)
	}
	if addr != "" {
		stop, err := serveAPI(ctx, ef, s.db, s.eng, addr, log, prog)
		if err != nil {
			return err
		}
		defer stop()
	}
	r := &kafka.Runner{Consumer: s.consumer, Publisher: s.publisher, Latencies: s.lat, Logf: prog.Logf}
	return r.Run(ctx, *idle, *every)
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
	lat       *kafka.Latencies
}

func newServer(ef engineFlags, population int, log *slog.Logger, reg *prometheus.Registry) (*server, error) {
	k := &ef.cfg.Kafka
	set, err := mapping.ShippedWith(ef.cfg.Mappings)
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
	s := &server{db: db, eng: eng, lat: &kafka.Latencies{}}
	if err := s.connect(conn, k, decoders, eng, log, kafka.NewMetrics(reg)); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func (s *server) connect(conn kafka.Connection, k *kafkaConfig, decoders map[string]kafka.Decoder, eng *resolver.Engine, log *slog.Logger, m *kafka.Metrics) error {
	var err error
	s.consumer, err = kafka.NewConsumer(kafka.ConsumerOptions{Connection: conn, GroupID: k.GroupID, Decoders: decoders,
		DeadLetterSuffix: k.DeadLetterSuffix, Logger: log, Observe: s.lat.Observe, Metrics: m,
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
