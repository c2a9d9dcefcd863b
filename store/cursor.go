package store

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// Cursor returns how far a named reader of the change feed (an outbound
// topic) has got: the last sequence number it has, 0 for none.
func (db *DB) Cursor(name string) (uint64, error) {
	var seq uint64
	err := db.View(func(t resindex.Txn) error {
		v, err := t.Get(layout.Cursor(name))
		switch {
		case errors.Is(err, resindex.ErrNotFound):
			return nil
		case err != nil:
			return err
		case len(v) != 8:
			return fmt.Errorf("store: cursor %s is corrupt", name)
		}
		seq = binary.BigEndian.Uint64(v)
		return nil
	})
	return seq, err
}

// SetCursor records that a named reader of the change feed has every
// entry up to seq.
func (db *DB) SetCursor(name string, seq uint64) error {
	v := binary.BigEndian.AppendUint64(nil, seq)
	return db.Update(func(t resindex.Txn) error { return t.Set(layout.Cursor(name), v) })
}

// ID returns the store's identity: random, made the first time it is
// asked for and kept. Outbound messages carry it in their idempotency
// keys, so that a rebuilt store's sequence numbers are not taken for
// repeats of an old one's.
func (db *DB) ID() (string, error) {
	var id string
	err := db.Update(func(t resindex.Txn) error {
		v, err := t.Get(layout.StoreID)
		if err == nil {
			id = string(v)
			return nil
		}
		if !errors.Is(err, resindex.ErrNotFound) {
			return err
		}
		b := make([]byte, 8)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		id = hex.EncodeToString(b)
		return t.Set(layout.StoreID, []byte(id))
	})
	return id, err
}
