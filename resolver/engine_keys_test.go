package resolver

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/layout"
)

func TestIDsRoundTrip(t *testing.T) {
	for _, ids := range [][]string{{}, {"council_tax\x00A1"}, {"a\x00" + string(make([]byte, 300)), "b\x001", ""}} {
		got, err := layout.DecodeStrings(layout.EncodeStrings(ids))
		if err != nil || !slices.Equal(got, ids) {
			t.Errorf("%q: got %q, %v", ids, got, err)
		}
	}
}

func TestDecodeIDsMalformed(t *testing.T) {
	for name, b := range map[string][]byte{
		"overrun":    {5, 'a'},
		"bad varint": {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
		"huge":       {0xff, 0xff, 0xff, 0xff, 0x0f, 'a'},
	} {
		if _, err := layout.DecodeStrings(b); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func FuzzDecodeIDs(f *testing.F) {
	f.Add(layout.EncodeStrings([]string{"s\x00a", "s\x00b"}))
	f.Fuzz(func(t *testing.T, b []byte) {
		ids, err := layout.DecodeStrings(b)
		if err != nil {
			return
		}
		// The bytes may spell a length in more bytes than needed; the IDs
		// must survive encoding again all the same.
		again, err := layout.DecodeStrings(layout.EncodeStrings(ids))
		if err != nil || !slices.Equal(again, ids) {
			t.Fatalf("IDs changed by encoding them again: %q, %q, %v", ids, again, err)
		}
	})
}

// redirectFailsTxn fails reads of redirects with an I/O error and finds
// every other key.
type redirectFailsTxn struct{ resindex.Txn }

var errDisk = errors.New("disk gone")

func (redirectFailsTxn) Get(key []byte) ([]byte, error) {
	if bytes.Equal(key, layout.Redirect("P1")) {
		return nil, errDisk
	}
	return []byte("x"), nil
}

// TestFollowRedirectsReportsReadErrors: a failed read of a redirect is an
// error, not "no redirect" (which would read the merged-away person).
func TestFollowRedirectsReportsReadErrors(t *testing.T) {
	if _, err := followRedirects(redirectFailsTxn{}, "P1"); !errors.Is(err, errDisk) {
		t.Fatalf("err = %v, want the read error", err)
	}
}
