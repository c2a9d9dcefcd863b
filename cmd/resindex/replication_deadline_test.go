package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/internal/httpserve"
	"github.com/resindex/resindex/store"
)

// bigWriter is a writer's store of about 16 MB of replicated keys,
// served for replication by httpserve as the API is, with the server's
// WriteTimeout and the stream's idle deadline set as given.
func bigWriter(t *testing.T, writeTimeout, idle time.Duration) (*httpserve.Server, string) {
	t.Helper()
	oldWT, oldIdle := httpserve.WriteTimeout, replicationIdle
	httpserve.WriteTimeout, replicationIdle = writeTimeout, idle
	t.Cleanup(func() { httpserve.WriteTimeout, replicationIdle = oldWT, oldIdle })
	db, err := store.Open(store.Options{Dir: filepath.Join(t.TempDir(), "writer"), GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	big := []byte(strings.Repeat("v", 4096))
	for b := range 8 {
		err := db.Update(func(tx resindex.Txn) error {
			for i := range 500 {
				if err := tx.Set(fmt.Appendf(nil, "r/k\x00%d-%03d", b, i), big); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	secret := strings.Repeat("s", 32)
	quiet := slog.New(slog.DiscardHandler)
	hs, err := httpserve.Start("api", "127.0.0.1:0", replicationHandler(db, []byte(secret), quiet), quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(hs.Stop)
	return hs, secret
}

func getStream(t *testing.T, hs *httpserve.Server, secret string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, "http://"+hs.Addr+replicationPath, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	return resp
}

// slowReader reads at most 16 KiB a millisecond, as a replica applying
// a big copy does.
type slowReader struct{ r io.Reader }

func (s slowReader) Read(b []byte) (int, error) {
	time.Sleep(time.Millisecond)
	return s.r.Read(b[:min(len(b), 16<<10)])
}

// TestReplicationStreamOutlastsWriteTimeout: a stream that takes longer
// than the API server's WriteTimeout, and longer than its own idle
// deadline, reaches its end frame: the deadline rolls with each write.
func TestReplicationStreamOutlastsWriteTimeout(t *testing.T) {
	hs, secret := bigWriter(t, 300*time.Millisecond, 500*time.Millisecond)
	resp := getStream(t, hs, secret)
	defer resp.Body.Close()
	start := time.Now()
	wr, err := store.NewWireReader(slowReader{resp.Body})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		_, err := wr.Next()
		if errors.Is(err, store.ErrStreamEnd) {
			break
		}
		if err != nil {
			t.Fatalf("after %d keys, %v: %v", n, time.Since(start), err)
		}
		n++
	}
	if took := time.Since(start); took < time.Second {
		t.Fatalf("the stream took %v: too short to test the deadlines", took)
	}
	if n != 4000 {
		t.Fatalf("%d keys, want 4000", n)
	}
}

// TestReplicationStreamEndsOnStop: a stream whose replica has stopped
// reading does not hold the server's Stop for its grace.
func TestReplicationStreamEndsOnStop(t *testing.T) {
	hs, secret := bigWriter(t, time.Minute, time.Minute)
	resp := getStream(t, hs, secret)
	defer resp.Body.Close()
	time.Sleep(200 * time.Millisecond) // the writer fills the buffers and blocks
	start := time.Now()
	hs.Stop()
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("Stop took %v behind a stream", took)
	}
	wr, err := store.NewWireReader(resp.Body)
	if err != nil {
		return // cut before its start: also no end frame
	}
	for {
		if _, err := wr.Next(); errors.Is(err, store.ErrStreamEnd) {
			t.Fatal("the stream ended whole although the server stopped")
		} else if err != nil {
			return
		}
	}
}
