package store

import (
	"errors"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// Dead letters are held in the store from the moment their position is
// recorded until they are published, so that a crash in between neither
// loses one nor, once the publisher has checked the topic, sends one twice.

func deadLetterKey(pos Position) []byte { return layout.DeadLetter(pos.Stream, pos.Offset) }

// HoldDeadLetter records pos as handled and keeps msg, in one
// transaction. A position at or before the stream's last is left alone.
func (db *DB) HoldDeadLetter(pos Position, msg []byte) error {
	_, err := db.Apply(pos, func(t resindex.Txn) error { return t.Set(deadLetterKey(pos), msg) })
	return err
}

// HeldDeadLetters returns the dead letters not yet released, by position.
func (db *DB) HeldDeadLetters() (map[Position][]byte, error) {
	out := map[Position][]byte{}
	err := db.View(func(t resindex.Txn) error {
		return t.Scan([]byte(layout.DeadLetterPrefix), func(k, v []byte) error {
			stream, offset, ok := layout.ParseDeadLetter(k)
			if !ok {
				return errors.New("store: a held dead letter's key is corrupt")
			}
			pos := Position{Stream: stream, Offset: offset}
			out[pos] = append([]byte(nil), v...)
			return nil
		})
	})
	return out, err
}

// ReleaseDeadLetter forgets a dead letter once it is published.
func (db *DB) ReleaseDeadLetter(pos Position) error {
	return db.Update(func(t resindex.Txn) error { return t.Delete(deadLetterKey(pos)) })
}
