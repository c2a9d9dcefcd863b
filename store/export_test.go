package store

// Flatten compacts every level into one, as Badger's own compactions
// eventually do: a deletion with nothing older below it is dropped.
func (db *DB) Flatten() error { return db.bdb.Flatten(1) }
