package store_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

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
			before := entries(t, dir)
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
			if got := entries(t, dir); !slices.Equal(got, before) {
				t.Fatalf("beside the store before compaction: %v, after: %v", before, got)
			}
			if _, err := os.Lstat(filepath.Join(dir, ".compact")); !os.IsNotExist(err) {
				t.Fatalf(".compact left: %v", err)
			}
		})
	}
}

// entries lists the names in dir's parent, where the store must create
// nothing.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
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

// TestCompactRecoversAfterCrash: a crash at any step of the swap (see
// compact.go) is finished on Open: before the copy is marked COMPLETE the
// old store stays; after it the copy replaces the store, however far the
// deletion of the old files and the moves had gone.
func TestCompactRecoversAfterCrash(t *testing.T) {
	stages := []string{
		"copy unfinished",
		"copy complete",
		"old files half deleted",
		"old files gone",
		"copy half moved",
		"copy moved, COMPLETE removed",
	}
	for _, stage := range stages {
		t.Run(stage, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			db := MustOpen(t, store.Options{Dir: dir, GCInterval: -1})
			mustSet(t, db, "r/a", "A")
			mustSet(t, db, "r/old", "OLDONLY")
			db.Close()
			// The copy: another store (r/a and r/b, not r/old), made
			// elsewhere and put in DIR/.compact as Compact would leave it.
			scratch := filepath.Join(t.TempDir(), "copy")
			db2 := MustOpen(t, store.Options{Dir: scratch, GCInterval: -1})
			mustSet(t, db2, "r/a", "A")
			mustSet(t, db2, "r/b", "COPYVALUE")
			db2.Close()
			sub := filepath.Join(dir, ".compact")
			copyDir(t, scratch, sub)
			oldFiles := badgerFiles(t, dir)
			copyFiles := badgerFiles(t, sub)
			if len(oldFiles) < 2 || len(copyFiles) < 2 {
				t.Fatalf("too few files to split: %v, %v", oldFiles, copyFiles)
			}
			mark := func(name string) {
				if err := os.WriteFile(filepath.Join(sub, name), nil, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			remove := func(paths ...string) {
				for _, p := range paths {
					if err := os.Remove(p); err != nil {
						t.Fatal(err)
					}
				}
			}
			moveHalf := func(all bool) {
				n := len(copyFiles) / 2
				if all {
					n = len(copyFiles)
				}
				for _, f := range copyFiles[:n] {
					if err := os.Rename(filepath.Join(sub, f), filepath.Join(dir, f)); err != nil {
						t.Fatal(err)
					}
				}
			}
			inDir := func(names []string) (out []string) {
				for _, n := range names {
					out = append(out, filepath.Join(dir, n))
				}
				return out
			}
			switch stage {
			case "copy complete":
				mark("COMPLETE")
			case "old files half deleted":
				mark("COMPLETE")
				remove(inDir(oldFiles[:len(oldFiles)/2])...)
			case "old files gone":
				mark("COMPLETE")
				remove(inDir(oldFiles)...)
				mark("OLD-GONE")
			case "copy half moved":
				mark("COMPLETE")
				remove(inDir(oldFiles)...)
				mark("OLD-GONE")
				moveHalf(false)
			case "copy moved, COMPLETE removed":
				remove(inDir(oldFiles)...)
				mark("OLD-GONE")
				moveHalf(true)
			}
			before := entries(t, dir)
			db = MustOpen(t, store.Options{Dir: dir, GCInterval: -1})
			copyInUse := stage != "copy unfinished"
			if _, err := mustGet(t, db, "r/b"); (err == nil) != copyInUse {
				t.Fatalf("the copy in use: %v, want %v", err == nil, copyInUse)
			}
			if _, err := mustGet(t, db, "r/old"); (err != nil) != copyInUse {
				t.Fatalf("the old store's r/old gone: %v, want %v", err != nil, copyInUse)
			}
			if _, err := mustGet(t, db, "r/a"); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Lstat(sub); !os.IsNotExist(err) {
				t.Fatalf(".compact left: %v", err)
			}
			if got := entries(t, dir); !slices.Equal(got, before) {
				t.Fatalf("beside the store before: %v, after: %v", before, got)
			}
			db.Close()
			if copyInUse { // nothing of the old store is left
				scanFiles(t, dir, []string{"OLDONLY"}, "COPYVALUE")
			}
		})
	}
}

// badgerFiles lists the regular files in dir (sorted).
func badgerFiles(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		if e.Type().IsRegular() && e.Name() != "LOCK" {
			out = append(out, e.Name())
		}
	}
	return out
}

