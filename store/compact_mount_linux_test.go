package store_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/resindex/resindex/store"
)

// TestCompactOnMountPoint: the store's directory is a mount point (a
// container's volume) inside a read-only directory: it cannot be renamed
// nor anything made beside it, and compaction needs neither. Needs root
// (to mount tmpfs); skipped otherwise.
func TestCompactOnMountPoint(t *testing.T) {
	parent := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(parent, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", parent, "tmpfs", 0, "size=64m"); err != nil {
		t.Skipf("cannot mount tmpfs (needs root): %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(parent, syscall.MNT_DETACH) })
	dir := filepath.Join(parent, "data")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=256m"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	if err := syscall.Mount("", parent, "", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(parent, "probe"), nil, 0o600); err == nil {
		t.Fatal("the parent is writable")
	}
	db, err := store.Open(store.Options{Dir: dir, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	mustSet(t, db, "r/a", "A")
	if err := db.Compact(); err != nil {
		t.Fatal(err)
	}
	mustSet(t, db, "r/b", "B")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = MustOpen(t, store.Options{Dir: dir, GCInterval: -1})
	for _, k := range []string{"r/a", "r/b"} {
		if _, err := mustGet(t, db, k); err != nil {
			t.Fatalf("%s: %v", k, err)
		}
	}
	db.Close()
}
