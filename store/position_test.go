package store

import (
	"bytes"
	"testing"
)

// TestReplicaPositionEncoding: positions round-trip (an old one without
// a generation too); a corrupt one is refused, never half read.
func TestReplicaPositionEncoding(t *testing.T) {
	for _, p := range []ReplicaPos{
		{Next: 7},
		{Next: 7, Generation: "ab12"},
		{Generation: "ab12", Copy: &CopyProgress{UpTo: 9, Before: 3, After: []byte("r/k\x00 two")}},
		{Next: 7, Generation: "ab12", Compact: true},
		{Generation: "ab12", Copy: &CopyProgress{UpTo: 9, Before: 3, After: []byte("r")}, Compact: true},
		{Generation: "ab12", Copy: &CopyProgress{UpTo: 9, Before: 3, After: []byte("r")}, Compact: true, Held: true},
	} {
		got, err := decodePosition(p.encode())
		if err != nil || got.Next != p.Next || got.Generation != p.Generation || (got.Copy == nil) != (p.Copy == nil) || got.Compact != p.Compact || got.Held != p.Held ||
			(p.Copy != nil && (got.Copy.UpTo != p.Copy.UpTo || got.Copy.Before != p.Copy.Before || !bytes.Equal(got.Copy.After, p.Copy.After))) {
			t.Errorf("%+v read back as %+v, %v", p, got, err)
		}
	}
	for _, bad := range []string{"", "x", "-1", "7 g 1", "7 g 1 2", "0 g 1 2 zz", "0 g x 2 6b", "0 g 1 2 ", "1 2 3 4 5 6", "0 g 1 2 6b 7", "7 g 1 compact", "0 g 1 2 compact", "0 g 1 2 6b held 7", "0 g held 1 2 6b"} {
		if p, err := decodePosition([]byte(bad)); err == nil {
			t.Errorf("%q read as %+v", bad, p)
		}
	}
}

// FuzzReplicaPosition: any stored value reads as a position or an error;
// a position read back encodes to one that reads the same.
func FuzzReplicaPosition(f *testing.F) {
	f.Add([]byte("7"))
	f.Add([]byte("7 ab12"))
	f.Add([]byte("0 ab12 9 3 722f6b"))
	f.Add([]byte("0 ab12 9 3 722f6b compact"))
	f.Add([]byte("7 ab12 compact"))
	f.Add([]byte("0 ab12 9 3 722f6b held compact"))
	f.Fuzz(func(t *testing.T, v []byte) {
		p, err := decodePosition(v)
		if err != nil {
			return
		}
		again, err := decodePosition(p.encode())
		if err != nil || again.Next != p.Next || again.Generation != p.Generation || (again.Copy == nil) != (p.Copy == nil) || again.Compact != p.Compact || again.Held != p.Held {
			t.Fatalf("%q: %+v encodes to %q, read back as %+v, %v", v, p, p.encode(), again, err)
		}
	})
}
