package resolver

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/matcher"
)

// The store's key layout (documented in store/doc.go) as the engine
// writes it.

func recID(k resindex.RecordKey) string { return k.Source + "\x00" + k.ID }

func parseRecID(s string) resindex.RecordKey {
	src, id, _ := strings.Cut(s, "\x00")
	return resindex.RecordKey{Source: src, ID: id}
}

func recordKey(k resindex.RecordKey) []byte { return []byte("r/" + recID(k)) }
func memberKey(k resindex.RecordKey) []byte { return []byte("m/" + recID(k)) }
func personKey(pid string) []byte           { return []byte("p/" + pid) }
func redirectKey(pid string) []byte         { return []byte("d/" + pid) }
func freqKey(kv matcher.KindValue) []byte   { return []byte("f/" + string(kv.Kind) + kv.Value) }

// edgePrefix starts the candidate pairs of one record; each pair is kept
// under both records.
func edgePrefix(k resindex.RecordKey) []byte { return []byte("e/" + recID(k) + "\x00\x00") }
func edgeKey(a, b resindex.RecordKey) []byte { return append(edgePrefix(a), recID(b)...) }

// blockPrefix starts one block; entries sort by the block's sort key so
// that an oversized block can be windowed like the batch linker does.
func blockPrefix(h uint64) []byte {
	k := make([]byte, 2+8)
	copy(k, "b/")
	binary.BigEndian.PutUint64(k[2:], h)
	return k
}

func blockKey(h uint64, sortKey string, k resindex.RecordKey) []byte {
	return append(append(blockPrefix(h), sortKey+"\x01"...), recID(k)...)
}

// blockMember reads the record key back out of a block entry.
func blockMember(key []byte) resindex.RecordKey {
	rest := key[10:]
	i := strings.IndexByte(string(rest), '\x01')
	return parseRecID(string(rest[i+1:]))
}

var (
	recordsCountKey = []byte("s/records")
	personSeqKey    = []byte("s/person-seq")
)

func getUint(t resindex.Txn, key []byte) (uint64, error) {
	v, err := t.Get(key)
	if errors.Is(err, resindex.ErrNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseUint(string(v), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("resolver: counter %s is corrupt: %w", key, err)
	}
	return n, nil
}

func addUint(t resindex.Txn, key []byte, delta int64) error {
	n, err := getUint(t, key)
	if err != nil {
		return err
	}
	next := int64(n) + delta
	if next <= 0 {
		return t.Delete(key)
	}
	return t.Set(key, []byte(strconv.FormatInt(next, 10)))
}

// loadRecord returns the stored record for a key, if any.
func loadRecord(t resindex.Txn, k resindex.RecordKey) (resindex.Record, bool, error) {
	v, err := t.Get(recordKey(k))
	if errors.Is(err, resindex.ErrNotFound) {
		return resindex.Record{}, false, nil
	}
	if err != nil {
		return resindex.Record{}, false, err
	}
	var r resindex.Record
	if err := json.Unmarshal(v, &r); err != nil {
		return resindex.Record{}, false, fmt.Errorf("resolver: stored record %s is corrupt: %w", k, err)
	}
	return r, true, nil
}

// personOf returns the person a record belongs to ("" if none).
func personOf(t resindex.Txn, k resindex.RecordKey) (string, error) {
	v, err := t.Get(memberKey(k))
	if errors.Is(err, resindex.ErrNotFound) {
		return "", nil
	}
	return string(v), err
}

// person is what the store keeps of a person at this stage: its records.
type person struct {
	Records []string `json:"records"` // record IDs (source NUL id), sorted
}

func loadPerson(t resindex.Txn, pid string) (person, error) {
	var p person
	v, err := t.Get(personKey(pid))
	if errors.Is(err, resindex.ErrNotFound) {
		return p, nil
	}
	if err != nil {
		return p, err
	}
	return p, json.Unmarshal(v, &p)
}

// storeCounts reads term-frequency counts from a transaction. Counts has
// no error return, so the first failure is kept and checked by the caller.
type storeCounts struct {
	t   resindex.Txn
	n   int
	err error
}

func newStoreCounts(t resindex.Txn) (*storeCounts, error) {
	n, err := getUint(t, recordsCountKey)
	return &storeCounts{t: t, n: int(n)}, err
}

func (c *storeCounts) Count(kind byte, value string) uint32 {
	n, err := getUint(c.t, freqKey(matcher.KindValue{Kind: kind, Value: value}))
	if err != nil && c.err == nil {
		c.err = err
	}
	return uint32(n)
}

func (c *storeCounts) Records() int { return c.n }
