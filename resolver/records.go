package resolver

import (
	"bytes"
	"encoding/json"
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
	var ls LatestSet
	for i := range records {
		ls.Add(records[i])
	}
	return ls.Records()
}

// LatestSet keeps the newest version of each record as versions stream in,
// so that a long timeline never has to be held in memory whole.
type LatestSet struct {
	index map[resindex.RecordKey]int
	recs  []resindex.Record
}

// Add offers one version of a record.
func (ls *LatestSet) Add(r resindex.Record) {
	if ls.index == nil {
		ls.index = map[resindex.RecordKey]int{}
	}
	k := r.Key()
	i, ok := ls.index[k]
	switch {
	case !ok:
		ls.index[k] = len(ls.recs)
		ls.recs = append(ls.recs, r)
	case newer(&r, &ls.recs[i]):
		ls.recs[i] = r
	}
}

// Records returns the live records (latest version not a deletion), sorted
// by key. The set should not be used afterwards.
func (ls *LatestSet) Records() []resindex.Record {
	out := ls.recs[:0]
	for _, r := range ls.recs {
		if !r.Deleted {
			out = append(out, r)
		}
	}
	ls.recs, ls.index = nil, nil
	SortRecords(out)
	return out
}

// newer reports whether a should replace b for the same key.
func newer(a, b *resindex.Record) bool {
	if c := resindex.CompareVersions(a.Version, b.Version); c != 0 {
		return c > 0
	}
	if a.Deleted != b.Deleted {
		return a.Deleted
	}
	return bytes.Compare(contentKey(a), contentKey(b)) > 0
}

// contentKey orders two versions of a record that claim the same version
// by their whole content, so that which one wins never depends on the
// order they arrive in. Ties are rare, so the cost of encoding is too.
func contentKey(r *resindex.Record) []byte {
	b, err := json.Marshal(r)
	if err != nil {
		return nil // a Record always encodes
	}
	return b
}

// SortRecords sorts records by source, then id. Records read by
// LatestLines come sorted, and a sort of a million large records costs
// seconds even then, so sorted input is only checked.
func SortRecords(rs []resindex.Record) {
	for i := 1; i < len(rs); i++ {
		if rs[i].Key().Less(rs[i-1].Key()) {
			slices.SortFunc(rs, func(a, b resindex.Record) int { return a.Key().Compare(b.Key()) })
			return
		}
	}
}
