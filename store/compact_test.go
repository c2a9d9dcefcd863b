package store_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	badger "github.com/dgraph-io/badger/v4"

	"github.com/resindex/resindex"
	"github.com/resindex/resindex/store"
)

// TestCompactLeavesNoDeletedBytes: values deleted or overwritten before
// Compact are in no file of the store's directory afterwards, nor in any
// version Badger keeps; live values stay; readers and writers running
// meanwhile wait and go on. Encrypted and not.
func TestCompactLeavesNoDeletedBytes(t *testing.T) {
	for _, key := range [][]byte{nil, bytes.Repeat([]byte{7}, 32)} {
		t.Run(fmt.Sprintf("key=%d", len(key)), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			db := MustOpen(t, store.Options{Dir: dir, EncryptionKey: key})
			big := strings.Repeat("x", 4096) // past the value threshold: in the value log
			for i := range 50 {
				mustSet(t, db, fmt.Sprintf("r/keep-%02d", i), fmt.Sprintf("KEEPME-%02d", i)+big)
				mustSet(t, db, fmt.Sprintf("r/gone-%02d", i), fmt.Sprintf("SECRETVALUE-%02d", i)+big)
				mustSet(t, db, fmt.Sprintf("r/over-%02d", i), "OLDSECRET"+big)
				mustSet(t, db, fmt.Sprintf("r/over-%02d", i), "NEWVALUE")
			}
			mustSet(t, db, "r/small", "SMALLSECRET")
			err := db.Update(func(tx resindex.Txn) error {
				for i := range 50 {
					if err := tx.Delete(fmt.Appendf(nil, "r/gone-%02d", i)); err != nil {
						return err
					}
				}
				return tx.Delete([]byte("r/small"))
			})
			if err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			wg.Add(1)
			go func() { // a writer while compacting waits, then lands
				defer wg.Done()
				mustSetErr(t, db, "r/during", "DURING")
			}()
			if err := db.Compact(); err != nil {
				t.Fatal(err)
			}
			wg.Wait()
			for _, k := range []string{"r/keep-07", "r/over-03", "r/during"} {
				if _, err := mustGet(t, db, k); err != nil {
					t.Fatalf("%s after compaction: %v", k, err)
				}
			}
			if v, _ := mustGet(t, db, "r/over-03"); v != "NEWVALUE" {
				t.Fatalf("r/over-03 = %q", v)
			}
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			secrets := []string{"SECRETVALUE", "OLDSECRET", "SMALLSECRET"}
			if key == nil {
				scanFiles(t, dir, secrets, "KEEPME-07")
			}
			scanVersions(t, dir, key, secrets)
			for _, sib := range []string{".compact-tmp", ".compact-done", ".compact-old"} {
				if _, err := os.Stat(dir + sib); !os.IsNotExist(err) {
					t.Fatalf("%s left: %v", sib, err)
				}
			}
		})
	}
}

func mustSetErr(t *testing.T, db *store.DB, k, v string) {
	if err := db.Update(func(tx resindex.Txn) error { return tx.Set([]byte(k), []byte(v)) }); err != nil {
		t.Error(err)
	}
}

// scanFiles reads every file under dir and fails on any of gone; want
// must be found (the scan sees the data at all).
func scanFiles(t *testing.T, dir string, gone []string, want string) {
	t.Helper()
	found := false
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, g := range gone {
			if bytes.Contains(data, []byte(g)) {
				t.Errorf("%q still in %s", g, d.Name())
			}
		}
		found = found || bytes.Contains(data, []byte(want))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !found {
		t.Fatalf("the raw scan did not find the live value %q: it reads nothing", want)
	}
}

// scanVersions opens the directory with Badger itself and reads every
// version of every key, deleted ones too.
func scanVersions(t *testing.T, dir string, key []byte, gone []string) {
	t.Helper()
	opts := badger.DefaultOptions(dir).WithLogger(nil).WithReadOnly(false)
	if key != nil {
		opts = opts.WithEncryptionKey(key).WithIndexCacheSize(1 << 20)
	}
	bdb, err := badger.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	n := 0
	err = bdb.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{AllVersions: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			n++
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			for _, g := range gone {
				if bytes.Contains(it.Item().Key(), []byte(g)) || bytes.Contains(v, []byte(g)) {
					t.Errorf("%q in a version of %q (deleted: %v)", g, it.Item().Key(), it.Item().IsDeletedOrExpired())
				}
			}
			if it.Item().IsDeletedOrExpired() {
				t.Errorf("a deleted version of %q kept", it.Item().Key())
			}
		}
		return nil
	})
	if err != nil || n == 0 {
		t.Fatalf("versions read: %d, %v", n, err)
	}
}

// TestCompactRecoversAfterCrash: a crash after the copy was finished, or
// part way through the swap, is completed on Open.
func TestCompactRecoversAfterCrash(t *testing.T) {
	for _, stage := range []string{"copy finished", "old moved aside", "copy unfinished"} {
		t.Run(stage, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			db := MustOpen(t, store.Options{Dir: dir})
			mustSet(t, db, "r/a", "A")
			db.Close()
			// A copy: the same store under the sibling name.
			copyDir(t, dir, dir+".compact-done")
			db2 := MustOpen(t, store.Options{Dir: dir + ".compact-done"})
			mustSet(t, db2, "r/b", "B") // marks the copy
			db2.Close()
			switch stage {
			case "old moved aside":
				if err := os.Rename(dir, dir+".compact-old"); err != nil {
					t.Fatal(err)
				}
			case "copy unfinished":
				if err := os.Rename(dir+".compact-done", dir+".compact-tmp"); err != nil {
					t.Fatal(err)
				}
			}
			db = MustOpen(t, store.Options{Dir: dir})
			_, errB := mustGet(t, db, "r/b")
			if want := stage != "copy unfinished"; (errB == nil) != want {
				t.Fatalf("the copy in use: %v, want %v", errB == nil, want)
			}
			if _, err := mustGet(t, db, "r/a"); err != nil {
				t.Fatal(err)
			}
			for _, sib := range []string{".compact-tmp", ".compact-done", ".compact-old"} {
				if _, err := os.Stat(dir + sib); !os.IsNotExist(err) {
					t.Fatalf("%s left: %v", sib, err)
				}
			}
		})
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.CopyFS(to, os.DirFS(from)); err != nil {
		t.Fatal(err)
	}
}
