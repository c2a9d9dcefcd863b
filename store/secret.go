package store

import (
	"crypto/rand"
	"errors"
	"fmt"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// Secret returns a named random secret of size bytes, made the first time
// it is asked for and kept with the data it protects (the key person
// references are made with survives a restart and a backup).
func (db *DB) Secret(name string, size int) ([]byte, error) {
	var out []byte
	err := db.Update(func(t resindex.Txn) error {
		v, err := t.Get(layout.Secret(name))
		switch {
		case err == nil && len(v) == size:
			out = append([]byte(nil), v...)
			return nil
		case err == nil:
			return fmt.Errorf("store: secret %s is %d bytes, want %d", name, len(v), size)
		case !errors.Is(err, resindex.ErrNotFound):
			return err
		}
		out = make([]byte, size)
		if _, err := rand.Read(out); err != nil {
			return err
		}
		return t.Set(layout.Secret(name), out)
	})
	return out, err
}

// PutToken stores an API token's record under the hash of the token (the
// token itself is never stored).
func (db *DB) PutToken(hash string, record []byte) error {
	return db.Update(func(t resindex.Txn) error { return t.Set(layout.Token(hash), record) })
}

// Token returns the record of the token with a hash, or resindex.ErrNotFound.
func (db *DB) Token(hash string) ([]byte, error) {
	var out []byte
	err := db.View(func(t resindex.Txn) error {
		v, err := t.Get(layout.Token(hash))
		out = append([]byte(nil), v...)
		return err
	})
	return out, err
}

// DeleteToken removes a token; a missing one is resindex.ErrNotFound.
func (db *DB) DeleteToken(hash string) error {
	return db.Update(func(t resindex.Txn) error {
		if _, err := t.Get(layout.Token(hash)); err != nil {
			return err
		}
		return t.Delete(layout.Token(hash))
	})
}

// Tokens calls fn for every token's hash and record.
func (db *DB) Tokens(fn func(hash string, record []byte) error) error {
	return db.View(func(t resindex.Txn) error {
		return t.Scan([]byte(layout.TokenPrefix), func(key, val []byte) error { return fn(layout.TokenHash(key), val) })
	})
}
