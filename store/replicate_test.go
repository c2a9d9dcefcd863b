package store_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/store"
)

// copyChanges pulls the writer's changes since a position through the
// wire format into the replica, as the replication endpoint and a
// replica do, and returns the next position and how many keys came.
func copyChanges(t *testing.T, w, r *store.DB, since uint64) (uint64, int) {
	t.Helper()
	batch, upTo, _ := throughWire(t, w, since)
	if err := r.ApplyReplicated(batch, &store.ReplicaPos{Next: upTo + 1}, nil, nil); err != nil {
		t.Fatal(err)
	}
	return upTo + 1, len(batch)
}

// throughWire streams the writer's changes since a position through the
// wire format and reads them back, as the endpoint and a replica do: the
// changes, the version they reach and the bytes sent.
func throughWire(tb testing.TB, w *store.DB, since uint64) ([]layout.KeyChange, uint64, int) {
	tb.Helper()
	var wire bytes.Buffer
	ww, err := store.NewWireWriter(&wire)
	if err != nil {
		tb.Fatal(err)
	}
	upTo, err := w.ChangedSince(since, ww.Write)
	if err == nil {
		err = ww.End(upTo)
	}
	if err != nil {
		tb.Fatal(err)
	}
	sent := wire.Len()
	wr, err := store.NewWireReader(&wire)
	if err != nil {
		tb.Fatal(err)
	}
	var changes []layout.KeyChange
	for {
		c, err := wr.Next()
		if errors.Is(err, store.ErrStreamEnd) {
			break
		}
		if err != nil {
			tb.Fatal(err)
		}
		changes = append(changes, c)
	}
	if wr.UpTo() != upTo {
		tb.Fatalf("stream ended at %d, want %d", wr.UpTo(), upTo)
	}
	return changes, upTo, sent
}

