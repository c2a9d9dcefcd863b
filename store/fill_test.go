package store_test

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/store"
)

// fillRun puts n keys under a/ and n under z/, in order, with values.
func fillRun(n int) func(put func(k, v []byte) error) error {
	return func(put func(k, v []byte) error) error {
		for _, p := range []string{"a/", "z/"} {
			for i := range n {
				if err := put(fmt.Appendf(nil, "%s%08d", p, i), fmt.Appendf(nil, "v%d", i)); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

func fillGet(t *testing.T, db *store.DB, k string) (string, bool) {
	t.Helper()
	var v []byte
	found := true
	err := db.View(func(tx resindex.Txn) error {
		var err error
		v, err = tx.Get([]byte(k))
		if err == resindex.ErrNotFound {
			found = false
			return nil
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return string(v), found
}

// A fill replaces the keys under its prefixes, keeps the others, writes
// its head and its run, and leaves a store that takes transactions
// (newer than the fill's keys) and opens again with all of it.
func TestFill(t *testing.T) {
	dir := t.TempDir()
	db := MustOpen(t, store.Options{Dir: dir, GCInterval: -1})
	mustSet(t, db, "m/kept", "k")
	mustSet(t, db, "a/gone", "old")
	mustSet(t, db, "m/mark", "old")
	head := map[string][]byte{"m/mark": []byte("filling"), "m/count": []byte("200000")}
	if err := db.Fill([]string{"a/", "z/"}, head, fillRun(100_000)); err != nil {
		t.Fatal(err)
	}
	mustSet(t, db, "a/00000007", "after")
	check := func(db *store.DB) {
		t.Helper()
		for k, want := range map[string]string{"m/kept": "k", "m/mark": "filling", "m/count": "200000",
			"a/00000000": "v0", "a/00099999": "v99999", "z/00050000": "v50000", "a/00000007": "after"} {
			if v, ok := fillGet(t, db, k); !ok || v != want {
				t.Errorf("%s = %q (found %v), want %q", k, v, ok, want)
			}
		}
		if _, ok := fillGet(t, db, "a/gone"); ok {
			t.Error("a key under a replaced prefix survived the fill")
		}
		n := 0
		if err := db.View(func(tx resindex.Txn) error {
			return tx.ScanKeys([]byte("z/"), func([]byte) error { n++; return nil })
		}); err != nil || n != 100_000 {
			t.Errorf("z/ holds %d keys (%v), want 100000", n, err)
		}
	}
	check(db)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	check(MustOpen(t, store.Options{Dir: dir, GCInterval: -1}))
}

// A fill whose run fails part way (keys out of order, a key in the head's
// range) leaves the head in the store, which takes the same fill again.
func TestFillFailsAndAgain(t *testing.T) {
	db := MustOpen(t, store.Options{GCInterval: -1})
	head := map[string][]byte{"m/mark": []byte("filling")}
	bad := map[string]func(put func(k, v []byte) error) error{
		"out of order": func(put func(k, v []byte) error) error {
			if err := put([]byte("a/2"), nil); err != nil {
				return err
			}
			return put([]byte("a/1"), nil)
		},
		"in the head's range": func(put func(k, v []byte) error) error { return put([]byte("m/mark"), nil) },
	}
	for name, run := range bad {
		if err := db.Fill([]string{"a/", "z/"}, head, run); err == nil {
			t.Errorf("%s: no error", name)
		}
		if v, ok := fillGet(t, db, "m/mark"); !ok || v != "filling" {
			t.Errorf("%s: the head after a failed fill: %q %v", name, v, ok)
		}
	}
	if err := db.Fill([]string{"a/", "z/"}, head, fillRun(1000)); err != nil {
		t.Fatal(err)
	}
	if v, _ := fillGet(t, db, "z/00000999"); v != "v999" {
		t.Errorf("z/00000999 = %q after filling again", v)
	}
	mustSet(t, db, "m/after", "x")
	if v, _ := fillGet(t, db, "m/after"); v != "x" {
		t.Error("no write after the fill")
	}
}

// A store holding more than a new store's few keys outside the fill's
// prefixes is refused, and left as it was.
func TestFillRefusesAStoreInUse(t *testing.T) {
	db := MustOpen(t, store.Options{GCInterval: -1})
	if err := db.Chunked(func(w *store.Writer) error {
		for i := range 20_000 {
			if err := w.Set(fmt.Appendf(nil, "m/%08d", i), []byte("x")); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	err := db.Fill([]string{"a/"}, map[string][]byte{"m/mark": nil}, fillRun(10))
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("not new")) {
		t.Fatalf("fill of a store in use: %v", err)
	}
	if v, ok := fillGet(t, db, "m/00019999"); !ok || v != "x" {
		t.Errorf("the refused store lost its keys: %q %v", v, ok)
	}
}

// BenchmarkFill writes 400,000 keys in order into a new store on disk:
// through Fill, and through Chunked's batches for comparison.
func BenchmarkFill(b *testing.B) {
	for _, name := range []string{"fill", "chunked"} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				db, err := store.Open(store.Options{Dir: b.TempDir(), GCInterval: -1})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if name == "fill" {
					err = db.Fill([]string{"a/", "z/"}, map[string][]byte{"m/mark": nil}, fillRun(200_000))
				} else {
					err = db.Chunked(func(w *store.Writer) error { return fillRun(200_000)(w.Set) })
				}
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				db.Close()
				b.StartTimer()
			}
		})
	}
}

// A fill of a store whose own keys sort among the run's prefixes (an
// audit entry before a load's index) is refused before anything is
// dropped: the store is as it was, and the caller writes in batches.
func TestFillRefusesKeysAmongTheRun(t *testing.T) {
	db := MustOpen(t, store.Options{Dir: t.TempDir(), GCInterval: -1})
	mustSet(t, db, "0/early", "kept")
	mustSet(t, db, "a/gone", "old")
	err := db.Fill([]string{"a/", "z/"}, map[string][]byte{"m/mark": []byte("filling")}, fillRun(10))
	if !errors.Is(err, resindex.ErrNotFillable) {
		t.Fatalf("err = %v, want ErrNotFillable", err)
	}
	for k, want := range map[string]string{"0/early": "kept", "a/gone": "old"} {
		if v, ok := fillGet(t, db, k); !ok || v != want {
			t.Errorf("%s = %q (held %v), want %q: the refused fill changed the store", k, v, ok, want)
		}
	}
	if _, ok := fillGet(t, db, "m/mark"); ok {
		t.Error("the refused fill wrote its head")
	}
}
