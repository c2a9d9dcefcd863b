package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Exists reports whether dir holds a store: Badger's manifest, or a
// compacted copy a crash left to be swapped in (Open finishes it). A
// command that only reads or changes a store checks it first, so that a
// misspelt directory is refused rather than made into an empty store.
func Exists(dir string) (bool, error) {
	for _, p := range []string{filepath.Join(dir, "MANIFEST"), filepath.Join(dir, compactSub, compactComplete)} {
		_, err := os.Stat(p)
		if err == nil {
			return true, nil
		}
		if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, fs.ErrPermission) {
			return false, fmt.Errorf("store: look for a store in %s: %w", dir, err)
		}
		if errors.Is(err, fs.ErrPermission) {
			return false, fmt.Errorf("store: look for a store in %s: %w", dir, err)
		}
	}
	return false, nil
}
