package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/resindex/resindex/connectors/kafka"
	"github.com/resindex/resindex/internal/config"
	"github.com/resindex/resindex/internal/progress"
	"github.com/resindex/resindex/resolver"
)

// A read replica (serve --replica-of URL) keeps its store a copy of the
// writer's, pulled from the writer's replication endpoint
// (replication_writer.go) every poll and whenever the writer's change
// feed has news, and serves the API and staff pages from it, read-only.
// docs/operations.md says how to run one and what it does not do.

// replicaFlags are serve's flags for replication.
type replicaFlags struct {
	of, secretFile string
	poll           time.Duration
}

func addReplicaFlags(fs *flag.FlagSet) *replicaFlags {
	f := &replicaFlags{}
	fs.StringVar(&f.of, "replica-of", "", "run as a read replica of the writer at this URL (e.g. https://writer:8080; default: the configuration's replication.replica_of)")
	fs.StringVar(&f.secretFile, "replication-secret-file", "", "file holding the replication secret (at least 32 bytes), on the writer and its replicas (default: the configuration's replication.secret_file)")
	fs.DurationVar(&f.poll, "replication-poll", 0, "how often a replica pulls without news from the change feed (default: the configuration's replication.poll, else 1s)")
	return f
}

func (f *replicaFlags) apply(c *config.Config) {
	r := &c.Replication
	r.ReplicaOf, r.SecretFile, r.Poll = cmp.Or(f.of, r.ReplicaOf), cmp.Or(f.secretFile, r.SecretFile), cmp.Or(f.poll, r.Poll)
}

// runReplica is serve as a read replica: the first copy, then the API
// and staff pages over a read-only engine while the copy follows the
// writer.
func runReplica(ctx context.Context, m *Main, log *slog.Logger, prog *progress.Progress) error {
	rc := &m.Config.Replication
	secret, err := rc.Secret()
	if err != nil {
		return err
	}
	if secret == nil {
		return fmt.Errorf("a read replica needs the writer's replication secret: give --replication-secret-file or replication.secret_file: %w", errUsage)
	}
	if m.Config.HTTPAddr == "" {
		return fmt.Errorf("a read replica serves the API: give --http-addr or http_addr: %w", errUsage)
	}
	if _, err := writerURL(rc.ReplicaOf); err != nil { // before a store is made
		return err
	}
	m.Replica, m.Create = true, true
	if err := m.LoadModel(); err != nil {
		return err
	}
	if err := m.OpenStore(); err != nil {
		return err
	}
	m.ops = newOps() // metrics, probes and the audit watch of the replica's own reads (ops.go)
	reg := m.ops.reg
	r, err := newReplica(m.DB, rc.ReplicaOf, secret, log, reg)
	if err != nil {
		return err
	}
	stopProbes, err := probesWhileCopying(m, log)
	if err != nil {
		return err
	}
	defer stopProbes() // unless ops.start took the listener over
	if err := r.firstCopy(ctx, rc.PollEvery()); err != nil {
		return err
	}
	r.maxStale = rc.MaxStalenessFor()
	opts := m.engineOptions(engineSetup{preload: true})
	opts.ReadReplica = true
	beforeReplicaEngine()
	if m.Engine, err = resolver.NewEngine(m.DB, opts); err != nil {
		return err
	}
	r.eng = m.Engine
	prog.Logf("read replica of %s", rc.ReplicaOf)
	stop, err := startReplicaServers(ctx, m, log, prog)
	if err != nil {
		return err
	}
	r.addReadiness(m.ops.probes)
	defer stop()
	r.run(ctx, rc.PollEvery(), watchChanges(ctx, m, log))
	prog.Logf("stopping")
	return nil
}

// startReplicaServers starts the API and the server's metrics, probes
// (the store open; a replica has no consumer lag of its own) and audit
// watch.
func startReplicaServers(ctx context.Context, m *Main, log *slog.Logger, prog *progress.Progress) (func(), error) {
	stopAPI, err := serveAPI(ctx, m, log, prog)
	if err != nil {
		return nil, err
	}
	stopOps, err := m.ops.start(ctx, m, nil, log, prog)
	if err != nil {
		stopAPI()
		return nil, err
	}
	return func() { stopOps(); stopAPI() }, nil
}

// watchChanges kicks a pull for each message of the writer's change
// feed, when Kafka is configured; the poll covers a missed message.
func watchChanges(ctx context.Context, m *Main, log *slog.Logger) <-chan struct{} {
	kick := make(chan struct{}, 1)
	k := &m.Config.Kafka
	topic := cmp.Or(k.ChangesTopic, "resindex.person-changes")
	if len(k.Brokers) == 0 || topic == "none" {
		return kick
	}
	conn, err := k.Connection()
	if err != nil {
		log.Warn("replica: not watching the change feed; polling only", "err", err)
		return kick
	}
	host, _ := os.Hostname()
	group := cmp.Or(k.GroupID, "resindex") + ".replica." + host + "." + strings.NewReplacer(":", "-", "/", "-").Replace(m.Config.HTTPAddr)
	go kafka.WatchTopic(ctx, conn, topic, group, log, func() {
		select {
		case kick <- struct{}{}:
		default: // a pull is already due
		}
	})
	return kick
}
