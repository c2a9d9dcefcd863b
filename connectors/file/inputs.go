package file

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// InputFiles expands the inputs an operator names: a directory stands for
// the *.ndjson files in it, in name order.
func InputFiles(ins []string) ([]string, error) {
	var files []string
	for _, in := range ins {
		st, err := os.Stat(in)
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", in, err)
		}
		if !st.IsDir() {
			files = append(files, in)
			continue
		}
		matches, err := ndjsonFiles(in)
		if err != nil {
			return nil, err
		}
		if len(matches) == 0 {
			return nil, fmt.Errorf("input %s: no *.ndjson files in the directory", in)
		}
		slices.Sort(matches)
		files = append(files, matches...)
	}
	if len(files) == 0 {
		return nil, errors.New("no input: give --in FILE (or a directory of *.ndjson)")
	}
	return files, nil
}

// ndjsonFiles lists a directory's *.ndjson files (ReadDir, not Glob, so
// that a directory name with [ or * in it works).
func ndjsonFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("input %s: %w", dir, err)
	}
	var out []string
	for _, en := range entries {
		if !en.IsDir() && strings.HasSuffix(en.Name(), ".ndjson") {
			out = append(out, filepath.Join(dir, en.Name()))
		}
	}
	return out, nil
}

// InputsHash names a set of input files (path, size, modification time)
// and how they are read: the same input read the same way has the same
// name, so a rerun resumes where the last stopped.
func InputsHash(files []string, how string) (string, error) {
	h := sha256.New()
	for _, name := range files {
		fi, err := os.Stat(name)
		if err != nil {
			return "", fmt.Errorf("input: %w", err)
		}
		abs, _ := filepath.Abs(name)
		fmt.Fprintf(h, "%s\x00%d\x00%d\n", abs, fi.Size(), fi.ModTime().UnixNano())
	}
	fmt.Fprint(h, how)
	return hex.EncodeToString(h.Sum(nil)[:8]), nil
}
