package fraud

import (
	"encoding/json"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// ScrubReviews drops the note of every review of a finding about one of
// the accounts (a finding's ID is derived from its check and account), in
// a transaction: a note may describe the residents, and erasure keeps
// only the outcome, who and when. The account's record is purged with
// the erasure, so the finding itself never comes back. It returns how
// many reviews it changed. A finding about another account that names
// the erased person among its residents is re-derived without them on
// the next run of the checks; its review's note, written by an
// investigator, cannot be told to mention them and is kept.
func ScrubReviews(t resindex.Txn, accounts []resindex.RecordKey) (int, error) {
	n := 0
	for _, acc := range accounts {
		for _, k := range []Kind{Subletting, SPD} {
			r, ok, err := GetReview(t, findingID(k, acc))
			if err != nil {
				return n, err
			}
			if !ok || r.Note == "" {
				continue
			}
			r.Note = ""
			data, err := json.Marshal(r)
			if err != nil {
				return n, err
			}
			if err := t.Set(layout.Finding(r.Finding), data); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}
