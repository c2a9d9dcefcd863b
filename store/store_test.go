package store_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/store"
)

// MustOpen opens a real Badger store in a temporary directory.
func MustOpen(tb testing.TB, opts store.Options) *store.DB {
	tb.Helper()
	if opts.Dir == "" {
		opts.Dir = tb.TempDir()
	}
	db, err := store.Open(opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func mustSet(t *testing.T, db *store.DB, k, v string) {
	t.Helper()
	if err := db.Update(func(tx resindex.Txn) error { return tx.Set([]byte(k), []byte(v)) }); err != nil {
		t.Fatal(err)
	}
}

func mustGet(t *testing.T, db *store.DB, k string) (string, error) {
	t.Helper()
	var out []byte
	err := db.View(func(tx resindex.Txn) error {
		v, err := tx.Get([]byte(k))
		out = v
		return err
	})
	return string(out), err
}

func TestSetGetScanDelete(t *testing.T) {
	db := MustOpen(t, store.Options{})
	mustSet(t, db, "r/a\x001", "one")
	mustSet(t, db, "r/a\x002", "two")
	mustSet(t, db, "p/P1", "person")
	if v, err := mustGet(t, db, "r/a\x001"); err != nil || v != "one" {
		t.Fatalf("get = %q, %v", v, err)
	}
	if _, err := mustGet(t, db, "r/none"); !errors.Is(err, resindex.ErrNotFound) {
		t.Fatalf("missing key: %v", err)
	}
	var keys []string
	db.View(func(tx resindex.Txn) error {
		return tx.Scan([]byte("r/"), func(k, v []byte) error { keys = append(keys, string(k)+"="+string(v)); return nil })
	})
	if fmt.Sprint(keys) != "[r/a\x001=one r/a\x002=two]" {
		t.Fatalf("scan = %q", keys)
	}
	db.Update(func(tx resindex.Txn) error { return tx.Delete([]byte("r/a\x001")) })
	if _, err := mustGet(t, db, "r/a\x001"); !errors.Is(err, resindex.ErrNotFound) {
		t.Fatal("delete did not delete")
	}
}

// TestScanKeysFrom: a scan starts at the first key at or after from, and
// stays within the prefix.
func TestScanKeysFrom(t *testing.T) {
	db := MustOpen(t, store.Options{})
	for _, k := range []string{"w/1", "w/2", "w/3", "w/4", "x/1", "v/9"} {
		mustSet(t, db, k, "")
	}
	for _, c := range []struct{ from, want string }{
		{"", "[w/1 w/2 w/3 w/4]"},
		{"w/3", "[w/3 w/4]"},
		{"w/25", "[w/3 w/4]"},
		{"a", "[w/1 w/2 w/3 w/4]"}, // before the prefix: from its start
		{"w/9", "[]"},
		{"z", "[]"},
	} {
		var keys []string
		err := db.View(func(tx resindex.Txn) error {
			return tx.ScanKeysFrom([]byte("w/"), []byte(c.from), func(k []byte) error { keys = append(keys, string(k)); return nil })
		})
		if err != nil || fmt.Sprint(keys) != c.want {
			t.Errorf("from %q: %v, %v; want %s", c.from, keys, err, c.want)
		}
	}
}

// TestUpdateRetriesConflicts: concurrent read-modify-write transactions on
// one key all take effect.
func TestUpdateRetriesConflicts(t *testing.T) {
	db := MustOpen(t, store.Options{ConflictRetries: 100})
	mustSet(t, db, "s/n", "0")
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			err := db.Update(func(tx resindex.Txn) error {
				v, err := tx.Get([]byte("s/n"))
				if err != nil {
					return err
				}
				var n int
				fmt.Sscan(string(v), &n)
				return tx.Set([]byte("s/n"), []byte(fmt.Sprint(n+1)))
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if v, _ := mustGet(t, db, "s/n"); v != "20" {
		t.Fatalf("counter = %s, want 20", v)
	}
}

// TestApplyRecordsPositionOnce: a change and its source position commit
// together; replaying the same or an older position is a no-op; a failed
// change leaves neither behind.
func TestApplyRecordsPositionOnce(t *testing.T) {
	db := MustOpen(t, store.Options{})
	pos := store.Position{Stream: "file:ct.ndjson", Offset: 7}
	count := 0
	apply := func(p store.Position) bool {
		ok, err := db.Apply(p, func(tx resindex.Txn) error { count++; return tx.Set([]byte("r/x"), []byte(fmt.Sprint(p.Offset))) })
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !apply(pos) || apply(pos) || apply(store.Position{Stream: pos.Stream, Offset: 3}) {
		t.Fatal("a position was applied twice")
	}
	if count != 1 {
		t.Fatalf("fn ran %d times", count)
	}
	if off, ok, _ := db.Applied(pos.Stream); !ok || off != 7 {
		t.Fatalf("applied = %d %v", off, ok)
	}
	_, err := db.Apply(store.Position{Stream: pos.Stream, Offset: 8}, func(tx resindex.Txn) error {
		tx.Set([]byte("r/y"), []byte("half"))
		return errors.New("bad record")
	})
	if err == nil {
		t.Fatal("failure not returned")
	}
	if off, _, _ := db.Applied(pos.Stream); off != 7 {
		t.Fatalf("failed change moved the position to %d", off)
	}
	if _, err := mustGet(t, db, "r/y"); !errors.Is(err, resindex.ErrNotFound) {
		t.Fatal("failed change left a write behind")
	}
}

// TestOutboxSequenceSurvivesReopen: outbox numbers rise by one with no
// gaps, in the same transaction as the change, across restarts.
func TestOutboxSequenceSurvivesReopen(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(store.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		db.Apply(store.Position{Stream: "s", Offset: int64(i + 1)}, func(tx resindex.Txn) error {
			_, err := tx.Emit([]byte(fmt.Sprint("change ", i)))
			return err
		})
	}
	db.Close()
	db = MustOpen(t, store.Options{Dir: dir})
	db.Update(func(tx resindex.Txn) error { _, err := tx.Emit([]byte("change 3")); return err })
	var seqs []uint64
	var payloads []string
	db.Outbox(0, 0, func(seq uint64, p []byte) error {
		seqs, payloads = append(seqs, seq), append(payloads, string(p))
		return nil
	})
	if fmt.Sprint(seqs) != "[1 2 3 4]" || payloads[3] != "change 3" {
		t.Fatalf("outbox = %v %v", seqs, payloads)
	}
	var after []uint64
	db.Outbox(2, 1, func(seq uint64, _ []byte) error { after = append(after, seq); return nil })
	if fmt.Sprint(after) != "[3]" {
		t.Fatalf("outbox after 2, limit 1 = %v", after)
	}
	if err := db.Trim(2); err != nil {
		t.Fatal(err)
	}
	seqs = nil
	db.Outbox(0, 0, func(seq uint64, _ []byte) error { seqs = append(seqs, seq); return nil })
	if fmt.Sprint(seqs) != "[3 4]" {
		t.Fatalf("after trim = %v", seqs)
	}
}

// TestChunkedWritesMoreThanOneTransactionHolds: a bulk write far past
// Badger's transaction limit succeeds without ErrTxnTooBig.
func TestChunkedWritesMoreThanOneTransactionHolds(t *testing.T) {
	db := MustOpen(t, store.Options{})
	val := bytes.Repeat([]byte("x"), 200)
	err := db.Chunked(func(w *store.Writer) error {
		for i := range 200_000 {
			if err := w.Set([]byte(fmt.Sprintf("b/%08d", i)), val); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	db.View(func(tx resindex.Txn) error {
		return tx.ScanKeys([]byte("b/"), func([]byte) error { n++; return nil })
	})
	if n != 200_000 {
		t.Fatalf("%d keys, want 200000", n)
	}
	if _, err := db.RunGC(); err != nil {
		t.Fatal(err)
	}
}

// TestEncryptionAtRest: with a key nothing readable reaches the disk, and
// the store does not open without the key.
func TestEncryptionAtRest(t *testing.T) {
	dir := t.TempDir()
	key := bytes.Repeat([]byte{7}, 32)
	db, err := store.Open(store.Options{Dir: dir, EncryptionKey: key})
	if err != nil {
		t.Fatal(err)
	}
	secret := "Oyelaran-Whitcliffe 1961-03-04"
	mustSet(t, db, "r/s\x001", secret)
	db.Close()
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if data, _ := os.ReadFile(p); bytes.Contains(data, []byte("Oyelaran")) {
				t.Errorf("%s holds resident data in clear", p)
			}
		}
		return nil
	})
	if db, err := store.Open(store.Options{Dir: dir}); err == nil {
		db.Close()
		t.Fatal("encrypted store opened without its key")
	}
	db = MustOpen(t, store.Options{Dir: dir, EncryptionKey: key})
	if v, err := mustGet(t, db, "r/s\x001"); err != nil || v != secret {
		t.Fatalf("after reopen: %q %v", v, err)
	}
	if _, err := store.Open(store.Options{Dir: t.TempDir(), EncryptionKey: []byte("short")}); err == nil {
		t.Fatal("a 5-byte key was accepted")
	}
}

func TestBackupRestore(t *testing.T) {
	db := MustOpen(t, store.Options{})
	for i := range 1000 {
		mustSet(t, db, fmt.Sprintf("r/s\x00%d", i), fmt.Sprint("v", i))
	}
	var buf bytes.Buffer
	if err := db.Backup(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "restored")
	if err := store.Restore(store.Options{Dir: dir}, bytes.NewReader(buf.Bytes())); err != nil {
		t.Fatal(err)
	}
	back := MustOpen(t, store.Options{Dir: dir})
	if v, err := mustGet(t, back, "r/s\x00999"); err != nil || v != "v999" {
		t.Fatalf("restored value = %q, %v", v, err)
	}
	if err := store.Restore(store.Options{Dir: dir}, bytes.NewReader(buf.Bytes())); err == nil {
		t.Fatal("restore over a live store was accepted")
	}
}

// A restored store gets a new identity, so outbound idempotency keys of
// its rolled-back change feed are not taken for the old store's.
func TestRestoreNewIdentity(t *testing.T) {
	db := MustOpen(t, store.Options{})
	id, err := db.ID()
	if err != nil || id == "" {
		t.Fatalf("id %q, %v", id, err)
	}
	if again, _ := db.ID(); again != id {
		t.Fatalf("the identity changed: %s then %s", id, again)
	}
	var buf bytes.Buffer
	if err := db.Backup(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := store.Restore(store.Options{Dir: dir}, &buf); err != nil {
		t.Fatal(err)
	}
	restored, err := store.Open(store.Options{Dir: dir, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if rid, err := restored.ID(); err != nil || rid == id || rid == "" {
		t.Fatalf("restored store's identity %q (was %q), %v", rid, id, err)
	}
}

// A key over Badger's limit is refused without quoting it.
func TestKeyTooLong(t *testing.T) {
	db := MustOpen(t, store.Options{})
	key := append([]byte("r/"), bytes.Repeat([]byte("Secretname"), 7000)...)
	err := db.Update(func(tx resindex.Txn) error { return tx.Set(key, []byte("v")) })
	if err == nil || !strings.Contains(err.Error(), "over the 65000-byte limit") || strings.Contains(err.Error(), "Secretname") {
		t.Fatalf("got %v", err)
	}
}

// The audit log's chain shows any entry edited, removed from the middle
// or from the end.
func TestAuditChain(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tamper func(tx resindex.Txn) error
		want   string
	}{
		{"intact", func(resindex.Txn) error { return nil }, ""},
		{"edited", func(tx resindex.Txn) error {
			v, err := tx.Get(auditKey(3))
			if err != nil {
				return err
			}
			return tx.Set(auditKey(3), append(v[:32:32], []byte(`{"user":"someone else"}`)...))
		}, "entry 3 was changed"},
		{"removed", func(tx resindex.Txn) error { return tx.Delete(auditKey(2)) }, "entry 2 is missing"},
		{"last removed", func(tx resindex.Txn) error { return tx.Delete(auditKey(5)) }, "ends at entry 4 but its head records entry 5"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := MustOpen(t, store.Options{})
			for i := 1; i <= 5; i++ {
				seq, err := db.AppendAudit([]byte(`{"n":` + strconv.Itoa(i) + `}`))
				if err != nil || seq != uint64(i) {
					t.Fatalf("append %d: %d, %v", i, seq, err)
				}
			}
			if err := db.Update(tc.tamper); err != nil {
				t.Fatal(err)
			}
			n, err := db.VerifyAudit()
			if tc.want == "" {
				if err != nil || n != 5 {
					t.Fatalf("intact log: %d entries, %v", n, err)
				}
				return
			}
			if !errors.Is(err, store.ErrAuditBroken) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
		})
	}
}

func auditKey(seq uint64) []byte { return binary.BigEndian.AppendUint64([]byte("a/"), seq) }

// TestOpenAfterACrashLeftAnEmptyMemtable: a crash between Badger creating
// a memtable file and writing to it leaves an empty .mem file (Badger
// #2207); the store still opens, with what was stored before.
func TestOpenAfterACrashLeftAnEmptyMemtable(t *testing.T) {
	dir := t.TempDir()
	db, err := store.Open(store.Options{Dir: dir, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(t resindex.Txn) error { return t.Set(layout.RecordsCount, []byte("7")) }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if err := os.WriteFile(filepath.Join(dir, "00009.mem"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err = store.Open(store.Options{Dir: dir, GCInterval: -1})
	if err != nil {
		t.Fatalf("open after an empty memtable file: %v", err)
	}
	defer db.Close()
	err = db.View(func(t resindex.Txn) error {
		v, err := t.Get(layout.RecordsCount)
		if err == nil && string(v) != "7" {
			err = fmt.Errorf("value %q", v)
		}
		return err
	})
	if err != nil {
		t.Fatalf("what was stored before: %v", err)
	}
}
