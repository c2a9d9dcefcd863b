package resolver

import (
	"bytes"
	"errors"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// memoTxn is a change's transaction remembering the persons (p/ keys) it
// has read or written: one change reads the same person's membership
// three or four times (its records, its household before the change, the
// person as it rewrites it, why it moved), and each read is a search of
// Badger's tree. Writes go through it, so what it remembers is what the
// transaction holds.
type memoTxn struct {
	resindex.Txn
	persons map[string]memoValue
}

// memoValue is a remembered value; !found: the key is not there.
type memoValue struct {
	val   []byte
	found bool
}

func newMemoTxn(t resindex.Txn) *memoTxn {
	return &memoTxn{Txn: t, persons: map[string]memoValue{}}
}

// remembered reports whether a key is one memoTxn remembers.
func remembered(key []byte) bool { return bytes.HasPrefix(key, []byte(layout.PersonPrefix)) }

func (m *memoTxn) Get(key []byte) ([]byte, error) {
	if !remembered(key) {
		return m.Txn.Get(key)
	}
	if v, ok := m.persons[string(key)]; ok {
		if !v.found {
			return nil, resindex.ErrNotFound
		}
		return v.val, nil
	}
	v, err := m.Txn.Get(key)
	switch {
	case err == nil:
		m.persons[string(key)] = memoValue{val: v, found: true}
	case errors.Is(err, resindex.ErrNotFound):
		m.persons[string(key)] = memoValue{}
	}
	return v, err
}

func (m *memoTxn) Set(key, val []byte) error {
	if err := m.Txn.Set(key, val); err != nil {
		delete(m.persons, string(key))
		return err
	}
	if remembered(key) {
		m.persons[string(key)] = memoValue{val: bytes.Clone(val), found: true}
	}
	return nil
}

func (m *memoTxn) Delete(key []byte) error {
	if err := m.Txn.Delete(key); err != nil {
		delete(m.persons, string(key))
		return err
	}
	if remembered(key) {
		m.persons[string(key)] = memoValue{}
	}
	return nil
}

// feedOf is the change's feed-keeping transaction under a memoTxn, if any.
func feedOf(t resindex.Txn) (*feedTxn, bool) {
	if m, ok := t.(*memoTxn); ok {
		t = m.Txn
	}
	f, ok := t.(*feedTxn)
	return f, ok
}
