package access_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/access"
)

// refIDs are person IDs across the range: the first thousand, random
// ones, and the extremes.
func refIDs() []string {
	var ids []string
	for n := range 1000 {
		ids = append(ids, pid(n))
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		ids = append(ids, pid(int(r.Int64N(9_999_999_999))+1))
	}
	return append(ids, pid(9_999_999_999), fmt.Sprintf("P%d", uint64(math.MaxUint64)))
}

// resolves reports which person ID a reference named, if any: the one
// the service asked the index for.
func resolves(t *testing.T, e *env, ref string) (string, bool) {
	t.Helper()
	before := len(e.idx.read)
	if _, err := e.svc.Person(as("frontline"), ref, ""); !errors.Is(err, resindex.ErrNotFound) {
		t.Fatalf("%q: %v, want not found", ref, err)
	}
	switch len(e.idx.read) - before {
	case 0:
		return "", false
	case 1:
		return e.idx.read[before], true
	}
	t.Fatalf("%q: the index was read %d times", ref, len(e.idx.read)-before)
	return "", false
}

var refForm = regexp.MustCompile(`^[A-Za-z0-9_-]{22}$`)

// A reference reads back as the person ID it was made from, is URL-safe,
// unique, and does not show the ID's number.
func TestRefRoundTrip(t *testing.T) {
	e := newEnv(t, mustDefault(t))
	seen := map[string]string{}
	for _, id := range refIDs() {
		ref := e.svc.Ref(id)
		if !refForm.MatchString(ref) {
			t.Fatalf("%s: reference %q is not 22 URL-safe characters", id, ref)
		}
		if other, dup := seen[ref]; dup && other != id {
			t.Fatalf("%s and %s share the reference %s", id, other, ref)
		}
		seen[ref] = id
		if got, ok := resolves(t, e, ref); !ok || got != id {
			t.Fatalf("%s: reference %s reads back as %q, %v", id, ref, got, ok)
		}
	}
	// The same key makes the same references after a restart.
	again, err := access.New(mustDefault(t), e.idx, e.ov, e.log, access.Options{Key: slices.Clone(testKey)})
	if err != nil {
		t.Fatal(err)
	}
	for ref, id := range seen {
		if again.Ref(id) != ref {
			t.Fatalf("%s: %s after a restart, %s before", id, again.Ref(id), ref)
		}
	}
	// What is not a person ID has no reference.
	for _, id := range []string{"", "P", "X0000000001", "p0000000001", "P-1", "P+1", "P12a", "P 1", "PP1", "P99999999999999999999"} {
		if ref := e.svc.Ref(id); ref != "" {
			t.Errorf("%q has the reference %q", id, ref)
		}
	}
}

// References made with another key name no one.
func TestRefOtherKey(t *testing.T) {
	e := newEnv(t, mustDefault(t))
	for _, key := range [][]byte{bytes.Repeat([]byte{0x5b}, access.KeySize), make([]byte, access.KeySize)} {
		other, err := access.New(mustDefault(t), e.idx, e.ov, &memLog{}, access.Options{Key: key, Now: func() time.Time { return testNow }})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range refIDs() {
			ref := other.Ref(id)
			if ref == e.svc.Ref(id) {
				t.Fatalf("%s: the same reference under two keys", id)
			}
			if got, ok := resolves(t, e, ref); ok {
				t.Fatalf("%s: another key's reference %s names %s", id, ref, got)
			}
		}
	}
	for _, n := range []int{0, 16, 31, 33, 64} {
		if _, err := access.New(mustDefault(t), e.idx, e.ov, e.log, access.Options{Key: make([]byte, n)}); err == nil {
			t.Errorf("a %d-byte key is accepted", n)
		}
	}
}

// Random strings, of a reference's shape or not, name no one.
func TestRefRandomStrings(t *testing.T) {
	e := newEnv(t, mustDefault(t), person(1, rec(srcCT, "C1")))
	r := rand.New(rand.NewPCG(3, 4))
	var refs []string
	for n := range 3000 {
		b := make([]byte, []int{16, 16, 15, 17, 1, 32}[n%6])
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		refs = append(refs, base64.RawURLEncoding.EncodeToString(b), base64.StdEncoding.EncodeToString(b), string(b))
	}
	for _, ref := range refs {
		if got, ok := resolves(t, e, ref); ok {
			t.Fatalf("the random string %q names %s", ref, got)
		}
	}
	if v, err := e.svc.Person(as("frontline"), e.svc.Ref(pid(1)), ""); err != nil || v.Ref != e.svc.Ref(pid(1)) {
		t.Fatalf("the real reference: %+v, %v", v, err)
	}
}
