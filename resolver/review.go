package resolver

import (
	"bytes"
	"errors"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
	"github.com/resindex/resindex/matcher"
)

// The review queue holds pairs of records, kept by different persons,
// whose weight fell in the review band when they were compared (w/ keys).
// It is written where pairs are scored, by a change or the bulk load, and
// read through Candidates, which drops pairs that have since been linked,
// deleted, decided by a steward or re-scored out of the band: the queue
// may hold stale pairs, never show them.

// queueForReview keeps a scored pair in the queue when its weight is in
// the review band.
func (e *change) queueForReview(t resindex.Txn, a, b resindex.RecordKey, s matcher.Score) error {
	m := e.opts.Model
	if s.Conflict || s.Weight < m.ReviewThreshold || s.Weight >= m.LinkThreshold {
		return nil
	}
	e.cache.queued = true
	return t.Set(layout.Review(a, b), nil)
}

var errPageFull = errors.New("page full")

// Candidates lists up to n possible matches for a data steward, in key
// order after the cursor (an empty cursor starts at the beginning), with
// the cursor to pass for the next page ("" when there is none).
func (e *Engine) Candidates(after string, n int) ([]resindex.Candidate, string, error) {
	var out []resindex.Candidate
	last, next := "", ""
	err := e.read(func(o *reader, t resindex.Txn) error {
		return t.ScanKeysFrom([]byte(layout.ReviewPrefix), []byte(after), func(key []byte) error {
			if after != "" && bytes.Equal(key, []byte(after)) {
				return nil // the last of the page before
			}
			if len(out) == n {
				next = last
				return errPageFull
			}
			c, ok, err := o.candidate(t, key)
			if ok {
				out, last = append(out, c), string(key)
			}
			return err
		})
	})
	if errors.Is(err, errPageFull) {
		err = nil
	}
	return out, next, err
}

// candidate checks one queued pair: both records live, held by different
// persons, undecided by a steward, and still in the review band.
func (e *reader) candidate(t resindex.Txn, key []byte) (resindex.Candidate, bool, error) {
	ka, kb, ok := layout.ParsePair(key)
	if !ok {
		return resindex.Candidate{}, false, nil
	}
	pa, pb := e.personOf(ka), e.personOf(kb)
	if _, decided := e.overrideOf(ka, kb); decided || pa == "" || pb == "" || pa == pb {
		return resindex.Candidate{}, false, nil
	}
	ps, err := e.profiles(t, []resindex.RecordKey{ka, kb})
	if err != nil {
		return resindex.Candidate{}, false, err
	}
	l := e.explainPair(ps[0], ps[1])
	if l.Decision != matcher.DecisionReview {
		return resindex.Candidate{}, false, nil
	}
	return resindex.Candidate{Link: l, PersonA: pa, PersonB: pb}, true, nil
}
