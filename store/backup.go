package store

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/pb"
	"google.golang.org/protobuf/proto"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// Backup writes a full backup of the store to w, encrypted (backupcrypt.go)
// when the store is. It stops with ctx's error once ctx is done.
//
// It writes the latest live version of every key from one read snapshot,
// in Badger's backup format (what Badger's Load reads). Not Badger's own
// Backup: its Stream opens a transaction per worker goroutine, each when
// it starts, and in a non-managed store nothing pins them to one read
// time, so it is consistent only if the store's lock (large) is held for
// the whole stream; and a large change waiting for that lock exclusively
// makes every later reader wait too (a Go RWMutex), freezing the server
// for as long as the backup takes. Here large is held only while the
// snapshot is taken, so the snapshot holds all of a large change or none
// of it; the stream then holds only handle, which nothing but Compact and
// Close take exclusively (they close the database under the snapshot;
// snapshot.go).
func (db *DB) Backup(ctx context.Context, w io.Writer) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	txn, release, err := db.snapshot()
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	defer release()
	cw := &ctxWriter{ctx: ctx, w: w}
	if len(db.opts.EncryptionKey) == 0 {
		return writeSnapshot(ctx, txn, cw)
	}
	s, err := newSealer(cw, db.opts.EncryptionKey)
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	if err := writeSnapshot(ctx, txn, s); err != nil {
		return err
	}
	if err := s.Close(); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

// backupBatch is about how many bytes of entries go in one KVList.
const backupBatch = 1 << 20

// writeSnapshot writes every live key of txn as length-prefixed KVLists,
// then the backup's end (backupend.go).
func writeSnapshot(ctx context.Context, txn *badger.Txn, w io.Writer) error {
	cw := &byteCounter{w: w}
	if err := writeEntries(ctx, txn, cw); err != nil {
		return err
	}
	return writeBackupEnd(cw, cw.n, txn.ReadTs())
}

// writeEntries writes every live key of txn as length-prefixed KVLists.
func writeEntries(ctx context.Context, txn *badger.Txn, w io.Writer) error {
	it := txn.NewIterator(badger.DefaultIteratorOptions)
	defer it.Close()
	list, size := &pb.KVList{}, 0
	for it.Rewind(); it.Valid(); it.Next() {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("store: backup: %w", err)
		}
		kv, err := backupKV(it.Item())
		if err != nil {
			return err
		}
		list.Kv = append(list.Kv, kv)
		size += len(kv.Key) + len(kv.Value)
		if size >= backupBatch {
			if err := writeList(w, list); err != nil {
				return err
			}
			list, size = &pb.KVList{}, 0
		}
	}
	if len(list.Kv) == 0 {
		return nil
	}
	return writeList(w, list)
}

// backupKV is one item as Badger's Load takes it: a plain set.
func backupKV(item *badger.Item) (*pb.KV, error) {
	val, err := item.ValueCopy(nil)
	if err != nil {
		return nil, fmt.Errorf("store: backup: read a value: %w", err)
	}
	return &pb.KV{Key: item.KeyCopy(nil), Value: val, UserMeta: []byte{item.UserMeta()},
		Version: item.Version(), ExpiresAt: item.ExpiresAt()}, nil
}

// writeList writes a KVList as Badger's backup does: a little-endian
// uint64 size, then the list.
func writeList(w io.Writer, list *pb.KVList) error {
	buf, err := proto.Marshal(list)
	if err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	if _, err := w.Write(binary.LittleEndian.AppendUint64(nil, uint64(len(buf)))); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	if _, err := w.Write(buf); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

// ctxWriter stops a backup once its context is done, even between the
// iterator's checks (a slow or blocked disk): the server's shutdown must
// not wait for a large backup to finish.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c *ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

// Restore loads a backup into a new store at opts.Dir, which must be empty
// or absent: restoring over live data would mix two indexes. An encrypted
// backup needs the key of the store it was taken from (opts.EncryptionKey),
// and the restored store is encrypted with it.
func Restore(opts Options, r io.Reader) error { return restore(opts, r, false) }

// RestoreUnended restores a plain backup that may lack the end entry
// (one written before backups had it): a file cut between two of its
// lists cannot then be told from a whole one. Its caller says so.
func RestoreUnended(opts Options, r io.Reader) error { return restore(opts, r, true) }

func restore(opts Options, r io.Reader, unended bool) error {
	entries, err := os.ReadDir(opts.Dir)
	if err == nil && len(entries) > 0 {
		return fmt.Errorf("store: restore: %s is not empty", opts.Dir)
	}
	br := bufio.NewReaderSize(r, 1<<20)
	var src io.Reader = br
	sealed := isEncryptedBackup(br)
	if sealed {
		o, err := newOpener(br, opts.EncryptionKey)
		if err != nil {
			return fmt.Errorf("store: restore: %w", err)
		}
		src = o
	}
	opts.GCInterval = -1
	db, err := Open(opts)
	if err != nil {
		return err
	}
	frames := newFrameReader(src)
	err = db.bdb.Load(frames, 256)
	if err == nil {
		err = db.checkBackupEnd(frames, sealed || unended)
	}
	if err != nil {
		// Half a store must not be taken for the backup's.
		return fmt.Errorf("store: restore: %w", errors.Join(err, db.Close(), emptyDir(opts.Dir)))
	}
	// A restored store is a new identity: its change-feed sequence rolls
	// back to the backup's, and readers must not take its new entries for
	// repeats of the old store's.
	if err := db.Update(func(t resindex.Txn) error { return t.Delete(layout.StoreID) }); err != nil {
		db.Close()
		return fmt.Errorf("store: restore: %w", err)
	}
	return db.Close()
}

// emptyDir removes what a failed restore wrote to dir.
func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}
