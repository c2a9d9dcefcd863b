package resolver

import (
	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// memMembers is the engine's copy of the record → person assignment (m/
// keys). Nearly every change asks which person each of a few dozen
// records belongs to; the engine is the only writer, so it answers from
// memory. A change stages its edits and publishes them as it commits.
type memMembers struct {
	m map[resindex.RecordKey]string
}

// loadMembers reads every record's person from the store.
func loadMembers(s Store) (*memMembers, error) {
	mm := &memMembers{m: map[resindex.RecordKey]string{}}
	err := s.View(func(t resindex.Txn) error {
		return t.Scan([]byte(layout.MemberPrefix), func(key, val []byte) error {
			mm.m[layout.RecordOf(key)] = string(val)
			return nil
		})
	})
	return mm, err
}

// personOf returns the person a record belongs to ("" if none), as this
// operation sees it.
func (e *reader) personOf(k resindex.RecordKey) string {
	if pid, ok := e.cache.members[k]; ok {
		return pid
	}
	return e.members.m[k]
}

// setMember assigns a record to a person ("" removes the assignment), in
// the store and in the change's staged edits.
func (e *change) setMember(t resindex.Txn, k resindex.RecordKey, pid string) error {
	var err error
	if pid == "" {
		err = t.Delete(layout.Member(k))
	} else {
		err = t.Set(layout.Member(k), []byte(pid))
	}
	if err != nil {
		return err
	}
	e.cache.members[k] = pid
	return nil
}
