package main

import (
	"cmp"
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/alerts"
	"github.com/resindex/resindex/connectors/kafka"
	"github.com/resindex/resindex/connectors/mapping"
	"github.com/resindex/resindex/internal/cli"
	"github.com/resindex/resindex/internal/progress"
	"github.com/resindex/resindex/resolver"
	"github.com/resindex/resindex/store"
)

func runServe(ctx context.Context, e *env, args []string) error {
	fs := cli.NewFlags(e.stderr, "serve", "--data DIR --brokers HOST:PORT --topics all|TOPIC[=SOURCE],... [--config FILE]")
	cf := addConfigFlags(fs, true)
	kf := addKafkaFlags(fs)
	population := fs.Int("population", 0, "records the prior is reckoned for, fixed when the store is built (default: the configuration's, else 200,000)")
	idle := fs.Duration("stop-when-idle", 0, "stop once no message has come for this long (a catch-up run); 0: run until SIGTERM")
	every := fs.Duration("status-every", 10*time.Second, "how often to print progress on stderr")
	quiet := fs.Bool("quiet", false, "no progress on stderr")
	apiAddr := fs.String("http-addr", "", "serve the JSON API at http://ADDR/api/v1/ (e.g. 127.0.0.1:8080; default: the configuration's http_addr, else off); with no Kafka brokers, serve only the API")
	metricsAddr := fs.String("metrics-addr", "", "serve Prometheus metrics at http://ADDR/metrics, with /healthz and /readyz (e.g. 127.0.0.1:9464; default: the configuration's metrics_addr, else off)")
	adminSocket := addAdminFlag(fs)
	rf := addReplicaFlags(fs)
	level := new(slog.Level)
	fs.TextVar(level, "log-level", slog.LevelInfo, "least level of log lines on stderr: debug, info, warn or error (resident data only at debug)")
	m, err := cf.parseMain(fs, args)
	if err != nil {
		return err
	}
	m.Create = true // serve makes the store it keeps current
	defer m.Close()
	kf.apply(&m.Config)
	m.Config.HTTPAddr, m.Config.MetricsAddr = cmp.Or(*apiAddr, m.Config.HTTPAddr), cmp.Or(*metricsAddr, m.Config.MetricsAddr)
	m.Config.AdminSocket = cmp.Or(*adminSocket, m.Config.AdminSocket)
	log := slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: *level}))
	prog := progress.New(e.stderr, *quiet)
	if rf.apply(&m.Config); m.Config.Replication.ReplicaOf != "" {
		return runReplica(ctx, m, log, prog)
	}
	m.ops = newOps() // metrics, probes and the audit watch (ops.go)
	reg := m.ops.reg
	if m.Config.HTTPAddr != "" && len(m.Config.Kafka.Brokers) == 0 {
		return serveAPIOnly(ctx, m, log, prog)
	}
	r, err := newRunner(m, *population, log, reg)
	if err != nil {
		return err
	}
	r.Logf = prog.Logf
	r.Consumer.RegisterLag(reg)
	stopDelivery, err := startDeliveries(ctx, m, reg, log)
	if err != nil {
		return err
	}
	defer stopDelivery()
	stopRetention, err := startRetention(ctx, m, log)
	if err != nil {
		return err
	}
	defer stopRetention()
	stopRefresh := startGoldenRefresh(ctx, m, log)
	defer stopRefresh()
	stopNotices, err := startNotices(ctx, m, log)
	if err != nil {
		return err
	}
	defer stopNotices()
	stopOps, err := m.ops.start(ctx, m, r.Consumer, log, prog)
	if err != nil {
		return err
	}
	defer stopOps()
	if m.Config.HTTPAddr != "" {
		stop, err := serveAPI(ctx, m, log, prog)
		if err != nil {
			return err
		}
		defer stop()
	}
	stopAdmin, err := startAdminOps(ctx, m, reg, log)
	if err != nil {
		return err
	}
	defer stopAdmin()
	return r.Run(ctx, *idle, *every)
}

