package store

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

var backupKey = bytes.Repeat([]byte{7}, 32)

// allKeys reads every key and value of a store.
func allKeys(t *testing.T, db *DB) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := db.View(func(tx resindex.Txn) error {
		return tx.Scan(nil, func(k, v []byte) error { out[string(k)] = string(v); return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// An encrypted store's backup holds no resident data in the clear, will
// not restore without the store's key or with another, and restores
// whole with it.
func TestEncryptedBackup(t *testing.T) {
	db, err := Open(Options{Dir: t.TempDir(), EncryptionKey: backupKey, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.Chunked(func(w *Writer) error {
		for i := range 8000 { // several chunks
			if err := w.Set(fmt.Appendf(nil, "r/s\x00%05d", i), fmt.Appendf(nil, "Quennell-Ambrose %d", i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := db.Backup(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(buf.Bytes(), []byte("Quennell")) || bytes.Contains(buf.Bytes(), []byte("r/s\x00")) {
		t.Fatal("the backup holds resident data in the clear")
	}
	if buf.Len() < 3*backupChunk {
		t.Fatalf("backup of %d bytes: want several chunks", buf.Len())
	}
	for _, tt := range []struct {
		name string
		key  []byte
		want error
	}{
		{"no key", nil, ErrBackupEncrypted},
		{"another key", bytes.Repeat([]byte{8}, 32), ErrBackupWrongKey},
	} {
		dir := filepath.Join(t.TempDir(), "restored")
		err := Restore(Options{Dir: dir, EncryptionKey: tt.key}, bytes.NewReader(buf.Bytes()))
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, err, tt.want)
		}
		if _, serr := os.Stat(dir); serr == nil {
			t.Errorf("%s: a refused restore made %s", tt.name, dir)
		}
	}
	dir := t.TempDir()
	if err := Restore(Options{Dir: dir, EncryptionKey: backupKey}, bytes.NewReader(buf.Bytes())); err != nil {
		t.Fatal(err)
	}
	back, err := Open(Options{Dir: dir, EncryptionKey: backupKey, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	got, want := allKeys(t, back), allKeys(t, db)
	for _, own := range [][]byte{layout.StoreID, layout.Generation} { // a restored store is a new one (generation.go)
		delete(got, string(own))
		delete(want, string(own))
	}
	if !maps.Equal(got, want) || len(want) != 8000 {
		t.Fatalf("restored %d keys, source %d (equal: %v)", len(got), len(want), maps.Equal(got, want))
	}
}

// A plain store's backup stays Badger's plain format (readable by Load).
func TestPlainBackupIsBadgers(t *testing.T) {
	db := openSmall(t, t.TempDir())
	defer db.Close()
	seed(t, db)
	var buf bytes.Buffer
	if err := db.Backup(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	if bytes.HasPrefix(buf.Bytes(), []byte(backupMagic)) || !bytes.Contains(buf.Bytes(), []byte("r/keep")) {
		t.Fatal("a plain store's backup is not Badger's plain stream")
	}
}

// sealed encrypts n bytes of a pattern as a backup file.
func sealed(t testing.TB, n int) (file, plain []byte) {
	t.Helper()
	plain = make([]byte, n)
	for i := range plain {
		plain[i] = byte(i * 7)
	}
	var buf bytes.Buffer
	s, err := newSealer(&buf, backupKey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Write(plain); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), plain
}

// openAll decrypts a whole file.
func openAll(file []byte) ([]byte, error) {
	br := bufioReader(file)
	o, err := newOpener(br, backupKey)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	_, err = out.ReadFrom(o)
	return out.Bytes(), err
}

func TestBackupCryptRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, backupChunk - 1, backupChunk, backupChunk + 1, 3 * backupChunk} {
		file, plain := sealed(t, n)
		got, err := openAll(file)
		if err != nil || !bytes.Equal(got, plain) {
			t.Errorf("%d bytes: got %d bytes, %v", n, len(got), err)
		}
	}
}

func TestBackupCryptMalformed(t *testing.T) {
	file, _ := sealed(t, 2*backupChunk+100) // chunks of 64 KiB, 64 KiB, 100 bytes
	full := backupChunk + 16
	cut := func(n int) []byte { return bytes.Clone(file[:n]) }
	flip := func(i int) []byte { f := bytes.Clone(file); f[i] ^= 1; return f }
	swapped := bytes.Clone(file)
	copy(swapped[backupHeaderLen:], file[backupHeaderLen+full:backupHeaderLen+2*full])
	copy(swapped[backupHeaderLen+full:], file[backupHeaderLen:backupHeaderLen+full])
	tests := []struct {
		name string
		file []byte
		want error
		text string
	}{
		{"empty", nil, ErrBackupDamaged, "header is cut short"},
		{"header cut", cut(backupHeaderLen - 1), ErrBackupDamaged, "header is cut short"},
		{"no chunks", cut(backupHeaderLen), ErrBackupDamaged, "chunk 0 is missing"},
		{"not magic", append([]byte("XXBACKUP"), file[8:]...), ErrBackupDamaged, "not an encrypted"},
		{"version 2", func() []byte { f := bytes.Clone(file); f[8] = 2; return f }(), nil, "version 2"},
		{"key check changed", flip(backupHeaderLen - 1), ErrBackupWrongKey, ""},
		{"prefix changed", flip(9), ErrBackupWrongKey, ""},
		{"chunk 1 changed", flip(backupHeaderLen + full + 5), ErrBackupDamaged, "chunk 1 does not"},
		{"last chunk dropped", cut(backupHeaderLen + 2*full), ErrBackupDamaged, "chunk 1 does not"},
		{"cut in chunk 2", cut(len(file) - 50), ErrBackupDamaged, "chunk 2 does not"},
		{"cut in chunk 0", cut(backupHeaderLen + 100), ErrBackupDamaged, "chunk 0 does not"},
		{"tag cut short", cut(backupHeaderLen + 2*full + 10), ErrBackupDamaged, "chunk 2 is missing"},
		{"chunks swapped", swapped, ErrBackupDamaged, "chunk 0 does not"},
		{"bytes appended", append(bytes.Clone(file), 0), ErrBackupDamaged, "chunk 2 does not"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := openAll(tt.file)
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) || !bytes.Contains([]byte(err.Error()), []byte(tt.text)) {
				t.Fatalf("got %v, want %v with %q", err, tt.want, tt.text)
			}
		})
	}
}

func FuzzBackupOpener(f *testing.F) {
	for _, n := range []int{0, 10, backupChunk + 3} {
		file, _ := sealed(f, n)
		f.Add(file)
	}
	f.Add([]byte(backupMagic))
	f.Fuzz(func(t *testing.T, file []byte) {
		got, err := openAll(file)
		if err == nil && !bytes.HasPrefix(file, []byte(backupMagic)) {
			t.Fatalf("opened %d bytes of a file without the magic", len(got))
		}
	})
}

// Cancelling a backup ends it promptly, whatever it is waiting on.
func TestBackupStopsWhenCancelled(t *testing.T) {
	db := openSmall(t, t.TempDir())
	defer db.Close()
	err := db.Chunked(func(w *Writer) error {
		for i := range 20000 {
			if err := w.Set(bigKey(i), bigValue); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	w := &cancelOnWrite{cancel: cancel}
	start := time.Now()
	err = db.Backup(ctx, w)
	if !errors.Is(err, context.Canceled) || time.Since(start) > 5*time.Second {
		t.Fatalf("got %v after %s", err, time.Since(start))
	}
	if w.writes > 2 {
		t.Fatalf("%d writes after the cancel", w.writes-1)
	}
}

// cancelOnWrite cancels its context at the first write.
type cancelOnWrite struct {
	cancel func()
	writes int
}

func (c *cancelOnWrite) Write(p []byte) (int, error) {
	c.writes++
	c.cancel()
	return len(p), nil
}

// A backup in progress holds up neither a large change nor the readers
// after it, and holds none of a large change made after it started.
func TestBackupDoesNotStallLargeChanges(t *testing.T) {
	db := openSmall(t, t.TempDir())
	defer db.Close()
	seed(t, db)
	w := &blockingWriter{started: make(chan struct{}), release: make(chan struct{})}
	done := make(chan error, 1)
	go func() { done <- db.Backup(context.Background(), w) }()
	<-w.started
	changed := make(chan error, 1)
	go func() {
		changed <- db.update(bigChange(3000), nil, nil)
	}()
	select {
	case err := <-changed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(20 * time.Second):
		close(w.release)
		t.Fatal("a large change waited for a backup in progress")
	}
	if db.LargeChanges() != 1 {
		t.Fatalf("%d large changes, want 1", db.LargeChanges())
	}
	if _, err := mustRead(db, "r/keep"); err != nil {
		t.Fatal(err)
	}
	close(w.release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := Restore(Options{Dir: dir}, bytes.NewReader(w.buf.Bytes())); err != nil {
		t.Fatal(err)
	}
	back := openSmall(t, dir)
	defer back.Close()
	got := allKeys(t, back)
	if _, ok := got[string(bigKey(0))]; ok || got["r/old"] != "x" || got["r/keep"] != "y" {
		t.Fatalf("the backup does not hold the store as it was when it started: %d keys", len(got))
	}
}

func mustRead(db *DB, k string) (string, error) {
	var out []byte
	err := db.View(func(tx resindex.Txn) error {
		v, err := tx.Get([]byte(k))
		out = v
		return err
	})
	return string(out), err
}

// blockingWriter blocks its first write until released.
type blockingWriter struct {
	started, release chan struct{}
	buf              bytes.Buffer
	n                int
}

func (b *blockingWriter) Write(p []byte) (int, error) {
	if b.n == 0 {
		close(b.started)
		<-b.release
	}
	b.n++
	return b.buf.Write(p)
}

func bufioReader(b []byte) *bufio.Reader { return bufio.NewReader(bytes.NewReader(b)) }

// BenchmarkBackup: the snapshot backup, plain and encrypted, against
// Badger's own stream backup (what Backup was), over 200,000 keys.
//
//	go test ./store -run NONE -bench Backup -benchtime 3x
func BenchmarkBackup(b *testing.B) {
	for _, key := range [][]byte{nil, backupKey} {
		db, err := Open(Options{Dir: b.TempDir(), EncryptionKey: key, GCInterval: -1})
		if err != nil {
			b.Fatal(err)
		}
		err = db.Chunked(func(w *Writer) error {
			val := bytes.Repeat([]byte("Quennell-Ambrose "), 12)
			for i := range 200000 {
				if err := w.Set(fmt.Appendf(nil, "r/s\x00%07d", i), val); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		name := map[bool]string{false: "plain", true: "encrypted"}[key != nil]
		b.Run(name+"/snapshot", func(b *testing.B) {
			for b.Loop() {
				var n countingWriter
				if err := db.Backup(context.Background(), &n); err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(n))
			}
		})
		b.Run(name+"/badger-stream", func(b *testing.B) {
			for b.Loop() {
				var n countingWriter
				if _, err := db.bdb.Backup(&n, 0); err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(n))
			}
		})
		db.Close()
	}
}

type countingWriter int

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}
