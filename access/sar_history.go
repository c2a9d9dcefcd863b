package access

import (
	"encoding/json"
	"fmt"

	"github.com/resindex/resindex"
)

// ChangeFeed is the change feed (the store's outbox) a subject access
// report reads a person's household history from.
type ChangeFeed interface {
	Outbox(after uint64, limit int, fn func(seq uint64, payload []byte) error) error
}

// SARMove is one change of household the change feed records for the
// person: joined or left a household (a property key, the person's own
// address), why, and the record that showed it. The feed is trimmed once
// every reader has it, so the history goes back only as far as it holds.
type SARMove struct {
	Seq       uint64               `json:"seq"`
	Person    string               `json:"person"`
	Type      string               `json:"type"`
	Household string               `json:"household"`
	Why       string               `json:"why,omitempty"`
	Evidence  *resindex.Provenance `json:"evidence,omitempty"`
}

// sarMoves reads the feed for the household changes of the persons (by
// ID, or by an ID since merged into one of them), in order; nil without a
// feed.
func (s *Service) sarMoves(ids map[string]bool) ([]SARMove, error) {
	out := []SARMove{}
	if s.opts.Changes == nil {
		return out, nil
	}
	merged := map[string]string{} // merged-away ID → the person it went into
	var moves []SARMove
	err := s.opts.Changes.Outbox(0, 0, func(seq uint64, payload []byte) error {
		var c resindex.Change
		if err := json.Unmarshal(payload, &c); err != nil {
			return fmt.Errorf("change %d: %w", seq, err)
		}
		switch c.Type {
		case resindex.ChangePersonMerged:
			merged[c.From] = c.Person
		case resindex.ChangeHouseholdJoined, resindex.ChangeHouseholdLeft:
			moves = append(moves, SARMove{Seq: seq, Person: c.Person, Type: string(c.Type), Household: c.Household, Why: c.Why, Evidence: c.Evidence})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("access: subject access: the change feed: %w", err)
	}
	for _, m := range moves {
		if pid := followMerges(m.Person, merged); ids[pid] {
			m.Person = s.refs.ref(pid)
			out = append(out, m)
		}
	}
	return out, nil
}

// followMerges follows merges from an ID to the person that holds it now.
func followMerges(pid string, merged map[string]string) string {
	for hops := 0; hops < 16; hops++ {
		next, ok := merged[pid]
		if !ok {
			break
		}
		pid = next
	}
	return pid
}
