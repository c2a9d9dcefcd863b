package store

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"time"

	badger "github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/pb"
	"github.com/dgraph-io/ristretto/v2/z"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/resindex/resindex"
)

// fillKeepMax bounds the keys a store may hold besides those a fill
// replaces: a fill is for a new store, which holds only a few keys of its
// own (its identity, a load's marks).
const fillKeepMax = 10_000

// fillBuffer is how much a fill hands Badger at a time.
const fillBuffer = 32 << 20

// Stream IDs of a fill: the head, and the run's keys before and after it
// (Badger's streams must not overlap).
const (
	fillHead uint32 = iota + 1
	fillBelow
	fillAbove
)

// Fill writes a large run of keys into a new store straight into tables
// at the bottom of Badger's tree (its StreamWriter), not through the
// memtables and compactions that writes in batches go through: a bulk
// load's index, several times faster.
//
// Every key under the prefixes in replace is dropped; the store's other
// keys (at most a few thousand: a new store's own) are kept. head (keys
// and values) is written first, with the kept keys, and is in the store
// before any key of the run, so that a fill cut short by a crash leaves it
// (a load's mark that says to fill again). fn then puts the run, in
// strictly increasing key order, none of it within head's range. If Fill
// fails part way, the store holds head, the kept keys and part of the run:
// fill again. Every other read and write waits while it runs.
func (db *DB) Fill(replace []string, head map[string][]byte, fn func(put func(key, val []byte) error) error) error {
	if err := db.broken(); err != nil {
		return err
	}
	db.large.Lock()
	defer db.large.Unlock()
	if err := db.usable(); err != nil {
		return err
	}
	first, err := db.fillHead(replace, head)
	if err != nil {
		return err
	}
	// Checked before Prepare drops anything: the head and kept keys are
	// one stream, and the run's streams must lie wholly outside it.
	if splitsHead(first, replace) {
		return fmt.Errorf("store: fill: %w (its own keys sort among the fill's)", resindex.ErrNotFillable)
	}
	// The fill's keys take the version of the last commit: readable at
	// once (a fill cut short leaves its head readable, not only after a
	// restart), and older than every write after it. What they replace
	// is dropped, so no older version of them is left to win.
	f := &filler{sw: db.bdb.NewStreamWriter(), version: max(db.bdb.MaxVersion(), 1), buf: z.NewBuffer(fillBuffer, "store.Fill")}
	defer f.buf.Release()
	if err := f.sw.Prepare(); err != nil {
		f.sw.Cancel()
		return fmt.Errorf("store: fill: prepare: %w", err)
	}
	if err := f.writeHead(db.bdb, first); err != nil {
		f.sw.Cancel()
		return err
	}
	// Badger's stream writer syncs the directory only when it flushes: the
	// head's table and manifest entry are made durable now, so that a power
	// cut mid-fill also leaves the load's mark.
	if err := syncDir(db.opts.Dir); err != nil {
		f.sw.Cancel()
		return fmt.Errorf("store: fill: sync the head: %w", err)
	}
	if err := fn(f.put); err != nil {
		f.sw.Cancel()
		return err
	}
	if err := f.write(); err != nil {
		f.sw.Cancel()
		return err
	}
	if err := f.sw.Flush(); err != nil {
		return fmt.Errorf("store: fill: flush: %w", err)
	}
	return nil
}

