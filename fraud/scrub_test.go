package fraud

import (
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/store"
)

// TestScrubReviews: the notes of reviews of findings about the erased
// accounts are dropped, outcome, who and when kept; others are untouched.
func TestScrubReviews(t *testing.T) {
	db, err := store.Open(store.Options{Dir: t.TempDir(), GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	gone, kept := resindex.RecordKey{Source: "council_tax", ID: "CT1"}, resindex.RecordKey{Source: "housing", ID: "T9"}
	ids := []string{findingID(SPD, gone), findingID(Subletting, kept)}
	err = db.Update(func(tx resindex.Txn) error {
		for _, id := range ids {
			if err := SaveReview(tx, Review{Finding: id, Outcome: "referred", Note: "spoke to Ann Lee", By: "u", Role: "fraud", At: time.Now()}); err != nil {
				return err
			}
		}
		n, err := ScrubReviews(tx, []resindex.RecordKey{gone, {Source: "parking", ID: "none"}})
		if err == nil && n != 1 {
			t.Errorf("scrubbed %d reviews, want 1", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	db.View(func(tx resindex.Txn) error {
		r, ok, err := GetReview(tx, ids[0])
		if err != nil || !ok || r.Note != "" || r.Outcome != "referred" || r.By != "u" {
			t.Errorf("the erased account's review: %+v %v %v", r, ok, err)
		}
		r, _, _ = GetReview(tx, ids[1])
		if r.Note == "" {
			t.Errorf("another account's review lost its note")
		}
		return nil
	})
}
