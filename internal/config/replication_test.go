package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex/internal/config"
)

// TestReplicationMaxStaleness: replication.max_staleness is read from
// the file (the example says the default), defaults to 30 s, and a value
// that is no duration is refused naming the key.
func TestReplicationMaxStaleness(t *testing.T) {
	example, err := config.Load(filepath.Join("..", "..", "docs", "resindex.example.yaml"))
	if err != nil || example.Replication.MaxStalenessFor() != 30*time.Second {
		t.Fatalf("the example: %v, %v", example, err)
	}
	if got := (&config.Replication{}).MaxStalenessFor(); got != 30*time.Second {
		t.Errorf("default %s", got)
	}
	dir := t.TempDir()
	for body, want := range map[string]string{
		"replication:\n  max_staleness: 5s\n":   "",
		"replication:\n  max_staleness: soon\n": "max_staleness",
		"replication:\n  max_staleness: [1s]\n": "max_staleness",
		"replication:\n  max_stalenes: 5s\n":    "max_stalenes",
	} {
		p := filepath.Join(dir, "c.yaml")
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		c, err := config.Load(p)
		switch {
		case want == "" && (err != nil || c.Replication.MaxStalenessFor() != 5*time.Second):
			t.Errorf("%q: %v", body, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%q: %v, want an error naming %s", body, err, want)
		}
	}
}
