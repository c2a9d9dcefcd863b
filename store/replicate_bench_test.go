package store_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/resindex/resindex/store"
)

// pull streams a writer's changes since a position through the wire
// format into a replica in batches of a replica's size, as the
// replication endpoint and a replica do, and returns the next position
// and the bytes sent.
func pull(tb testing.TB, w, r *store.DB, since uint64) (uint64, int) {
	tb.Helper()
	changes, upTo, sent := throughWire(tb, w, since)
	const batch = 20000 // cmd/resindex's pull batch
	for len(changes) > batch {
		if err := r.ApplyReplicated(changes[:batch], nil, nil, nil); err != nil {
			tb.Fatal(err)
		}
		changes = changes[batch:]
	}
	if err := r.ApplyReplicated(changes, &store.ReplicaPos{Next: upTo + 1}, nil, nil); err != nil {
		tb.Fatal(err)
	}
	return upTo + 1, sent
}

// BenchmarkReplicationPull: a replica's whole first copy of a writer
// holding 200,000 record-sized keys, and a pull of 1,000 keys changed
// since, each through the wire format into a store on disk.
//
//	go test ./store -run NONE -bench ReplicationPull -benchtime 3x
func BenchmarkReplicationPull(b *testing.B) {
	w := MustOpen(b, store.Options{GCInterval: -1})
	val := bytes.Repeat([]byte("Quennell-Ambrose "), 12)
	err := w.Chunked(func(cw *store.Writer) error {
		for i := range 200000 {
			if err := cw.Set(fmt.Appendf(nil, "r/s\x00%07d", i), val); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("whole-copy-200k", func(b *testing.B) {
		for b.Loop() {
			r := MustOpen(b, store.Options{GCInterval: -1})
			_, sent := pull(b, w, r, 0)
			b.SetBytes(int64(sent))
		}
	})
	r := MustOpen(b, store.Options{GCInterval: -1})
	since, _ := pull(b, w, r, 0)
	b.Run("changed-1k", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			err := w.Chunked(func(cw *store.Writer) error {
				for k := range 1000 {
					if err := cw.Set(fmt.Appendf(nil, "r/s\x00%07d", (i*1000+k)%200000), fmt.Appendf(nil, "v%d", i)); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			var sent int
			since, sent = pull(b, w, r, since)
			b.SetBytes(int64(sent))
		}
	})
}
