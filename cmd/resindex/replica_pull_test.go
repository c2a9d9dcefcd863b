package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/store"
)

// replicaPair is a writer's store serving replication over HTTP, and a
// replica of it (not yet with an engine), each on disk.
type replicaPair struct {
	w, r  *store.DB
	rdir  string
	rep   *replica
	wsrv  *httptest.Server
	quiet *slog.Logger
}

func newReplicaPair(t *testing.T) *replicaPair {
	t.Helper()
	p := &replicaPair{rdir: filepath.Join(t.TempDir(), "replica"), quiet: slog.New(slog.DiscardHandler)}
	var err error
	if p.w, err = store.Open(store.Options{Dir: filepath.Join(t.TempDir(), "writer"), GCInterval: -1}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.w.Close() })
	if err := p.w.KeepDeleted(); err != nil {
		t.Fatal(err)
	}
	if p.r, err = store.Open(store.Options{Dir: p.rdir, GCInterval: -1}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.r.Close() })
	secret := []byte(strings.Repeat("s", 32))
	p.wsrv = httptest.NewServer(replicationHandler(p.w, secret, p.quiet))
	t.Cleanup(p.wsrv.Close)
	if p.rep, err = newReplica(p.r, p.wsrv.URL, secret, p.quiet, prometheus.NewRegistry()); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p *replicaPair) set(t *testing.T, kv ...string) {
	t.Helper()
	err := p.w.Update(func(tx resindex.Txn) error {
		for i := 0; i < len(kv); i += 2 {
			if err := tx.Set([]byte(kv[i]), []byte(kv[i+1])); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (p *replicaPair) del(t *testing.T, k string) {
	t.Helper()
	if err := p.w.Update(func(tx resindex.Txn) error { return tx.Delete([]byte(k)) }); err != nil {
		t.Fatal(err)
	}
}

func (p *replicaPair) pull(t *testing.T) {
	t.Helper()
	if _, err := p.rep.pull(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// equal fails unless the replica holds exactly the writer's replicated keys.
func (p *replicaPair) equal(t *testing.T) {
	t.Helper()
	keys := func(db *store.DB) string {
		var b strings.Builder
		if err := db.ReplicatedKeys(func(k, v []byte) error { fmt.Fprintf(&b, "%q=%q\n", k, v); return nil }); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	if w, r := keys(p.w), keys(p.r); w != r {
		t.Errorf("the replica differs from the writer:\nwriter:\n%s\nreplica:\n%s", w, r)
	}
}

// TestReplicaAfterWriterCompaction is the reviewer's case: the writer's
// last commits leave no live key (deliveries made: its own keys
// deleted), so after a compaction Badger hands out their versions again;
// keys written then must still reach the replica (the generation tells
// it the writer's versions went back).
func TestReplicaAfterWriterCompaction(t *testing.T) {
	p := newReplicaPair(t)
	p.set(t, "t/a", "x", "y/alert\x00hook", "d", "y/alert2\x00hook", "d")
	p.pull(t)
	p.del(t, "y/alert\x00hook")
	p.del(t, "y/alert2\x00hook")
	p.pull(t)
	if err := p.w.Compact(); err != nil {
		t.Fatal(err)
	}
	p.set(t, "t/b", "new")
	p.set(t, "t/c", "new")
	p.set(t, "t/d", "new")
	p.set(t, "t/e", "new")
	p.pull(t)
	p.equal(t)
}

// TestReplicaErasureLeavesItsDisk: a resident erased on the writer (the
// key deleted, the writer compacted) is gone from the replica's files
// too after its next pull, not only unreachable.
func TestReplicaErasureLeavesItsDisk(t *testing.T) {
	p := newReplicaPair(t)
	big := strings.Repeat("v", 4096) // past the value threshold: in the value log
	p.set(t, "r/keep\x001", "KEEP"+big, "r/erase\x001", "ERASEDRESIDENT"+big)
	p.pull(t)
	if !filesContain(t, p.rdir, "ERASEDRESIDENT") {
		t.Fatal("the test's value is not in the replica's files to begin with")
	}
	p.del(t, "r/erase\x001")
	if err := p.w.Compact(); err != nil {
		t.Fatal(err)
	}
	p.pull(t)
	p.equal(t)
	if filesContain(t, p.rdir, "ERASEDRESIDENT") {
		t.Error("the erased value is still in the replica's files after its pull")
	}
	if !filesContain(t, p.rdir, "KEEP") {
		t.Error("a kept value is not in the replica's files")
	}
}

// filesContain reports whether any file under dir holds s.
func filesContain(t *testing.T, dir, s string) bool {
	t.Helper()
	found := false
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		b, err := io.ReadAll(f)
		found = found || bytes.Contains(b, []byte(s))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// cutWriter passes the first limit bytes of a response, then fails, as a
// connection broken part way would.
type cutWriter struct {
	http.ResponseWriter
	limit int
}

func (c *cutWriter) Write(b []byte) (int, error) {
	if len(b) > c.limit {
		return 0, errors.New("cut")
	}
	c.limit -= len(b)
	return c.ResponseWriter.Write(b)
}

// TestReplicaResumesAWholeCopy: a first copy stopped part way (the
// stream cut after some batches) resumes after the last key applied,
// not from the start, and the replica ends equal to the writer, changes
// made meanwhile (before and after that key, a deletion) included.
func TestReplicaResumesAWholeCopy(t *testing.T) {
	p := newReplicaPair(t)
	big := strings.Repeat("v", 4096)
	for i := range 50 {
		p.set(t, fmt.Sprintf("r/k\x00%02d", i), big)
	}
	var urls []string
	cut := true
	h := replicationHandler(p.w, []byte(strings.Repeat("s", 32)), p.quiet)
	p.wsrv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		urls = append(urls, r.URL.RawQuery)
		if cut {
			cut = false
			w = &cutWriter{ResponseWriter: w, limit: 100 << 10}
		}
		h.ServeHTTP(w, r)
	})
	p.rep.batchKeys = 10
	if _, err := p.rep.pull(context.Background()); err == nil {
		t.Fatal("a cut stream was taken as whole")
	}
	pos, err := p.r.ReplicaPosition()
	if err != nil || pos.Next != 0 || pos.Copy == nil || len(pos.Copy.After) == 0 {
		t.Fatalf("after a cut first copy: position %+v, %v", pos, err)
	}
	p.set(t, "r/k\x0001", "changed before the resumed key", "r/k\x0049", "changed after it", "r/k\x0099", "new")
	p.del(t, "r/k\x0002")
	n, err := p.rep.pull(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(urls) != 2 || !strings.Contains(urls[1], "after=") || n >= 50 {
		t.Errorf("the copy was not resumed: requests %q, %d keys the second time", urls, n)
	}
	p.pull(t) // what changed meanwhile, before the resumed key
	p.equal(t)
}

// TestReplicaCompactsAfterAResumedCopy: a whole copy into a replica that
// held data (after the writer's compaction of an erasure) that is cut
// part way and resumed still compacts the replica's store when it ends:
// the erased value leaves its files.
func TestReplicaCompactsAfterAResumedCopy(t *testing.T) {
	p := newReplicaPair(t)
	big := strings.Repeat("v", 4096)
	for i := range 50 {
		p.set(t, fmt.Sprintf("r/k\x00%02d", i), big)
	}
	p.set(t, "r/erase\x001", "ERASEDRESIDENT"+big)
	p.pull(t)
	p.del(t, "r/erase\x001")
	if err := p.w.Compact(); err != nil {
		t.Fatal(err)
	}
	cutFirstStream(t, p)
	if pos, err := p.r.ReplicaPosition(); err != nil || pos.Copy == nil || !pos.Compact {
		t.Fatalf("after a cut copy: position %+v, %v", pos, err)
	}
	p.pull(t) // resumes the copy
	p.equal(t)
	if filesContain(t, p.rdir, "ERASEDRESIDENT") {
		t.Error("the erased value is still in the replica's files after a resumed copy")
	}
	if pos, err := p.r.ReplicaPosition(); err != nil || pos.Compact || pos.Next == 0 {
		t.Fatalf("after the compaction: position %+v, %v", pos, err)
	}
}

// TestReplicaCompactsAfterACrash: a replica that dies between a whole
// copy's last write and its compaction compacts on its next pull, with
// nothing new from the writer.
func TestReplicaCompactsAfterACrash(t *testing.T) {
	p := newReplicaPair(t)
	big := strings.Repeat("v", 4096)
	p.set(t, "r/keep\x001", "KEEP"+big, "r/erase\x001", "ERASEDRESIDENT"+big)
	p.pull(t)
	p.del(t, "r/erase\x001")
	if err := p.w.Compact(); err != nil {
		t.Fatal(err)
	}
	p.rep.compactStore = func() error { return errors.New("killed") }
	if _, err := p.rep.pull(context.Background()); err == nil {
		t.Fatal("the compaction's failure was not reported")
	}
	if !filesContain(t, p.rdir, "ERASEDRESIDENT") {
		t.Fatal("the test's value is not in the replica's files before its compaction")
	}
	p.rep.compactStore = p.r.Compact // the process started again
	p.pull(t)
	p.equal(t)
	if filesContain(t, p.rdir, "ERASEDRESIDENT") {
		t.Error("the erased value is still in the replica's files after the next pull")
	}
}
