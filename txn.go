package resindex

// Txn is one transaction on the index's key-value store: every read sees
// one snapshot and every write commits together or not at all. The store
// package implements it on Badger; the resolver uses it without knowing
// Badger.
type Txn interface {
	// Get returns the value at key, or ErrNotFound.
	Get(key []byte) ([]byte, error)
	Set(key, val []byte) error
	// Delete removes a key; a missing key is not an error.
	Delete(key []byte) error
	// Scan calls fn for each key with the prefix, in key order; the slices
	// are valid only during the call.
	Scan(prefix []byte, fn func(key, val []byte) error) error
	// ScanKeys is Scan without the values.
	ScanKeys(prefix []byte, fn func(key []byte) error) error
	// ScanKeysFrom is ScanKeys from the first key at or after from.
	ScanKeysFrom(prefix, from []byte, fn func(key []byte) error) error
	// Emit appends an entry to the change feed (outbox) and returns its
	// sequence number.
	Emit(payload []byte) (uint64, error)
}

// Position is where in a source a change came from: a Kafka topic,
// partition and offset, or an extract file and line.
type Position struct {
	Stream string // e.g. "kafka:council_tax/0" or "file:council_tax.ndjson"
	Offset int64
}
