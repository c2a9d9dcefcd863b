package store

import badger "github.com/dgraph-io/badger/v4"

// A reader that sends a snapshot over the network (a replica's pull)
// may take minutes. Holding large all that time would stall the store:
// a large change or a compaction waiting for large exclusively makes
// every later reader and writer wait behind it (sync.RWMutex). So such a
// reader holds large only while it opens its transaction, which is all a
// large change needs (the snapshot's version holds all of the change or
// none of it), and holds handle, which only Compact and Close take
// exclusively, for as long as it reads: the Badger handle the snapshot
// reads is never closed under it. A compaction waits for open snapshots
// before it takes large, so it blocks only new snapshots meanwhile.

// snapshot opens a read-only transaction valid until release is called.
func (db *DB) snapshot() (txn *badger.Txn, release func(), err error) {
	db.handle.RLock()
	db.large.RLock()
	if err := db.broken(); err != nil { // a compaction failed meanwhile
		db.large.RUnlock()
		db.handle.RUnlock()
		return nil, nil, err
	}
	if db.closed { // Badger's read of a closed store faults
		db.large.RUnlock()
		db.handle.RUnlock()
		return nil, nil, errClosed
	}
	txn = db.bdb.NewTransaction(false)
	db.large.RUnlock()
	return txn, func() { txn.Discard(); db.handle.RUnlock() }, nil
}