// replicated are a store's replicated keys and values.
func replicated(t *testing.T, db *store.DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	if err := db.ReplicatedKeys(func(k, v []byte) error { out[string(k)] = string(v); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestReplicationCopiesChangesAndDeletes: each pull brings the keys set,
// changed and deleted since the last, and only those; the replica's own
// keys (audit chain, position) are neither sent nor overwritten.
func TestReplicationCopiesChangesAndDeletes(t *testing.T) {
	w, r := MustOpen(t, store.Options{}), MustOpen(t, store.Options{})
	for i := range 20 {
		mustSet(t, w, fmt.Sprintf("r/src\x00%02d", i), fmt.Sprint("v", i))
	}
	if _, err := w.AppendAudit([]byte(`{"what":"writer's read"}`)); err != nil {
		t.Fatal(err)
	}
	if _, err := r.AppendAudit([]byte(`{"what":"replica's read"}`)); err != nil {
		t.Fatal(err)
	}
	since, n := copyChanges(t, w, r, 0)
	if n != 20 {
		t.Errorf("first pull: %d keys, want the 20 records (no audit)", n)
	}
	mustSet(t, w, "r/src\x0003", "changed")
	mustSet(t, w, "r/src\x0099", "new")
	if err := w.Update(func(tx resindex.Txn) error { return tx.Delete([]byte("r/src\x0007")) }); err != nil {
		t.Fatal(err)
	}
	since2, n := copyChanges(t, w, r, since)
	if n != 3 {
		t.Errorf("second pull: %d keys, want 3 (a change, a new key, a delete)", n)
	}
	if got, want := replicated(t, r), replicated(t, w); !mapsEqual(got, want) {
		t.Errorf("replica differs from writer:\n got %q\nwant %q", got, want)
	}
	if _, n := copyChanges(t, w, r, since2); n != 0 {
		t.Errorf("a pull with nothing new brought %d keys", n)
	}
	if got, err := r.ReplicaPosition(); err != nil || got.Next <= since2-1 {
		t.Errorf("replica position %d (%v), want past %d", got.Next, err, since2-1)
	}
	var who []string
	if err := r.AuditEntries(func(_ uint64, e []byte) error { who = append(who, string(e)); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(who) != 1 || !strings.Contains(who[0], "replica's read") {
		t.Errorf("replica's audit chain: %q, want its own read only", who)
	}
}

// TestApplyReplicatedRefusesOwnKeys: a stream naming a key each process
// keeps for itself is refused whole.
func TestApplyReplicatedRefusesOwnKeys(t *testing.T) {
	r := MustOpen(t, store.Options{})
	for _, k := range [][]byte{layout.Audit(1), layout.AuditHead, layout.ReplicaSince, layout.Journal(1), {}} {
		err := r.ApplyReplicated([]layout.KeyChange{{Key: []byte("r/a\x00b"), Value: []byte("x")}, {Key: k, Value: []byte("x")}}, &store.ReplicaPos{Next: 9}, nil, nil)
		if err == nil {
			t.Errorf("%q accepted", k)
		}
	}
	if got := replicated(t, r); len(got) != 0 {
		t.Errorf("a refused batch wrote %q", got)
	}
}

// TestStaleAtOrBefore: after a full copy, what it did not write again is
// what the writer no longer holds.
func TestStaleAtOrBefore(t *testing.T) {
	w, r := MustOpen(t, store.Options{}), MustOpen(t, store.Options{})
	mustSet(t, w, "r/a\x001", "one")
	mustSet(t, r, "r/a\x001", "one")
	mustSet(t, r, "r/a\x002", "gone from the writer")
	before := r.Version()
	copyChanges(t, w, r, 0)
	stale, err := r.StaleAtOrBefore(before)
	if err != nil {
		t.Fatal(err)
	}
	if len(stale) != 1 || string(stale[0].Key) != "r/a\x002" || !stale[0].Deleted {
		t.Fatalf("%d stale keys, want the one key the writer lacks", len(stale))
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// wire builds a stream from frames.
func wire(frames ...string) io.Reader { return strings.NewReader("RXR1" + strings.Join(frames, "")) }

func end(upTo, count byte) string {
	return "E" + strings.Repeat("\x00", 7) + string(upTo) + strings.Repeat("\x00", 7) + string(count)
}

// TestWireReaderRefusesMalformed: every malformed stream is a clear
// error, never a panic or a change applied as whole.
func TestWireReaderRefusesMalformed(t *testing.T) {
	cases := map[string]struct {
		in   io.Reader
		want string
	}{
		"empty":             {strings.NewReader(""), "cut short"},
		"bad magic":         {strings.NewReader("HTTP/1.1 200"), "bad magic"},
		"no end frame":      {wire("S\x03r/a\x01v"), "cut short"},
		"unknown frame":     {wire("X"), "unknown frame type"},
		"key cut":           {wire("S\x05r/a"), "cut short"},
		"value cut":         {wire("S\x03r/a\x05v"), "cut short"},
		"empty key":         {wire("D\x00"), "empty key"},
		"huge key":          {wire("S\xff\xff\xff\xff\x0f"), "over the"},
		"huge value":        {wire("S\x03r/a\xff\xff\xff\xff\x0f"), "over the"},
		"bad varint":        {wire("S\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"), "length"},
		"end cut":           {wire("E\x00\x00"), "cut short"},
		"end miscounts":     {wire("D\x03r/a", end(5, 2)), "counts 2 changes"},
		"data after end":    {wire(end(5, 0), "D"), "after the end frame"},
		"frame after a set": {wire("S\x03r/a\x01v", "?"), "unknown frame type"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			err := readAll(c.in)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one saying %q", err, c.want)
			}
		})
	}
	if err := readAll(wire("S\x03r/a\x01v", "D\x03r/b", end(9, 2))); err != nil {
		t.Errorf("a well-formed stream: %v", err)
	}
}

// readAll reads a stream to its end: nil only at a whole stream's end.
func readAll(in io.Reader) error {
	wr, err := store.NewWireReader(in)
	if err != nil {
		return err
	}
	for {
		if _, err := wr.Next(); err != nil {
			if errors.Is(err, store.ErrStreamEnd) {
				return nil
			}
			return err
		}
	}
}

// FuzzWireReader: any bytes are read without a panic, and a stream read
// whole, written again, reads back to the same changes.
func FuzzWireReader(f *testing.F) {
	f.Add([]byte("RXR1S\x03r/a\x01vD\x03r/bE\x00\x00\x00\x00\x00\x00\x00\x09\x00\x00\x00\x00\x00\x00\x00\x02"))
	f.Add([]byte("RXR1E\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"))
	f.Add([]byte("RXR1S\xff\xff"))
	f.Fuzz(func(t *testing.T, in []byte) {
		wr, err := store.NewWireReader(bytes.NewReader(in))
		if err != nil {
			return
		}
		var changes []layout.KeyChange
		for {
			c, err := wr.Next()
			if errors.Is(err, store.ErrStreamEnd) {
				break
			}
			if err != nil {
				return
			}
			changes = append(changes, c)
		}
		var out bytes.Buffer
		ww, err := store.NewWireWriter(&out)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range changes {
			if err := ww.Write(c); err != nil {
				t.Fatal(err)
			}
		}
		if err := ww.End(wr.UpTo()); err != nil {
			t.Fatal(err)
		}
		again, err := store.NewWireReader(&out)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; ; i++ {
			c, err := again.Next()
			if errors.Is(err, store.ErrStreamEnd) && i == len(changes) && again.UpTo() == wr.UpTo() {
				break
			}
			if err != nil || i >= len(changes) || !bytes.Equal(c.Key, changes[i].Key) || !bytes.Equal(c.Value, changes[i].Value) || c.Deleted != changes[i].Deleted {
				t.Fatalf("change %d read back as %+v (%v), want %+v", i, c, err, changes)
			}
		}
	})
}

// TestDeletionsSurviveCompaction: Badger drops a deletion it compacts
// (closing the store is enough), so a store that serves replicas marks
// its deletions; a replica that pulls only after the writer restarted
// still deletes the key. Marks past their time are pruned and move the
// horizon on.
func TestDeletionsSurviveCompaction(t *testing.T) {
	dir := t.TempDir()
	w := MustOpen(t, store.Options{Dir: dir})
	if err := w.KeepDeleted(); err != nil {
		t.Fatal(err)
	}
	r := MustOpen(t, store.Options{})
	for i := range 50 {
		mustSet(t, w, fmt.Sprintf("t/token%02d", i), "x")
	}
	since, _ := copyChanges(t, w, r, 0)
	if err := w.Update(func(tx resindex.Txn) error { return tx.Delete([]byte("t/token07")) }); err != nil {
		t.Fatal(err)
	}
	w.Close()
	w = MustOpen(t, store.Options{Dir: dir})
	if err := w.Flatten(); err != nil {
		t.Fatal(err)
	}
	copyChanges(t, w, r, since)
	if _, err := mustGet(t, r, "t/token07"); !errors.Is(err, resindex.ErrNotFound) {
		t.Errorf("the deleted token is still on the replica: %v", err)
	}
	if got, want := replicated(t, r), replicated(t, w); !mapsEqual(got, want) {
		t.Errorf("replica holds %d keys, the writer %d", len(got), len(want))
	}
	if n, err := w.PruneDeleted(time.Now().Add(time.Hour)); n != 1 || err != nil {
		t.Fatalf("pruned %d marks (%v), want 1", n, err)
	}
	if h, err := w.Horizon(); h < since || err != nil {
		t.Errorf("horizon %d (%v), want at least %d: a replica at %d may have missed the deletion", h, err, since, since)
	}
}

// A compaction (erasure, retention) drops the deletion marks of a store
// serving replicas: a mark names its key, which may hold an erased
// person's values. The horizon moves past them, so every replica copies
// the store whole and drops what it still holds.
func TestCompactionDropsDeletionMarks(t *testing.T) {
	dir := t.TempDir()
	w := MustOpen(t, store.Options{Dir: dir})
	if err := w.KeepDeleted(); err != nil {
		t.Fatal(err)
	}
	r := MustOpen(t, store.Options{})
	mustSet(t, w, "t/keptvalue", "x")
	mustSet(t, w, "t/ERASEDNAMEKEY", "x")
	since, _ := copyChanges(t, w, r, 0)
	if err := w.Update(func(tx resindex.Txn) error { return tx.Delete([]byte("t/ERASEDNAMEKEY")) }); err != nil {
		t.Fatal(err)
	}
	if err := w.Compact(); err != nil {
		t.Fatal(err)
	}
	if h, err := w.Horizon(); h < since || err != nil {
		t.Errorf("horizon %d (%v), want at least %d: the replica must copy the store whole", h, err, since)
	}
	w.Close()
	scanFiles(t, dir, []string{"ERASEDNAMEKEY"}, "keptvalue")
}

// TestWholeCopySendsKeysInOrder: a whole copy (since 0) of a store
// keeping deletion marks sends each key once, in key order, and no
// deletion for a mark (the replica drops what the copy did not bring), so
// a copy resumed after its last key never goes back.
func TestWholeCopySendsKeysInOrder(t *testing.T) {
	w := MustOpen(t, store.Options{GCInterval: -1})
	if err := w.KeepDeleted(); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"r/a", "r/b", "r/c"} {
		mustSet(t, w, k, "x")
	}
	if err := w.Update(func(tx resindex.Txn) error { return tx.Delete([]byte("r/b")) }); err != nil {
		t.Fatal(err)
	}
	var keys []string
	if _, err := w.ChangedSince(0, func(c layout.KeyChange) error {
		if k := string(c.Key); len(keys) > 0 && k <= keys[len(keys)-1] {
			t.Errorf("key %q after %q", k, keys[len(keys)-1])
		}
		keys = append(keys, string(c.Key))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(keys) == 0 || keys[len(keys)-1] != "r/c" {
		t.Errorf("a whole copy sent %q, want r/c last", keys)
	}
}
