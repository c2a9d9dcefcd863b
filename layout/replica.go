package layout

import "bytes"

// KeyChange is a key's newest state in a writer's store, as a read
// replica copies it: its value, or Deleted when the key is gone.
type KeyChange struct {
	Key     []byte
	Value   []byte
	Deleted bool
}

// ownPrefixes are the kinds of key each process keeps for itself, never
// copied from a writer to a read replica: the audit chain (each process
// chains its own reads), a large change's journal (transient), the
// change-feed readers' cursors (the writer's publisher's), held dead
// letters and webhook deliveries still to make (the writer's to send).
var ownPrefixes = []string{AuditPrefix, JournalPrefix, cursorPrefix, DeadLetterPrefix, DeliveryPrefix, DeletedPrefix}

// ownKeys are the singletons each process keeps for itself.
var ownKeys = [][]byte{AuditHead, JournalDone, StoreID, ReplicaSince, KeepDeleted, Horizon, Generation, BackupEnd}

// Replicated reports whether a key is copied from a writer to its read
// replicas: every key but those each process keeps for itself.
func Replicated(key []byte) bool {
	for _, p := range ownPrefixes {
		if bytes.HasPrefix(key, []byte(p)) {
			return false
		}
	}
	for _, k := range ownKeys {
		if bytes.Equal(key, k) {
			return false
		}
	}
	return true
}

// Deleted is the mark a writer keeps of a deleted replicated key: Badger
// forgets a deletion once it compacts it away (a restart is enough), and
// a replica that had not copied it by then would keep the key for ever.
func Deleted(key []byte) []byte { return append([]byte(DeletedPrefix), key...) }
