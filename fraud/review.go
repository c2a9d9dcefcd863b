package fraud

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// Outcomes are what an investigator may conclude of a finding.
var Outcomes = []string{"referred", "fraud_confirmed", "no_fraud", "insufficient_evidence"}

// MaxNoteLen bounds a review's note, in characters.
const MaxNoteLen = 2000

// Review is an investigator's outcome for a finding. It is kept by the
// finding's ID, which every run of the checks gives the same account, so
// that a reviewed finding stays reviewed.
type Review struct {
	Finding string    `json:"finding_id"`
	Outcome string    `json:"outcome"`
	Note    string    `json:"note,omitempty"`
	By      string    `json:"by"`
	Role    string    `json:"role"`
	At      time.Time `json:"at"`
}

// Check refuses a review the store cannot keep; errors name the field.
func (r *Review) Check() error {
	if _, ok := KindOfID(r.Finding); !ok {
		return resindex.NewError(resindex.ErrInvalid, "field finding_id: not a finding's ID")
	}
	if field, want := ReviewProblem(r.Outcome, r.Note); field != "" {
		return resindex.NewError(resindex.ErrInvalid, "field "+field+": "+want)
	}
	if r.By == "" {
		return resindex.NewError(resindex.ErrInvalid, "field by: missing")
	}
	return nil
}

// ReviewProblem is what is wrong with an investigator's outcome and note:
// the field and what it wants ("" when nothing is). Every surface that
// takes a review asks it, so that all refuse the same.
func ReviewProblem(outcome, note string) (field, want string) {
	switch {
	case !slices.Contains(Outcomes, outcome):
		return "outcome", "want one of " + strings.Join(Outcomes, ", ")
	case utf8.RuneCountInString(note) > MaxNoteLen:
		return "note", fmt.Sprintf("longer than %d characters", MaxNoteLen)
	}
	return "", ""
}

// SaveReview records a review in a transaction, replacing any earlier.
func SaveReview(t resindex.Txn, r Review) error {
	if err := r.Check(); err != nil {
		return err
	}
	data, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return t.Set(layout.Finding(r.Finding), data)
}

// Reviews reads every review, by finding ID.
func Reviews(t resindex.Txn) (map[string]Review, error) {
	out := map[string]Review{}
	err := t.Scan([]byte(layout.FindingPrefix), func(key, val []byte) error {
		var r Review
		if err := json.Unmarshal(val, &r); err != nil {
			return fmt.Errorf("fraud: the stored review of %s is corrupt", key[len(layout.FindingPrefix):])
		}
		out[r.Finding] = r
		return nil
	})
	return out, err
}

// GetReview reads one finding's review; ok is false when it has none.
func GetReview(t resindex.Txn, id string) (Review, bool, error) {
	v, err := t.Get(layout.Finding(id))
	if errors.Is(err, resindex.ErrNotFound) {
		return Review{}, false, nil
	}
	if err != nil {
		return Review{}, false, err
	}
	var r Review
	if err := json.Unmarshal(v, &r); err != nil {
		return Review{}, false, fmt.Errorf("fraud: the stored review of %s is corrupt", id)
	}
	return r, true, nil
}
