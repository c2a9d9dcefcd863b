package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/dgraph-io/badger/v4/pb"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// listStarts parses a backup's list boundaries: where each list begins,
// and whether the bytes end where a list does.
func listStarts(b []byte) (starts []int, whole bool) {
	for off := 0; off < len(b); {
		starts = append(starts, off)
		if len(b)-off < 8 {
			return starts, false
		}
		n := binary.LittleEndian.Uint64(b[off:])
		if n > uint64(len(b)-off-8) {
			return starts, false
		}
		off += 8 + int(n)
	}
	return starts, true
}

// TestRestoreRefusesACutBackup: a plain backup cut at any boundary
// between its lists (which Badger's Load alone takes for its end) is
// refused with a clear error and leaves nothing behind; the whole one
// restores, without its end entry.
func TestRestoreRefusesACutBackup(t *testing.T) {
	db := openSmall(t, t.TempDir())
	defer db.Close()
	big := bytes.Repeat([]byte("v"), 4096)
	err := db.Update(func(tx resindex.Txn) error {
		for i := range 600 { // about 2.4 MB: three lists and the end
			if err := tx.Set(fmt.Appendf(nil, "r/k\x00%03d", i), big); err != nil {
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
	starts, whole := listStarts(buf.Bytes())
	if !whole || len(starts) < 3 {
		t.Fatalf("the backup has lists at %v (whole %v): want several", starts, whole)
	}
	for _, cut := range append(starts[1:], 0) {
		dir := filepath.Join(t.TempDir(), "restored")
		err := Restore(Options{Dir: dir}, bytes.NewReader(buf.Bytes()[:cut]))
		if !errors.Is(err, errBackupCut) || !strings.Contains(err.Error(), "cut short") {
			t.Errorf("cut at %d of %d: %v", cut, buf.Len(), err)
		}
		if es, _ := os.ReadDir(dir); len(es) > 0 {
			t.Errorf("cut at %d: the failed restore left %d files", cut, len(es))
		}
	}
	dir := filepath.Join(t.TempDir(), "restored")
	// A reader giving a byte at a time: list boundaries fall across reads.
	if err := Restore(Options{Dir: dir}, iotest.OneByteReader(bytes.NewReader(buf.Bytes()))); err != nil {
		t.Fatal(err)
	}
	back := openSmall(t, dir)
	defer back.Close()
	got := allKeys(t, back)
	if _, ok := got[string(layout.BackupEnd)]; ok {
		t.Error("the backup's end entry stayed in the restored store")
	}
	if v := got["r/k\x00599"]; v != string(big) {
		t.Errorf("the last key restored as %d bytes", len(v))
	}
}

// TestRestoreRefusesAWrongEnd: a backup whose end entry does not match
// the bytes before it (a list lost from the middle) is refused.
func TestRestoreRefusesAWrongEnd(t *testing.T) {
	var buf bytes.Buffer
	if err := writeList(&buf, &pb.KVList{Kv: []*pb.KV{{Key: []byte("r/x"), Value: []byte("y"), Version: 1}}}); err != nil {
		t.Fatal(err)
	}
	if err := writeBackupEnd(&buf, 5, 1); err != nil { // the list before is not 5 bytes
		t.Fatal(err)
	}
	err := Restore(Options{Dir: filepath.Join(t.TempDir(), "r")}, bytes.NewReader(buf.Bytes()))
	if !errors.Is(err, errBackupCut) {
		t.Fatalf("a wrong end: %v", err)
	}
}

// FuzzFrameReader: whatever the bytes and however they are read, the
// frame reader finds the boundaries a plain parse does.
func FuzzFrameReader(f *testing.F) {
	f.Add([]byte{3, 0, 0, 0, 0, 0, 0, 0, 'a', 'b', 'c', 0, 0, 0, 0, 0, 0, 0, 0}, uint8(1))
	f.Add([]byte{3, 0, 0, 0, 0, 0, 0, 0, 'a'}, uint8(2))
	f.Add([]byte{1, 0, 0}, uint8(7))
	f.Fuzz(func(t *testing.T, b []byte, chunk uint8) {
		fr := newFrameReader(io.LimitReader(&chunkReader{b: b, n: int(chunk%16) + 1}, int64(len(b))))
		if _, err := io.Copy(io.Discard, fr); err != nil {
			t.Fatal(err)
		}
		starts, whole := listStarts(b)
		last := int64(-1)
		if len(starts) > 0 {
			last = int64(starts[len(starts)-1])
		}
		if fr.whole() != whole || fr.lastStart != last {
			t.Fatalf("%x: whole %v last %d, want %v %d", b, fr.whole(), fr.lastStart, whole, last)
		}
	})
}

// chunkReader reads b at most n bytes at a time.
type chunkReader struct {
	b []byte
	n int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.b) == 0 {
		return 0, io.EOF
	}
	k := copy(p[:min(len(p), c.n)], c.b)
	c.b = c.b[k:]
	return k, nil
}

// TestRestoreSealedWithoutEnd: an encrypted backup written before the
// end entry (the sealed stream's marked last chunk shows it whole)
// still restores, with every key.
func TestRestoreSealedWithoutEnd(t *testing.T) {
	db, err := Open(Options{Dir: t.TempDir(), EncryptionKey: backupKey, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx resindex.Txn) error { return tx.Set([]byte("r/s\x00kept"), []byte("Quennell")) }); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	s, err := newSealer(&buf, backupKey)
	if err != nil {
		t.Fatal(err)
	}
	txn := db.bdb.NewTransaction(false)
	err = writeEntries(context.Background(), txn, s) // the entries, no end entry
	txn.Discard()
	if err == nil {
		err = s.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := Restore(Options{Dir: dir, EncryptionKey: backupKey}, &buf); err != nil {
		t.Fatalf("a sealed backup without an end entry: %v", err)
	}
	back, err := Open(Options{Dir: dir, EncryptionKey: backupKey, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	if got := allKeys(t, back)["r/s\x00kept"]; got != "Quennell" {
		t.Errorf("restored value %q", got)
	}
}

// TestRestoreUnendedPlain: a plain backup in Badger's format with no end
// entry (an older release's) is refused by Restore and restored by
// RestoreUnended.
func TestRestoreUnendedPlain(t *testing.T) {
	db := openSmall(t, t.TempDir())
	defer db.Close()
	err := db.Update(func(tx resindex.Txn) error {
		for i := range 3000 {
			if err := tx.Set(bigKey(i), bigValue); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err = db.bdb.Backup(&buf, 0); err != nil { // an older release's backup
		t.Fatal(err)
	}
	if err := Restore(Options{Dir: t.TempDir()}, bytes.NewReader(buf.Bytes())); !errors.Is(err, errBackupCut) {
		t.Fatalf("Restore of a backup without an end: %v, want it refused as cut short", err)
	}
	dir := t.TempDir()
	if err := RestoreUnended(Options{Dir: dir}, bytes.NewReader(buf.Bytes())); err != nil {
		t.Fatal(err)
	}
	back, err := Open(Options{Dir: dir, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	got, want := allKeys(t, back), allKeys(t, db)
	for _, own := range [][]byte{layout.StoreID, layout.Generation} {
		delete(got, string(own))
		delete(want, string(own))
	}
	if len(want) != 3000 || !maps.Equal(got, want) {
		t.Errorf("restored %d keys, the source %d", len(got), len(want))
	}
}
