package main

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/resindex/resindex/store"
)

// writeReplicaDigest writes a digest of every replicated key and value
// (what a read replica copies, store.ReplicatedKeys) and their count: a
// writer's and its replica's stores, both stopped, are equal copies when
// their digests are. It names no key, so it holds no resident data.
func writeReplicaDigest(db *store.DB, w io.Writer) error {
	h := sha256.New()
	n := 0
	err := db.ReplicatedKeys(func(k, v []byte) error {
		n++
		// Lengths first, so that no two different stores hash alike.
		h.Write(binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, uint32(len(k))), uint32(len(v))))
		h.Write(k)
		h.Write(v)
		return nil
	})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%x %d keys\n", h.Sum(nil), n)
	return err
}
