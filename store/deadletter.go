package store

import (
	"encoding/binary"
	"errors"

	"github.com/resindex/resindex"
)

// Dead letters are held in the store from the moment their position is
// recorded until they are published, so that a crash in between neither
// loses one nor, once the publisher has checked the topic, sends one twice.

func deadLetterKey(pos Position) []byte {
	k := append([]byte("q/"), pos.Stream...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, uint64(pos.Offset))
}

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
		return t.Scan([]byte("q/"), func(k, v []byte) error {
			rest := k[2:]
			if len(rest) < 9 || rest[len(rest)-9] != 0 {
				return errors.New("store: a held dead letter's key is corrupt")
			}
			pos := Position{Stream: string(rest[:len(rest)-9]), Offset: int64(binary.BigEndian.Uint64(rest[len(rest)-8:]))}
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
