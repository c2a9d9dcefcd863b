package store

import (
	"bytes"
	"testing"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/pb"
	"github.com/dgraph-io/ristretto/v2/z"
)

// appendKV writes what Badger's own encoding of a pb.KV writes.
func TestAppendKV(t *testing.T) {
	for _, kv := range []*pb.KV{
		{Key: []byte("b/\\x00\\x01key"), Version: 7, StreamId: 2},
		{Key: []byte("r/council_tax\\x00123"), Value: bytes.Repeat([]byte("v"), 300), Version: 1 << 40, StreamId: 3},
		{Key: []byte("k"), Value: []byte{0}, Version: 1, StreamId: 1},
	} {
		want, got := z.NewBuffer(1<<10, "test"), z.NewBuffer(1<<10, "test")
		badger.KVToBuffer(kv, want)
		appendKV(got, kv.Key, kv.Value, kv.Version, kv.StreamId)
		if !bytes.Equal(want.Bytes(), got.Bytes()) {
			t.Errorf("%q: appendKV wrote %x, Badger %x", kv.Key, got.Bytes(), want.Bytes())
		}
		want.Release()
		got.Release()
	}
}
