package access

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// TxnStore is a store read and written in transactions (the index's
// store): where restrictions and objections are kept.
type TxnStore interface {
	View(fn func(resindex.Txn) error) error
	Update(fn func(resindex.Txn) error) error
}

// Mark is one exercise of a right: when, by whom, in what role and why.
type Mark struct {
	At     time.Time `json:"at"`
	By     string    `json:"by"`
	Role   string    `json:"role"`
	Reason string    `json:"reason"`
}

// RightsState is what a person has asked of the index: processing
// restricted (UK GDPR art. 18), an objection to profiling (art. 21).
// Either is nil when not in force. Its history is the audit log's.
type RightsState struct {
	Restriction *Mark `json:"restriction,omitempty"`
	Objection   *Mark `json:"objection,omitempty"`
}

// empty reports a state with nothing in force: its key is deleted.
func (st RightsState) empty() bool { return st.Restriction == nil && st.Objection == nil }

// The kinds of right a Mark is recorded for.
const (
	RightRestriction = "restriction"
	RightObjection   = "objection"
)

// MaxRightsReason bounds the reason given for a restriction or objection.
const MaxRightsReason = 500

// CheckRightsReason refuses an empty or overlong reason, naming the
// field, never quoting it.
func CheckRightsReason(reason string) error {
	switch {
	case strings.TrimSpace(reason) == "":
		return &InputError{"reason", "a restriction or objection, and its end, needs a reason"}
	case utf8.RuneCountInString(reason) > MaxRightsReason:
		return &InputError{"reason", fmt.Sprintf("longer than %d characters", MaxRightsReason)}
	case !utf8.ValidString(reason):
		return &InputError{"reason", "not UTF-8 text"}
	}
	return nil
}

// loadRights reads the state recorded on exactly one person ID.
func loadRights(t resindex.Txn, pid string) (RightsState, error) {
	v, err := t.Get(layout.Rights(pid))
	if errors.Is(err, resindex.ErrNotFound) {
		return RightsState{}, nil
	}
	if err != nil {
		return RightsState{}, fmt.Errorf("access: read the rights of %s: %w", pid, err)
	}
	var st RightsState
	if err := json.Unmarshal(v, &st); err != nil {
		return RightsState{}, fmt.Errorf("access: the stored rights of %s are corrupt: %w", pid, err)
	}
	return st, nil
}

// saveRights records the state on a person ID; nothing in force deletes it.
func saveRights(t resindex.Txn, pid string, st RightsState) error {
	if st.empty() {
		return t.Delete(layout.Rights(pid))
	}
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	return t.Set(layout.Rights(pid), data)
}

// survivor is the person a (possibly merged-away) ID now names, by the
// resolver's redirects; an ID with no redirect names itself.
func survivor(t resindex.Txn, pid string) (string, error) {
	for hops := 0; hops < 16; hops++ { // redirects never chain far
		next, err := t.Get(layout.Redirect(pid))
		if errors.Is(err, resindex.ErrNotFound) {
			return pid, nil
		}
		if err != nil {
			return "", fmt.Errorf("access: follow the redirect of %s: %w", pid, err)
		}
		pid = string(next)
	}
	return "", fmt.Errorf("access: the redirects from %s do not end: %w", pid, resindex.ErrInternal)
}

