package resolver

import (
	"slices"

	"github.com/resindex/resindex"
)

// Latest keeps, for each (source, id), the record with the greatest
// version, and drops records whose latest version is a deletion. Versions
// compare as strings: RFC 3339 times and zero-padded log positions order
// correctly that way. Two records with the same key and version are told
// apart by content (a delete wins), so the choice never depends on input
// order.
func Latest(records []resindex.Record) []resindex.Record {
	best := make(map[resindex.RecordKey]int, len(records))
	for i := range records {
		k := records[i].Key()
		j, ok := best[k]
		if !ok || newer(&records[i], &records[j]) {
			best[k] = i
		}
	}
	out := make([]resindex.Record, 0, len(best))
	for _, i := range best {
		if !records[i].Deleted {
			out = append(out, records[i])
		}
	}
	SortRecords(out)
	return out
}

// newer reports whether a should replace b for the same key.
func newer(a, b *resindex.Record) bool {
	if a.Version != b.Version {
		return a.Version > b.Version
	}
	if a.Deleted != b.Deleted {
		return a.Deleted
	}
	return contentKey(a) > contentKey(b)
}

// contentKey is a cheap order-independent tie-break between two versions
// of a record that claim the same version.
func contentKey(r *resindex.Record) string {
	return r.Name.Given + "\x00" + r.Name.Family + "\x00" + r.DOB + "\x00" + r.LastActivity
}

// SortRecords sorts records by source, then id.
func SortRecords(rs []resindex.Record) {
	slices.SortFunc(rs, func(a, b resindex.Record) int {
		ka, kb := a.Key(), b.Key()
		switch {
		case ka.Less(kb):
			return -1
		case kb.Less(ka):
			return 1
		}
		return 0
	})
}