// startDeliveries sends raised alerts to the configured webhooks until
// the returned stop is called, and counts the inbox on the registry.
func startDeliveries(ctx context.Context, m *Main, reg *prometheus.Registry, log *slog.Logger) (func(), error) {
	metrics := m.ops.alertMetrics(m)
	endpoints, err := m.Config.WebhookEndpoints()
	if err != nil || len(endpoints) == 0 {
		return func() {}, err
	}
	d := &alerts.Deliverer{Store: m.DB, Endpoints: endpoints, MaxAttempts: m.Config.Alerts.MaxAttempts, Logger: log, Metrics: metrics}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		d.Run(ctx)
	}()
	return func() { cancel(); <-done }, nil
}

// serveAPI starts the JSON API at the configured address.
func serveAPI(ctx context.Context, m *Main, log *slog.Logger, prog *progress.Progress) (func(), error) {
	if err := m.OpenAccess(); err != nil {
		return nil, err
	}
	at, stop, err := m.startAPI(ctx, m.Config.HTTPAddr, m.Config.API, false, log)
	if err != nil {
		return nil, err
	}
	prog.Logf("JSON API at http://%s/api/v1/ (OpenAPI: /api/v1/openapi.yaml)", at)
	return stop, nil
}

// serveAPIOnly serves the JSON API over a store that nothing feeds (a
// read replica restored from a backup, or a store ingest fills between
// runs) until SIGTERM.
func serveAPIOnly(ctx context.Context, m *Main, log *slog.Logger, prog *progress.Progress) error {
	stop, err := serveAPI(ctx, m, log, prog)
	if err != nil {
		return err
	}
	stopOps, err := m.ops.start(ctx, m, nil, log, prog)
	if err != nil {
		stop()
		return err
	}
	defer stopOps()
	stopAdmin, err := startAdminOps(ctx, m, m.ops.reg, log)
	if err != nil {
		stop()
		return err
	}
	defer stopAdmin()
	<-ctx.Done()
	prog.Logf("stopping")
	stop()
	return nil
}

// newRunner checks the Kafka settings, opens the engine and wires the
// consumer that feeds it and the publisher of its change feed.
func newRunner(m *Main, population int, log *slog.Logger, reg *prometheus.Registry) (*kafka.Runner, error) {
	k := &m.Config.Kafka
	set, err := mapping.ShippedWith(m.Config.Mappings)
	if err != nil {
		return nil, err
	}
	decoders, err := k.Decoders(set)
	if err != nil {
		return nil, err
	}
	conn, err := k.Connection()
	if err != nil {
		return nil, err
	}
	if err := m.OpenEngine(engineSetup{population: population, preload: true}); err != nil {
		return nil, err
	}
	r := &kafka.Runner{Latencies: &kafka.Latencies{}}
	metrics := kafka.NewMetrics(reg)
	r.Consumer, err = kafka.NewConsumer(kafka.ConsumerOptions{Connection: conn, GroupID: k.GroupID, Decoders: decoders,
		DeadLetterSuffix: k.DeadLetterSuffix, Logger: log, Observe: r.Latencies.Observe, Metrics: metrics,
		Fatal: func(err error) bool { return errors.Is(err, store.ErrStopped) }}, &index{DB: m.DB, eng: m.Engine})
	if err != nil || k.ChangesTopic == "none" && k.AlertsTopic == "none" {
		return r, err
	}
	origin, err := m.DB.ID()
	if err != nil {
		return nil, err
	}
	r.Publisher, err = kafka.NewPublisher(kafka.PublisherOptions{Connection: conn, Topic: k.ChangesTopic, AlertsTopic: k.AlertsTopic, Origin: origin, Logger: log, Metrics: metrics}, m.DB)
	return r, err
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

// ApplyGroup applies the messages in hand in one transaction through the
// engine, each with its position (kafka.GroupSink).
func (x *index) ApplyGroup(recs []resindex.Record, ps []resindex.Position) ([]bool, error) {
	return x.eng.ApplyGroup(recs, ps)
}
