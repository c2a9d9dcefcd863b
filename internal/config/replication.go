package config

import (
	"bytes"
	"fmt"
	"os"
	"time"
)

// Replication configures read replicas (docs/operations.md): on the
// writer, the secret replicas present to pull its store's changes; on a
// replica, the writer it follows, the same secret and how often it pulls
// without being told of a change.
type Replication struct {
	// SecretFile holds the shared secret (at least MinSecret bytes): a
	// writer with one serves /replication/v1/changes; a replica sends it.
	SecretFile string `yaml:"secret_file"`
	// ReplicaOf is the writer's base URL (https://writer:8080): set, serve
	// runs as a read replica of it.
	ReplicaOf string `yaml:"replica_of"`
	// Poll is how often a replica pulls when no change-feed message has
	// told it to (default one second).
	Poll time.Duration `yaml:"poll"`
	// KeepDeleted is how long a writer keeps its marks of deleted keys
	// for replicas (default 24 hours): a replica away longer copies the
	// store whole again. The marks name the keys, which hold resident
	// data, so keep it short.
	KeepDeleted time.Duration `yaml:"keep_deleted"`
	// MaxStaleness: a replica whose last successful pull is older is not
	// ready (/readyz), so a load balancer sends reads elsewhere
	// (default 30 seconds).
	MaxStaleness time.Duration `yaml:"max_staleness"`
}

// MinSecret is the shortest replication secret accepted: 256 bits.
const MinSecret = 32

// Secret reads the replication secret; "" configured is none (nil).
func (r *Replication) Secret() ([]byte, error) {
	if r.SecretFile == "" {
		return nil, nil
	}
	b, err := os.ReadFile(r.SecretFile)
	if err != nil {
		return nil, fmt.Errorf("replication.secret_file: %w", err)
	}
	b = bytes.TrimSpace(b)
	if len(b) < MinSecret {
		return nil, fmt.Errorf("replication.secret_file %s: the secret is %d bytes; it must be at least %d (e.g. openssl rand -hex 32)", r.SecretFile, len(b), MinSecret)
	}
	return b, nil
}

// PollEvery is Poll with its default.
func (r *Replication) PollEvery() time.Duration {
	if r.Poll <= 0 {
		return time.Second
	}
	return r.Poll
}

// KeepDeletedFor is KeepDeleted with its default.
func (r *Replication) KeepDeletedFor() time.Duration {
	if r.KeepDeleted <= 0 {
		return 24 * time.Hour
	}
	return r.KeepDeleted
}

// MaxStalenessFor is MaxStaleness with its default.
func (r *Replication) MaxStalenessFor() time.Duration {
	if r.MaxStaleness <= 0 {
		return 30 * time.Second
	}
	return r.MaxStaleness
}