// fillHead reads the keys a fill keeps and merges head into them, in key
// order (head's value where both have a key).
func (db *DB) fillHead(replace []string, head map[string][]byte) ([]fillKV, error) {
	all := map[string][]byte{}
	err := db.bdb.View(func(bt *badger.Txn) error {
		it := bt.NewIterator(badger.IteratorOptions{PrefetchValues: false})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			k := it.Item().Key()
			if slices.ContainsFunc(replace, func(p string) bool { return bytes.HasPrefix(k, []byte(p)) }) {
				continue
			}
			if len(all) >= fillKeepMax {
				return fmt.Errorf("store: fill: the store is not new: it holds too much besides what the fill replaces (%w)", resindex.ErrNotFillable)
			}
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			all[string(k)] = v
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for k, v := range head {
		all[k] = v
	}
	out := make([]fillKV, 0, len(all))
	for k, v := range all {
		out = append(out, fillKV{[]byte(k), v})
	}
	slices.SortFunc(out, func(a, b fillKV) int { return bytes.Compare(a.k, b.k) })
	return out, nil
}

type fillKV struct{ k, v []byte }

// splitsHead reports whether the keys under one of the prefixes would
// sort between the head's first and last keys (say an audit entry of a
// store that served before its first load): they cannot then be written
// as streams apart from it. The head holds no key under the prefixes, so
// one sorts among them when the head starts before the prefix and ends
// after it.
func splitsHead(head []fillKV, prefixes []string) bool {
	if len(head) == 0 {
		return false
	}
	lo, hi := head[0].k, head[len(head)-1].k
	for _, p := range prefixes {
		if bytes.Compare(lo, []byte(p)) < 0 && bytes.Compare(hi, []byte(p)) > 0 {
			return true
		}
	}
	return false
}

// filler hands a fill's keys to Badger's stream writer.
type filler struct {
	sw      *badger.StreamWriter
	version uint64
	buf     *z.Buffer
	// lo and hi are head's first and last keys; last the run's last key put.
	lo, hi, last []byte
}

// writeHead writes the head as a stream of its own, closes it, and waits
// until its table is in Badger's manifest (the stream writer builds
// tables in the background).
func (f *filler) writeHead(bdb *badger.DB, head []fillKV) error {
	if len(head) == 0 {
		return errors.New("store: fill: no head")
	}
	f.lo, f.hi = head[0].k, head[len(head)-1].k
	for _, kv := range head {
		badger.KVToBuffer(&pb.KV{Key: kv.k, Value: kv.v, Version: f.version, StreamId: fillHead}, f.buf)
	}
	badger.KVToBuffer(&pb.KV{StreamId: fillHead, StreamDone: true}, f.buf)
	if err := f.write(); err != nil {
		return err
	}
	for deadline := time.Now().Add(time.Minute); len(bdb.Tables()) == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			return errors.New("store: fill: the head's table was not written within a minute")
		}
	}
	return nil
}

// put adds one key of the run.
func (f *filler) put(key, val []byte) error {
	if f.last != nil && bytes.Compare(key, f.last) <= 0 {
		return fmt.Errorf("store: fill: keys out of order (%d bytes after %d bytes)", len(key), len(f.last))
	}
	stream := fillBelow
	switch {
	case bytes.Compare(key, f.hi) > 0:
		stream = fillAbove
	case bytes.Compare(key, f.lo) >= 0:
		return errors.New("store: fill: a key within the head's range")
	}
	f.last = append(f.last[:0], key...)
	appendKV(f.buf, key, val, f.version, stream)
	if f.buf.LenNoPadding() < fillBuffer {
		return nil
	}
	return f.write()
}

// write hands what is buffered to the stream writer.
func (f *filler) write() error {
	if f.buf.LenNoPadding() == 0 {
		return nil
	}
	if err := f.sw.Write(f.buf); err != nil {
		return fmt.Errorf("store: fill: %w", err)
	}
	f.buf.Reset()
	return nil
}

// appendKV appends one entry to buf as Badger's pb.KV message (key 1,
// value 2, version 4, stream_id 10), encoded by hand: through proto.Marshal
// the encoding cost more than the rest of a fill. Empty fields are left
// out, as proto.Marshal leaves them.
func appendKV(buf *z.Buffer, key, val []byte, version uint64, stream uint32) {
	n := protowire.SizeTag(1) + protowire.SizeBytes(len(key)) + protowire.SizeTag(4) + protowire.SizeVarint(version) +
		protowire.SizeTag(10) + protowire.SizeVarint(uint64(stream))
	if len(val) > 0 {
		n += protowire.SizeTag(2) + protowire.SizeBytes(len(val))
	}
	b := buf.SliceAllocate(n)[:0]
	b = protowire.AppendTag(b, 1, protowire.BytesType)
	b = protowire.AppendBytes(b, key)
	if len(val) > 0 {
		b = protowire.AppendTag(b, 2, protowire.BytesType)
		b = protowire.AppendBytes(b, val)
	}
	b = protowire.AppendTag(b, 4, protowire.VarintType)
	b = protowire.AppendVarint(b, version)
	b = protowire.AppendTag(b, 10, protowire.VarintType)
	protowire.AppendVarint(b, uint64(stream))
}