// recorded calls fn with each person ID a state is recorded on, the
// person it now names, and the state.
func recorded(t resindex.Txn, fn func(on, now string, st RightsState) error) error {
	type entry struct {
		on string
		st RightsState
	}
	var all []entry
	err := t.Scan([]byte(layout.RightsPrefix), func(key, val []byte) error {
		on := string(key[len(layout.RightsPrefix):])
		var st RightsState
		if err := json.Unmarshal(val, &st); err != nil {
			return fmt.Errorf("access: the stored rights of %s are corrupt: %w", on, err)
		}
		all = append(all, entry{on, st})
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range all {
		now, err := survivor(t, e.on)
		if err != nil {
			return err
		}
		if err := fn(e.on, now, e.st); err != nil {
			return err
		}
	}
	return nil
}

// RightsSets are the persons, by their current IDs, who are restricted
// and who object to profiling.
type RightsSets struct {
	Restricted map[string]bool
	Objecting  map[string]bool
}

// LeftOut reports a person left out of fraud checks and analytics
// exports: restricted, or objecting to profiling.
func (rs RightsSets) LeftOut(pid string) bool { return rs.Restricted[pid] || rs.Objecting[pid] }

// ReadRightsSets reads who is restricted and who objects, following
// merges: a right recorded on an ID that now redirects holds for the
// person it redirects to. Few persons exercise these rights, so this is
// a short scan.
func ReadRightsSets(t resindex.Txn) (RightsSets, error) {
	rs := RightsSets{Restricted: map[string]bool{}, Objecting: map[string]bool{}}
	err := recorded(t, func(_, now string, st RightsState) error {
		if st.Restriction != nil {
			rs.Restricted[now] = true
		}
		if st.Objection != nil {
			rs.Objecting[now] = true
		}
		return nil
	})
	return rs, err
}

// LoadRightsSets is ReadRightsSets in a transaction of its own.
func LoadRightsSets(st TxnStore) (RightsSets, error) {
	var rs RightsSets
	err := st.View(func(t resindex.Txn) (err error) {
		rs, err = ReadRightsSets(t)
		return err
	})
	return rs, err
}

// RestrictedIn reports whether a person (by current ID) is restricted, in
// a transaction: the safeguarding rule asks it of each adult and child it
// weighs.
func RestrictedIn(t resindex.Txn, pid string) (bool, error) {
	rs, err := ReadRightsSets(t)
	return rs.Restricted[pid], err
}

// PersonRights is the state in force for a person (by current ID),
// gathered from every ID it was recorded on: the earliest mark of each
// right stands.
func PersonRights(t resindex.Txn, pid string) (RightsState, error) {
	var out RightsState
	err := recorded(t, func(_, now string, st RightsState) error {
		if now == pid {
			out.Restriction = earlier(out.Restriction, st.Restriction)
			out.Objection = earlier(out.Objection, st.Objection)
		}
		return nil
	})
	return out, err
}

func earlier(a, b *Mark) *Mark {
	if a == nil || (b != nil && b.At.Before(a.At)) {
		return b
	}
	return a
}

// SetRight puts a right in force for a person (by current ID), or ends it
// (m nil) on every ID it was recorded on, and returns the state in force
// after. Putting in force a right already in force keeps the first mark.
func SetRight(t resindex.Txn, pid, right string, m *Mark) (RightsState, error) {
	if right != RightRestriction && right != RightObjection {
		return RightsState{}, fmt.Errorf("access: no right %q", right)
	}
	if m == nil {
		err := recorded(t, func(on, now string, st RightsState) error {
			if now != pid || getMark(st, right) == nil {
				return nil
			}
			setMark(&st, right, nil)
			return saveRights(t, on, st)
		})
		if err != nil {
			return RightsState{}, err
		}
		return PersonRights(t, pid)
	}
	cur, err := PersonRights(t, pid)
	if err != nil {
		return cur, err
	}
	if getMark(cur, right) != nil {
		return cur, nil
	}
	own, err := loadRights(t, pid)
	if err != nil {
		return cur, err
	}
	setMark(&own, right, m)
	if err := saveRights(t, pid, own); err != nil {
		return cur, err
	}
	setMark(&cur, right, m)
	return cur, nil
}

func setMark(st *RightsState, right string, m *Mark) {
	if right == RightRestriction {
		st.Restriction = m
	} else {
		st.Objection = m
	}
}

func getMark(st RightsState, right string) *Mark {
	if right == RightRestriction {
		return st.Restriction
	}
	return st.Objection
}
