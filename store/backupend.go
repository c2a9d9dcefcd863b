package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/pb"

	"github.com/resindex/resindex/layout"
)

// A backup in Badger's format is a series of length-prefixed KVLists,
// and Badger's Load takes an end of file before a length for the end of
// the backup: a file cut at a list's boundary would restore as a smaller
// store without a word. So a backup ends with one more list holding one
// entry, layout.BackupEnd, whose value is how many bytes came before that
// list; Restore finds it, checks it against what it read, and deletes it.
// The file stays one Badger's Load reads.

// errBackupCut is Restore's error for a backup without its end.
var errBackupCut = errors.New("the backup is cut short (its end is missing or does not match its length): it cannot be restored; use another backup, or, for a plain backup from a release before backups ended with a check, restore --unended")

// byteCounter counts the bytes written through it.
type byteCounter struct {
	w io.Writer
	n int64
}

func (c *byteCounter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// writeBackupEnd writes the end list: before bytes came before it.
func writeBackupEnd(w io.Writer, before int64, version uint64) error {
	kv := &pb.KV{Key: layout.BackupEnd, Value: strconv.AppendInt(nil, before, 10), UserMeta: []byte{0}, Version: version}
	return writeList(w, &pb.KVList{Kv: []*pb.KV{kv}})
}

// frameReader passes a backup through, noting where each list begins and
// whether the stream ended where a list did.
type frameReader struct {
	r         io.Reader
	off       int64 // bytes read
	next      int64 // where the next list's length begins
	lastStart int64 // where the last list began (-1: none)
	head      []byte
}

func newFrameReader(r io.Reader) *frameReader { return &frameReader{r: r, lastStart: -1} }

func (f *frameReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	for i := 0; i < n; {
		pos := f.off + int64(i)
		if pos < f.next { // inside a list: skip to its end
			i += int(min(f.next-pos, int64(n-i)))
			continue
		}
		if len(f.head) == 0 {
			f.lastStart = pos
		}
		f.head = append(f.head, p[i])
		i++
		if len(f.head) == 8 {
			// A corrupt length past any file's end saturates (never wraps).
			f.next = pos + 1 + int64(min(binary.LittleEndian.Uint64(f.head), uint64(math.MaxInt64-pos-1)))
			f.head = f.head[:0]
		}
	}
	f.off += int64(n)
	return n, err
}

// whole reports whether the stream ended at the end of a list.
func (f *frameReader) whole() bool { return len(f.head) == 0 && f.off == f.next }

// checkBackupEnd checks a loaded backup's end against what f read, and
// deletes it. mayLack: a backup may have none — a sealed (encrypted) one
// written before the end entry was, whose last chunk's mark already
// shows it whole, or a plain one restored with RestoreUnended.
func (db *DB) checkBackupEnd(f *frameReader, mayLack bool) error {
	var before []byte
	err := db.bdb.View(func(t *badger.Txn) error {
		item, err := t.Get(layout.BackupEnd)
		if err != nil {
			return err
		}
		before, err = item.ValueCopy(nil)
		return err
	})
	if errors.Is(err, badger.ErrKeyNotFound) {
		if mayLack {
			return nil
		}
		return errBackupCut
	}
	if err != nil {
		return err
	}
	if n, perr := strconv.ParseInt(string(before), 10, 64); perr != nil || n != f.lastStart || !f.whole() {
		return fmt.Errorf("%w (end says %q, last list at %d)", errBackupCut, before, f.lastStart)
	}
	return db.bdb.Update(func(t *badger.Txn) error { return t.Delete(layout.BackupEnd) })
}
