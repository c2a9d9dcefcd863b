package store

import (
	"encoding/binary"
	"errors"
	"sync"

	"github.com/dgraph-io/badger/v4"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// Position is where in a source a change came from.
type Position = resindex.Position

// Applied returns the last offset applied from a stream, and false if
// nothing from it has been applied yet.
func (db *DB) Applied(stream string) (int64, bool, error) {
	var off int64
	found := false
	err := db.View(func(t resindex.Txn) error {
		v, err := t.Get(layout.Position(stream))
		if errors.Is(err, resindex.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		off, err = layout.DecodeOffset(v)
		found = err == nil
		return err
	})
	return off, found, err
}

// Apply runs fn in one transaction and records pos as applied in the same
// transaction, so the change and its position commit together or not at
// all. A position at or before the stream's applied offset has already
// taken effect: fn is not run and Apply returns false.
func (db *DB) Apply(pos Position, fn func(resindex.Txn) error) (bool, error) {
	return db.ApplyUnder(pos, nil, fn, nil)
}

// ApplyUnder is Apply for a caller that keeps state of its own beside the
// store (the engine's in-memory indexes): the commit happens while l is
// held, and if fn took effect, committed runs then too, so that whoever
// reads under l (ViewUnder) sees the store and that state change as one.
// The store takes l last, after its own lock, so that a change too large
// for one transaction never waits for a reader that waits for it.
func (db *DB) ApplyUnder(pos Position, l sync.Locker, fn func(resindex.Txn) error, committed func()) (bool, error) {
	applied := false
	after := func() {
		if applied && committed != nil {
			committed()
		}
	}
	err := db.update(func(t resindex.Txn) error {
		var err error
		applied, err = applyAt(t, pos, fn)
		return err
	}, l, after)
	return applied, err
}

// Emit appends an outbox entry in the transaction and returns its sequence
// number. Numbers increase by one with every entry, with no gaps, since the
// counter is written in the same transaction as the entry.
func (t *Txn) Emit(payload []byte) (uint64, error) {
	var seq uint64
	v, err := t.Get(layout.OutboxSeq)
	switch {
	case err == nil && len(v) == 8:
		seq = binary.BigEndian.Uint64(v)
	case err == nil:
		return 0, errors.New("store: outbox sequence is corrupt")
	case !errors.Is(err, resindex.ErrNotFound):
		return 0, err
	}
	seq++
	next := make([]byte, 8)
	binary.BigEndian.PutUint64(next, seq)
	if err := t.Set(layout.OutboxSeq, next); err != nil {
		return 0, err
	}
	return seq, t.Set(layout.Outbox(seq), payload)
}

// Outbox calls fn for outbox entries after the given sequence number, in
// order, at most limit of them (0: no limit). It seeks to the first entry
// wanted, so a reader that keeps up costs little however long the outbox.
func (db *DB) Outbox(after uint64, limit int, fn func(seq uint64, payload []byte) error) error {
	// The guards of View: not a failed store, not a large change half copied.
	if err := db.broken(); err != nil {
		return err
	}
	db.large.RLock()
	defer db.large.RUnlock()
	if err := db.usable(); err != nil { // a compaction failed, or Close ran, while this waited
		return err
	}
	return db.bdb.View(func(bt *badger.Txn) error {
		prefix := []byte(layout.OutboxPrefix)
		it := bt.NewIterator(badger.IteratorOptions{PrefetchValues: true, PrefetchSize: 64, Prefix: prefix})
		defer it.Close()
		n := 0
		for it.Seek(layout.Outbox(after + 1)); it.ValidForPrefix(prefix) && (limit <= 0 || n < limit); it.Next() {
			item := it.Item()
			v, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			n++
			if err := fn(layout.Seq(item.Key()), v); err != nil {
				return err
			}
		}
		return nil
	})
}

var errStop = errors.New("stop")

// Trim deletes outbox entries up to and including seq, once every reader
// has them.
func (db *DB) Trim(upTo uint64) error {
	var keys [][]byte
	err := db.View(func(t resindex.Txn) error {
		return t.ScanKeys([]byte(layout.OutboxPrefix), func(k []byte) error {
			if layout.Seq(k) > upTo {
				return errStop
			}
			keys = append(keys, append([]byte(nil), k...))
			return nil
		})
	})
	if err != nil && !errors.Is(err, errStop) {
		return err
	}
	return db.Chunked(func(w *Writer) error {
		for _, k := range keys {
			if err := w.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}
