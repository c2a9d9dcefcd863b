package store

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// A store's generation is a random id made anew whenever its versions may
// go back: Badger numbers commits on from the highest version still in
// its files, and a compaction (which keeps only live keys) or a restore
// (a backup's versions) can drop the highest, so numbers already handed
// out are handed out again. A read replica keeps the writer's generation
// beside its position and copies the store whole when it differs: a
// position is only meaningful within one generation.

// ensureGeneration runs on Open: a new store, or one restored from a
// backup (Restore drops its identity, StoreID), gets a new generation;
// its identity is made here too, so the next Open keeps both.
func (db *DB) ensureGeneration() error {
	err := db.bdb.Update(func(t *badger.Txn) error {
		_, idErr := t.Get(layout.StoreID)
		_, genErr := t.Get(layout.Generation)
		if idErr == nil && genErr == nil {
			return nil
		}
		for _, err := range []error{idErr, genErr} {
			if err != nil && !errors.Is(err, badger.ErrKeyNotFound) {
				return err
			}
		}
		if errors.Is(idErr, badger.ErrKeyNotFound) {
			if err := t.Set(layout.StoreID, []byte(randomID())); err != nil {
				return err
			}
		}
		return t.Set(layout.Generation, []byte(randomID()))
	})
	if err != nil {
		return fmt.Errorf("store: open: the store's generation: %w", err)
	}
	return nil
}

// generationIn reads the generation in a snapshot ("" for none).
func generationIn(t *badger.Txn) (string, error) {
	item, err := t.Get(layout.Generation)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	v, err := item.ValueCopy(nil)
	return string(v), err
}

// Generation is the store's generation (see above).
func (db *DB) Generation() (string, error) {
	var g string
	err := db.ViewUnder(nil, func(t resindex.Txn) error {
		var err error
		g, err = generationIn(t.(*Txn).bt)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("store: generation: %w", err)
	}
	return g, nil
}

func randomID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24)
	return hex.EncodeToString(b)
}
