package resolver

import (
	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

// memMembers is the engine's copy of the record → person assignment (m/
// keys). Nearly every change asks which person each of a few dozen
// records belongs to; the engine is the only writer, so it answers from
// memory. A change stages its edits and publishes them as it commits.
//
// Record and person IDs are interned and the assignment is a slice of
// numbers, so that a million assignments are a few flat arrays rather than
// three million strings for the collector to walk. Each person's records
// are a list threaded through those arrays (head, next), so a change
// finds a person's records without reading the person from the store.
type memMembers struct {
	records *interner // record IDs (layout.RecID)
	persons *interner // person IDs
	// pid is each record's person number plus one (0: none), by record
	// number; next the next record of the same person plus one (0: the
	// last); head each person's first record plus one, by person number.
	pid, next, head []uint32
}

func newMemMembers() *memMembers {
	return &memMembers{records: newInterner(), persons: newInterner()}
}

// loadMembers reads every record's person from the store.
func loadMembers(s Store) (*memMembers, error) {
	mm := newMemMembers()
	err := s.View(func(t resindex.Txn) error {
		return t.Scan([]byte(layout.MemberPrefix), func(key, val []byte) error {
			mm.set(string(key[min(len(key), len(layout.MemberPrefix)):]), string(val))
			return nil
		})
	})
	return mm, err
}

// get returns a record's person ("" if none).
func (mm *memMembers) get(k resindex.RecordKey) string {
	r, ok := mm.records.lookupRecord(k)
	if !ok || int(r) >= len(mm.pid) || mm.pid[r] == 0 {
		return ""
	}
	return mm.persons.str(mm.pid[r] - 1)
}

// each calls fn with every record of a person, in no particular order.
func (mm *memMembers) each(pid string, fn func(rec string)) {
	p, ok := mm.persons.lookup(pid)
	if !ok || int(p) >= len(mm.head) {
		return
	}
	for r := mm.head[p]; r != 0; r = mm.next[r-1] {
		fn(mm.records.str(r - 1))
	}
}

// set assigns a record (by layout.RecID) to a person ("" removes the
// assignment).
func (mm *memMembers) set(rec, pid string) {
	var r uint32
	if pid == "" {
		var ok bool
		if r, ok = mm.records.lookup(rec); !ok {
			return
		}
	} else {
		r = mm.records.intern(rec)
	}
	for int(r) >= len(mm.pid) {
		mm.pid, mm.next = append(mm.pid, 0), append(mm.next, 0)
	}
	var to uint32
	if pid != "" {
		to = mm.persons.intern(pid) + 1
	}
	from := mm.pid[r]
	if from == to {
		return
	}
	if from != 0 {
		mm.unlink(r, from-1)
	}
	if to != 0 {
		for int(to) > len(mm.head) {
			mm.head = append(mm.head, 0)
		}
		mm.next[r], mm.head[to-1] = mm.head[to-1], r+1
	}
	mm.pid[r] = to
}

// unlink takes record r out of person p's list.
func (mm *memMembers) unlink(r, p uint32) {
	at := &mm.head[p]
	for *at != 0 && *at != r+1 {
		at = &mm.next[*at-1]
	}
	if *at != 0 {
		*at = mm.next[r]
	}
	mm.next[r] = 0
}

// publish makes a committed change's assignments the engine's.
func (mm *memMembers) publish(staged map[resindex.RecordKey]string) {
	for k, pid := range staged {
		mm.set(layout.RecID(k), pid)
	}
}

// personOf returns the person a record belongs to ("" if none), as this
// operation sees it.
func (e *reader) personOf(k resindex.RecordKey) string {
	if pid, ok := e.cache.members[k]; ok {
		return pid
	}
	return e.members.get(k)
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
