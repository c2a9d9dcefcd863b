package store

import (
	"testing"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// TestShortLivedKeysHaveKnownKinds: the keys that live only for a moment
// (a dead letter held until published, the journal of a large change and
// its completion mark) are of kinds the layout declares, in the shapes it
// declares; the walk of a populated store (cmd/resindex) seldom meets
// them.
func TestShortLivedKeysHaveKnownKinds(t *testing.T) {
	db := openSmall(t, t.TempDir())
	defer db.Close()
	if err := db.HoldDeadLetter(Position{Stream: "kafka:council_tax/1", Offset: 42}, []byte("{not json")); err != nil {
		t.Fatal(err)
	}
	rec := resindex.RecordKey{Source: "council_tax", ID: "CT-1"}
	if err := db.writeJournal(overlay{string(layout.Record(rec)): []byte("v"), string(layout.Member(rec)): nil}); err != nil {
		t.Fatal(err)
	}
	if err := db.bdb.Update(func(t *badger.Txn) error { return t.Set(layout.JournalDone, nil) }); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	err := db.bdb.View(func(tx *badger.Txn) error {
		it := tx.NewIterator(badger.IteratorOptions{})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			key := it.Item().KeyCopy(nil)
			if err := layout.Check(key); err != nil {
				t.Error(err)
				continue
			}
			k, _ := layout.KindOf(key)
			seen[k.Prefix] = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{layout.DeadLetterPrefix, layout.JournalPrefix, layout.SingletonPrefix, layout.PositionPrefix} {
		if !seen[want] {
			t.Errorf("no %s key: the test no longer makes one", want)
		}
	}
}