// TestCompactThroughSymlink: the store's directory is a symlink (to
// another disk, say): erased values leave the link's target, the link
// stays a link and nothing is made beside either.
func TestCompactThroughSymlink(t *testing.T) {
	root := t.TempDir()
	target := filepath.Join(root, "bigdisk", "resindex")
	link := filepath.Join(root, "varlib", "resindex")
	for _, d := range []string{target, filepath.Dir(link)} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	db := MustOpen(t, store.Options{Dir: link, GCInterval: -1})
	big := strings.Repeat("x", 4096)
	mustSet(t, db, "r/gone", "SECRETVALUE"+big)
	mustSet(t, db, "r/keep", "KEEPME"+big)
	if err := db.Update(func(tx resindex.Txn) error { return tx.Delete([]byte("r/gone")) }); err != nil {
		t.Fatal(err)
	}
	beforeTarget, beforeLink := entries(t, target), entries(t, link)
	if err := db.Compact(); err != nil {
		t.Fatal(err)
	}
	if v, err := mustGet(t, db, "r/keep"); err != nil || !strings.HasPrefix(v, "KEEPME") {
		t.Fatalf("r/keep after compaction: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("%s is no longer a symlink: %v", link, err)
	}
	scanFiles(t, target, []string{"SECRETVALUE"}, "KEEPME")
	if got := entries(t, target); !slices.Equal(got, beforeTarget) {
		t.Fatalf("beside the target before: %v, after: %v", beforeTarget, got)
	}
	if got := entries(t, link); !slices.Equal(got, beforeLink) {
		t.Fatalf("beside the link before: %v, after: %v", beforeLink, got)
	}
	db = MustOpen(t, store.Options{Dir: link, GCInterval: -1})
	if _, err := mustGet(t, db, "r/keep"); err != nil {
		t.Fatal(err)
	}
}

// TestCompactReadOnlyParent: the directory holding the store's is not
// writable: compaction needs none of it.
func TestCompactReadOnlyParent(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes to a read-only directory (see TestCompactOnMountPoint)")
	}
	parent := filepath.Join(t.TempDir(), "ro")
	dir := filepath.Join(parent, "data")
	db := MustOpen(t, store.Options{Dir: dir, GCInterval: -1})
	mustSet(t, db, "r/a", "A")
	if err := os.Chmod(parent, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(parent, 0o755) })
	if err := db.Compact(); err != nil {
		t.Fatal(err)
	}
	mustSet(t, db, "r/b", "B")
	db.Close()
	db = MustOpen(t, store.Options{Dir: dir, GCInterval: -1})
	for _, k := range []string{"r/a", "r/b"} {
		if _, err := mustGet(t, db, k); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
	}
}

// TestCompactAfterClose: Compact on a closed store fails (it does not
// reopen it nor restart GC).
func TestCompactAfterClose(t *testing.T) {
	db := MustOpen(t, store.Options{})
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Compact(); err == nil {
		t.Fatal("Compact on a closed store succeeded")
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.CopyFS(to, os.DirFS(from)); err != nil {
		t.Fatal(err)
	}
}

// TestCompactRecoveryWaitsForTheOwner: while the store is open (here, as
// a server compacting would have it: the copy in DIR/.compact), a second
// Open of its directory (a command run against it) is refused and leaves
// the copy alone.
func TestCompactRecoveryWaitsForTheOwner(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	db := MustOpen(t, store.Options{Dir: dir, GCInterval: -1})
	mustSet(t, db, "r/a", "A")
	sub := filepath.Join(dir, ".compact")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sub, "000001.sst"), []byte("being written"), 0o600); err != nil {
		t.Fatal(err)
	}
	if db2, err := store.Open(store.Options{Dir: dir, GCInterval: -1}); err == nil {
		db2.Close()
		t.Fatal("a second Open of a store in use succeeded")
	} else if !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second Open: %v", err)
	}
	if _, err := os.Stat(filepath.Join(sub, "000001.sst")); err != nil {
		t.Fatalf("the copy was touched: %v", err)
	}
	if _, err := mustGet(t, db, "r/a"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	// Once closed, the unfinished copy is dropped on Open.
	db = MustOpen(t, store.Options{Dir: dir, GCInterval: -1})
	if _, err := os.Lstat(sub); !os.IsNotExist(err) {
		t.Fatalf(".compact left: %v", err)
	}
}

// TestCompactCrashAfterCopyNewGeneration: a compaction that stops once
// its copy is COMPLETE is finished by the next Open; the store it leaves
// has a new generation (the copy's versions may go back), with no step
// after the swap to make one.
func TestCompactCrashAfterCopyNewGeneration(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	db := MustOpen(t, store.Options{Dir: dir, GCInterval: -1})
	mustSet(t, db, "r/a", "A")
	before, err := db.Generation()
	if err != nil || before == "" {
		t.Fatalf("generation %q: %v", before, err)
	}
	if err := db.CopyAndMarkComplete(); err != nil {
		t.Fatal(err)
	}
	mustSet(t, db, "r/late", "LATE") // not in the copy: the crash loses it
	db.Close()
	db = MustOpen(t, store.Options{Dir: dir, GCInterval: -1})
	defer db.Close()
	if _, err := mustGet(t, db, "r/late"); err == nil {
		t.Fatal("the copy was not swapped in")
	}
	after, err := db.Generation()
	if err != nil {
		t.Fatal(err)
	}
	if after == before || after == "" {
		t.Fatalf("generation after the swap %q, before %q: want a new one", after, before)
	}
}

// TestCloseWaitsForReadsInFlight: Close waits for a read in flight (which
// reads on, unharmed), and reads and writes after it fail cleanly.
func TestCloseWaitsForReadsInFlight(t *testing.T) {
	db := MustOpen(t, store.Options{GCInterval: -1})
	mustSet(t, db, "r/a", "A")
	inside, closed := make(chan struct{}), make(chan struct{})
	go func() {
		<-inside
		db.Close()
		close(closed)
	}()
	err := db.View(func(tx resindex.Txn) error {
		close(inside)
		time.Sleep(200 * time.Millisecond) // Close is called meanwhile
		select {
		case <-closed:
			t.Error("Close returned while a read was in flight")
		default:
		}
		_, err := tx.Get([]byte("r/a"))
		return err
	})
	if err != nil {
		t.Fatalf("the read in flight: %v", err)
	}
	<-closed
	if err := db.View(func(resindex.Txn) error { return nil }); err == nil {
		t.Error("a read after Close succeeded")
	}
	if err := db.Update(func(tx resindex.Txn) error { return tx.Set([]byte("r/b"), []byte("B")) }); err == nil {
		t.Error("a write after Close succeeded")
	}
}
