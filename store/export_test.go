package store

import "path/filepath"

// Flatten compacts every level into one, as Badger's own compactions
// eventually do: a deletion with nothing older below it is dropped.
func (db *DB) Flatten() error { return db.bdb.Flatten(1) }

// CopyAndMarkComplete does Compact's first step alone (the copy in
// DIR/.compact, marked COMPLETE), as a crash just after it would leave it.
func (db *DB) CopyAndMarkComplete() error {
	sub := filepath.Join(db.opts.Dir, compactSub)
	if err := db.copyLive(sub); err != nil {
		return err
	}
	return finishCopy(sub)
}
